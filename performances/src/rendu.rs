//! Ce que le banc écrit : un CSV, un tableau Markdown (inclus dans le
//! chapitre) et deux graphiques SVG statiques. Des fonctions pures : mêmes
//! lignes, même tampon, même texte.

use std::fmt::Write;

use crate::banc::{Chiffres, Issue, Ligne};
use crate::mesure::{decimal, milliers};

/// Ce qui identifie une exécution du banc : la commande, la date, la durée
/// et la machine. Il est écrit dans chaque fichier produit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tampon {
    pub commande: String,
    pub date: String,
    pub duree: String,
    pub machine: String,
}

impl Tampon {
    fn phrase(&self) -> String {
        format!(
            "Produit par `{}` le {}, en {}, sur {}.",
            self.commande, self.date, self.duree, self.machine
        )
    }
}

/// Le CSV : le tampon en commentaires `#`, puis une ligne par mesure.
pub fn csv(lignes: &[Ligne], tampon: &Tampon) -> String {
    let mut texte = format!("# {}\n", tampon.phrase().replace('`', ""));
    texte += "serveur,scenario,clients,visites_par_client,commandes_par_visite,issue,\
              requetes_par_s,latence_p50_us,latence_p99_us,latence_max_us,pic_clients_servis,\
              reponses_justes,reponses_prevues,clients_en_erreur,essais,essais_en_echec,\
              requetes_par_s_min,requetes_par_s_max,processeur_outil,processeur_serveur,\
              remarque\n";
    for ligne in lignes {
        let s = &ligne.scenario;
        let debut = format!(
            "{},{},{},{},{}",
            ligne.id,
            if s.courtes { "courtes" } else { "longues" },
            s.clients,
            s.visites,
            s.commandes
        );
        let remarque = champ_csv(&remarque_complete(ligne));
        let _ = match &ligne.issue {
            Issue::Mesure(c) => writeln!(
                texte,
                "{debut},{},{:.0},{:.1},{:.1},{:.1},{},{},{},{},{},{},{:.0},{:.0},{:.2},{},\
                 {remarque}",
                if c.reussi() {
                    "mesure"
                } else {
                    "mesure-en-echec"
                },
                c.debit,
                c.p50_us,
                c.p99_us,
                c.max_us,
                c.pic,
                c.reponses,
                c.prevues,
                c.erreurs,
                c.essais,
                c.essais_en_echec,
                c.debit_min,
                c.debit_max,
                c.processeur_outil,
                c.processeur_serveur
                    .map_or(String::new(), |p| format!("{p:.2}"))
            ),
            Issue::Ignore(_) => writeln!(texte, "{debut},ignore,,,,,,,,,,,,,,,{remarque}"),
            Issue::Echec(_) => writeln!(texte, "{debut},echec,,,,,,,,,,,,,,,{remarque}"),
        };
    }
    texte
}

/// Un champ CSV : entre guillemets s'il contient une virgule ou un guillemet.
fn champ_csv(texte: &str) -> String {
    if texte.contains([',', '"', '\n']) {
        format!("\"{}\"", texte.replace('"', "\"\"").replace('\n', " "))
    } else {
        texte.to_string()
    }
}

/// La remarque d'une ligne, plus la raison de son absence ou de son échec.
fn remarque_complete(ligne: &Ligne) -> String {
    let mut parties = Vec::new();
    if !ligne.remarque.is_empty() {
        parties.push(ligne.remarque.clone());
    }
    match &ligne.issue {
        Issue::Ignore(raison) | Issue::Echec(raison) => parties.push(raison.clone()),
        Issue::Mesure(c) if !c.reussi() => {
            let mut quoi = format!("essai en échec ({} sur {}) : ", c.essais_en_echec, c.essais);
            quoi += &format!(
                "{} réponses justes sur {}",
                milliers(c.reponses),
                milliers(c.prevues)
            );
            if c.delai_depasse {
                quoi += ", délai dépassé";
            }
            if c.erreurs > 0 {
                quoi += &format!(", {} client(s) en erreur", c.erreurs);
            }
            if let Some(diagnostic) = &c.diagnostic {
                quoi += &format!(" ; {}", diagnostic.lines().next().unwrap_or(""));
            }
            parties.push(quoi);
        }
        Issue::Mesure(_) => {}
    }
    parties.join(" ; ")
}

/// Les niveaux (nombres de clients) des visites longues, dans l'ordre.
fn niveaux(lignes: &[Ligne]) -> Vec<usize> {
    let mut niveaux: Vec<usize> = lignes
        .iter()
        .filter(|l| !l.scenario.courtes)
        .map(|l| l.scenario.clients)
        .collect();
    niveaux.sort_unstable();
    niveaux.dedup();
    niveaux
}

/// Les serveurs, dans l'ordre de leur première apparition : (id, nom).
fn serveurs(lignes: &[Ligne]) -> Vec<(String, String)> {
    let mut liste: Vec<(String, String)> = Vec::new();
    for ligne in lignes {
        if !liste.iter().any(|(id, _)| *id == ligne.id) {
            liste.push((ligne.id.clone(), ligne.serveur.clone()));
        }
    }
    liste
}

fn trouver<'a>(lignes: &'a [Ligne], id: &str, clients: usize, courtes: bool) -> Option<&'a Ligne> {
    lignes
        .iter()
        .find(|l| l.id == id && l.scenario.clients == clients && l.scenario.courtes == courtes)
}

/// Le débit d'une mesure réussie.
fn debit(ligne: Option<&Ligne>) -> Option<f64> {
    match ligne.map(|l| &l.issue) {
        Some(Issue::Mesure(c)) if c.reussi() => Some(c.debit),
        _ => None,
    }
}

/// Une cellule de débit : le chiffre, ou pourquoi il n'y en a pas.
fn cellule_debit(ligne: Option<&Ligne>) -> String {
    match ligne.map(|l| &l.issue) {
        None => "—".to_string(),
        Some(Issue::Mesure(c)) if c.reussi() => milliers(c.debit.round() as u64),
        Some(Issue::Mesure(_)) => "échec".to_string(),
        Some(Issue::Ignore(_)) => "non lancé".to_string(),
        Some(Issue::Echec(_)) => "indisponible".to_string(),
    }
}

fn clients_en_titre(clients: usize) -> String {
    if clients == 1 {
        "1 client".to_string()
    } else {
        format!("{} clients", milliers(clients as u64))
    }
}

fn rapport(numerateur: Option<f64>, denominateur: Option<f64>) -> String {
    match (numerateur, denominateur) {
        (Some(n), Some(d)) if d > 0.0 => decimal(n / d, 2),
        _ => "—".to_string(),
    }
}

/// Le tableau Markdown du chapitre : débits, rapports, puis le détail.
pub fn tableau(lignes: &[Ligne], tampon: &Tampon) -> String {
    let niveaux = niveaux(lignes);
    let serveurs = serveurs(lignes);
    let courtes = lignes
        .iter()
        .find(|l| l.scenario.courtes)
        .map(|l| l.scenario);
    let mut texte = format!(
        "<!-- Fichier produit par le banc : ne pas le modifier à la main. -->\n\n*{}*\n\n",
        tampon.phrase()
    );

    // 1. Les débits, un serveur par ligne, un niveau par colonne.
    texte += "**Débit, en requêtes par seconde** (réponses justes ÷ durée totale de la mesure)\n\n";
    let mut en_tete = "| serveur |".to_string();
    let mut regle = "|---|".to_string();
    for &n in &niveaux {
        en_tete += &format!(" {} |", clients_en_titre(n));
        regle += "--:|";
    }
    if let Some(c) = courtes {
        en_tete += &format!(" {}, visites courtes |", clients_en_titre(c.clients));
        regle += "--:|";
    }
    texte += &format!("{en_tete}\n{regle}\n");
    for (id, nom) in &serveurs {
        texte += &format!("| {nom} |");
        for &n in &niveaux {
            texte += &format!(" {} |", cellule_debit(trouver(lignes, id, n, false)));
        }
        if let Some(c) = courtes {
            texte += &format!(" {} |", cellule_debit(trouver(lignes, id, c.clients, true)));
        }
        texte += "\n";
    }

    // 2. Les rapports au plancher (le premier serveur : l'écho), même niveau.
    if let Some((plancher_id, plancher_nom)) = serveurs.first() {
        texte += &format!(
            "\n**Débit rapporté à celui de : {plancher_nom}**, mesuré au même niveau, dans la \
             même exécution (1 = aussi vite que lui)\n\n{en_tete}\n{regle}\n"
        );
        for (id, nom) in serveurs.iter().skip(1) {
            texte += &format!("| {nom} |");
            for &n in &niveaux {
                let r = rapport(
                    debit(trouver(lignes, id, n, false)),
                    debit(trouver(lignes, plancher_id, n, false)),
                );
                texte += &format!(" {r} |");
            }
            if let Some(c) = courtes {
                let r = rapport(
                    debit(trouver(lignes, id, c.clients, true)),
                    debit(trouver(lignes, plancher_id, c.clients, true)),
                );
                texte += &format!(" {r} |");
            }
            texte += "\n";
        }
    }

    // 3. Le détail de chaque mesure.
    texte += "\n**Détail de chaque mesure** (le meilleur essai ; latence : de l'envoi d'une \
              commande à la fin de sa réponse ; pic : clients servis en même temps ; étendue : \
              débits du plus lent et du plus rapide des essais ; processeur : part d'un cœur \
              occupée par l'outil de charge, puis par le serveur)\n\n\
              | serveur | clients | visites × commandes | réponses justes | requêtes/s | \
              étendue | médiane | p99 | max | pic | processeur | remarque |\n\
              |---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n";
    for ligne in lignes {
        let s = &ligne.scenario;
        let _ = write!(
            texte,
            "| {} | {} | {} × {} |",
            ligne.serveur,
            milliers(s.clients as u64),
            milliers(s.visites as u64),
            milliers(s.commandes as u64)
        );
        match &ligne.issue {
            Issue::Mesure(c) => {
                let _ = write!(
                    texte,
                    " {} | {} | {}–{} | {} | {} | {} | {} | {} / {} |",
                    milliers(c.reponses),
                    milliers(c.debit.round() as u64),
                    milliers(c.debit_min.round() as u64),
                    milliers(c.debit_max.round() as u64),
                    latence(c.p50_us),
                    latence(c.p99_us),
                    latence(c.max_us),
                    milliers(c.pic as u64),
                    pourcent(Some(c.processeur_outil)),
                    pourcent(c.processeur_serveur)
                );
            }
            _ => texte += " — | — | — | — | — | — | — | — |",
        }
        let _ = writeln!(texte, " {} |", remarque_complete(ligne).replace('|', "\\|"));
    }
    texte
}

/// Une part de cœur en pourcentage : « 98 % » ; « ? » si inconnue.
fn pourcent(part: Option<f64>) -> String {
    part.map_or("?".to_string(), |p| format!("{:.0} %", p * 100.0))
}

/// Une latence en microsecondes, lisible : « 38 µs », « 1,2 ms », « 3,0 s ».
fn latence(us: f64) -> String {
    crate::mesure::duree_courte(std::time::Duration::from_nanos((us * 1e3).round() as u64))
}

/// Ce que montre un graphique.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grandeur {
    /// Requêtes par seconde.
    Debit,
    /// Latence au 99e centile.
    P99,
}

impl Grandeur {
    fn titre(self) -> &'static str {
        match self {
            Grandeur::Debit => "Débit (requêtes par seconde, échelle logarithmique)",
            Grandeur::P99 => "Latence au 99e centile (échelle logarithmique)",
        }
    }

    fn valeur(self, c: &Chiffres) -> f64 {
        match self {
            Grandeur::Debit => c.debit,
            Grandeur::P99 => c.p99_us,
        }
    }

    /// L'étiquette d'une graduation : une puissance de dix, écrite sans
    /// décimales (« 10 µs », « 1 ms », « 100 000 »).
    fn etiquette(self, valeur: f64) -> String {
        match self {
            Grandeur::Debit => milliers(valeur.round() as u64),
            Grandeur::P99 if valeur < 1e3 => format!("{:.0} µs", valeur),
            Grandeur::P99 if valeur < 1e6 => format!("{:.0} ms", valeur / 1e3),
            Grandeur::P99 => format!("{:.0} s", valeur / 1e6),
        }
    }
}

/// Couleurs lisibles par les daltoniens (palette d'Okabe et Ito).
const COULEURS: [&str; 7] = [
    "#000000", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
];

// Le cadre du graphique, en pixels.
const LARGEUR: f64 = 820.0;
const GAUCHE: f64 = 90.0;
const DROITE: f64 = 520.0;
const HAUT: f64 = 60.0;
const BAS: f64 = 380.0;

/// Position sur une échelle logarithmique : `valeur` entre `min` et `max`
/// (strictement positifs) devient une position entre `debut` et `fin`.
pub fn echelle_log(valeur: f64, min: f64, max: f64, debut: f64, fin: f64) -> f64 {
    if max <= min {
        return (debut + fin) / 2.0;
    }
    let t = (valeur.log10() - min.log10()) / (max.log10() - min.log10());
    debut + t * (fin - debut)
}

/// Échappe le texte pour le placer dans du SVG.
fn xml(texte: &str) -> String {
    texte
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Un graphique SVG statique (ni script, ni police externe) : une courbe
/// par serveur, les visites longues seulement, en fonction du nombre de
/// clients simultanés. Les mesures absentes ou en échec n'ont pas de point.
pub fn graphique(lignes: &[Ligne], tampon: &Tampon, grandeur: Grandeur) -> String {
    let niveaux = niveaux(lignes);
    let serveurs = serveurs(lignes);
    let valeurs: Vec<f64> = lignes
        .iter()
        .filter(|l| !l.scenario.courtes)
        .filter_map(|l| match &l.issue {
            Issue::Mesure(c) if c.reussi() => Some(grandeur.valeur(c)),
            _ => None,
        })
        .filter(|v| *v > 0.0)
        .collect();
    // L'axe vertical couvre des décades entières autour des mesures.
    let decade = |v: f64| 10f64.powf(v.log10().floor());
    let y_min = valeurs.iter().copied().fold(f64::INFINITY, f64::min);
    let y_max = valeurs.iter().copied().fold(0.0, f64::max);
    let (y_min, y_max) = if valeurs.is_empty() {
        (1.0, 10.0)
    } else {
        (decade(y_min), decade(y_max) * 10.0)
    };
    let (x_min, x_max) = (
        *niveaux.first().unwrap_or(&1) as f64,
        *niveaux.last().unwrap_or(&1) as f64,
    );
    let x = |n: usize| echelle_log(n as f64, x_min, x_max, GAUCHE + 20.0, DROITE - 20.0);
    let y = |v: f64| echelle_log(v, y_min, y_max, BAS, HAUT);

    // Le pied : le tampon, une ligne par partie, sous le graphique.
    let mut pied = vec![format!(
        "Produit par {} le {}, en {}",
        tampon.commande, tampon.date, tampon.duree
    )];
    pied.extend(tampon.machine.split(" ; ").map(str::to_string));
    let hauteur = BAS + 75.0 + 15.0 * pied.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{LARGEUR}\" height=\"{hauteur}\" \
         viewBox=\"0 0 {LARGEUR} {hauteur}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <!-- {} -->\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
         <text x=\"{GAUCHE}\" y=\"30\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
        xml(&tampon.phrase()).replace("--", "—"),
        xml(grandeur.titre())
    );
    // Les graduations horizontales : une par décade.
    let mut graduation = y_min;
    while graduation <= y_max * 1.0001 {
        let gy = y(graduation);
        let _ = writeln!(
            svg,
            "<line x1=\"{GAUCHE}\" y1=\"{gy:.1}\" x2=\"{DROITE}\" y2=\"{gy:.1}\" stroke=\"#dddddd\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            GAUCHE - 8.0,
            gy + 4.0,
            xml(&grandeur.etiquette(graduation))
        );
        graduation *= 10.0;
    }
    // Les niveaux, sur l'axe horizontal.
    for &n in &niveaux {
        let gx = x(n);
        let _ = writeln!(
            svg,
            "<line x1=\"{gx:.1}\" y1=\"{HAUT}\" x2=\"{gx:.1}\" y2=\"{BAS}\" stroke=\"#eeeeee\"/>\n\
             <text x=\"{gx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            BAS + 20.0,
            milliers(n as u64)
        );
    }
    let _ = writeln!(
        svg,
        "<rect x=\"{GAUCHE}\" y=\"{HAUT}\" width=\"{}\" height=\"{}\" fill=\"none\" \
         stroke=\"#555555\"/>\n\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">clients simultanés (échelle \
         logarithmique)</text>",
        DROITE - GAUCHE,
        BAS - HAUT,
        (GAUCHE + DROITE) / 2.0,
        BAS + 42.0
    );
    // Une courbe par serveur, et sa légende. Le premier (le plancher, en
    // tirets) est tracé en dernier : il reste visible par-dessus une courbe
    // qui le suit de près.
    for (rang, (id, nom)) in serveurs.iter().enumerate().rev() {
        let couleur = COULEURS[rang % COULEURS.len()];
        let tirets = if rang == 0 {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let mut chemin = String::new();
        let mut points = String::new();
        let mut precedent = false;
        for &n in &niveaux {
            let valeur = match trouver(lignes, id, n, false).map(|l| &l.issue) {
                Some(Issue::Mesure(c)) if c.reussi() && grandeur.valeur(c) > 0.0 => {
                    grandeur.valeur(c)
                }
                _ => {
                    precedent = false;
                    continue;
                }
            };
            let (px, py) = (x(n), y(valeur));
            let _ = write!(
                chemin,
                "{}{px:.1},{py:.1} ",
                if precedent { "L" } else { "M" }
            );
            let _ = writeln!(
                points,
                "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"3.5\" fill=\"{couleur}\"/>"
            );
            precedent = true;
        }
        if !chemin.is_empty() {
            let _ = writeln!(
                svg,
                "<path d=\"{}\" fill=\"none\" stroke=\"{couleur}\" stroke-width=\"2\"{tirets}/>",
                chemin.trim_end()
            );
        }
        svg += &points;
        let ly = HAUT + 10.0 + 24.0 * rang as f64;
        let _ = writeln!(
            svg,
            "<line x1=\"{:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{couleur}\" \
             stroke-width=\"2\"{tirets}/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            DROITE + 15.0,
            DROITE + 40.0,
            DROITE + 48.0,
            ly + 4.0,
            xml(nom)
        );
    }
    if valeurs.is_empty() {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">aucune mesure réussie</text>",
            (GAUCHE + DROITE) / 2.0,
            (HAUT + BAS) / 2.0
        );
    }
    for (rang, ligne) in pied.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"{GAUCHE}\" y=\"{:.1}\" font-size=\"11\" fill=\"#555555\">{}</text>",
            BAS + 75.0 + 15.0 * rang as f64,
            xml(ligne)
        );
    }
    svg += "</svg>\n";
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::banc::Scenario;

    fn tampon() -> Tampon {
        Tampon {
            commande: "cargo banc".to_string(),
            date: "2026-11-20 23:00 UTC".to_string(),
            duree: "3 min".to_string(),
            machine: "2 cœurs".to_string(),
        }
    }

    fn mesure(debit: f64, p99_us: f64) -> Issue {
        Issue::Mesure(Chiffres {
            debit,
            p50_us: 10.0,
            p99_us,
            max_us: 2_000.0,
            pic: 10,
            reponses: 100,
            prevues: 100,
            erreurs: 0,
            delai_depasse: false,
            diagnostic: None,
            essais: 3,
            essais_en_echec: 0,
            debit_min: debit * 0.9,
            debit_max: debit * 1.1,
            processeur_outil: 0.995,
            processeur_serveur: Some(0.5),
        })
    }

    fn ligne(id: &str, clients: usize, courtes: bool, issue: Issue) -> Ligne {
        Ligne {
            id: id.to_string(),
            serveur: format!("Serveur {id}"),
            scenario: Scenario {
                clients,
                visites: if courtes { 100 } else { 1 },
                commandes: 10,
                courtes,
            },
            issue,
            remarque: String::new(),
        }
    }

    /// Deux serveurs, deux niveaux, une mesure non lancée, une en échec.
    fn lignes() -> Vec<Ligne> {
        let mut rate = match mesure(50.0, 1.0) {
            Issue::Mesure(c) => c,
            _ => unreachable!(),
        };
        rate.reponses = 60;
        rate.erreurs = 1;
        rate.diagnostic = Some("client 3 : réponse fausse\n    attendu : …".to_string());
        rate.essais_en_echec = 1;
        vec![
            ligne("a", 1, false, mesure(1_000.0, 20.0)),
            ligne("b", 1, false, mesure(250.0, 100.0)),
            ligne("a", 10, false, mesure(10_000.0, 500.0)),
            ligne(
                "b",
                10,
                false,
                Issue::Ignore("non lancé : trop lourd".to_string()),
            ),
            ligne("a", 10, true, mesure(2_000.0, 50.0)),
            ligne("b", 10, true, Issue::Mesure(rate)),
        ]
    }

    #[test]
    fn le_csv_a_une_ligne_par_mesure_et_son_tampon() {
        let csv = csv(&lignes(), &tampon());
        let lignes: Vec<&str> = csv.lines().collect();
        assert_eq!(lignes.len(), 8);
        assert!(lignes[0].starts_with("# Produit par cargo banc le 2026-11-20 23:00 UTC"));
        assert_eq!(
            lignes[2],
            "a,longues,1,1,10,mesure,1000,10.0,20.0,2000.0,10,100,100,0,3,0,900,1100,0.99,0.50,"
        );
        assert_eq!(
            lignes[5],
            "b,longues,10,1,10,ignore,,,,,,,,,,,,,,,non lancé : trop lourd"
        );
        assert!(lignes[7].starts_with("b,courtes,10,100,10,mesure-en-echec,50,"));
        // La remarque contient des virgules : elle est entre guillemets.
        assert!(lignes[7].ends_with(
            ",\"essai en échec (1 sur 3) : 60 réponses justes sur 100, 1 client(s) en erreur ; \
             client 3 : réponse fausse\""
        ));
    }

    #[test]
    fn le_tableau_donne_debits_rapports_et_detail() {
        let md = tableau(&lignes(), &tampon());
        assert!(md.contains("*Produit par `cargo banc` le 2026-11-20 23:00 UTC, en 3 min"));
        assert!(md.contains("| serveur | 1 client | 10 clients | 10 clients, visites courtes |"));
        assert!(md.contains("| Serveur a | 1 000 | 10 000 | 2 000 |"));
        assert!(md.contains("| Serveur b | 250 | non lancé | échec |"));
        // b fait le quart de a à 1 client ; rien à comparer ailleurs.
        assert!(md.contains("| Serveur b | 0,25 | — | — |"));
        assert!(md.contains(
            "| Serveur a | 1 | 1 × 10 | 100 | 1 000 | 900–1 100 | 10 µs | 20 µs | 2,00 ms | 10 | \
             100 % / 50 % |  |"
        ));
        assert!(md.contains("| — | — | — | — | — | — | — | — | non lancé : trop lourd |"));
    }

    #[test]
    fn le_graphique_place_chaque_point_reussi() {
        let svg = graphique(&lignes(), &tampon(), Grandeur::Debit);
        assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
        assert!(!svg.contains("<script"));
        assert!(svg.contains("2026-11-20 23:00 UTC"));
        // a : 2 points reliés ; b : 1 seul point (10 clients non lancé).
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches("<path").count(), 2);
        // Axe vertical de 100 à 100 000 : 1 000 est au tiers de la hauteur.
        let y = echelle_log(1_000.0, 100.0, 100_000.0, BAS, HAUT);
        assert!((y - (BAS - (BAS - HAUT) / 3.0)).abs() < 1e-9);
        assert!(svg.contains(&format!("cy=\"{y:.1}\"")));
        assert!(svg.contains(">100 000</text>"));
        let latences = graphique(&lignes(), &tampon(), Grandeur::P99);
        assert!(latences.contains(">10 µs</text>") && latences.contains(">1 ms</text>"));
    }
}
