//! L'écran du mode suivi, calculé comme une liste de lignes (sans rien
//! écrire) : le même calcul sert au terminal et au mode ligne (sortie qui
//! n'est pas un terminal), et se teste sans terminal.
//!
//! ```text
//! cargo suivre · tp09 · 4/22 étapes · temps passé : 25 min        corrigé
//! Cours : tp08 10/10 ✓ · [tp09 2/11] · tp10 — · tp11 — · …
//! ────────────────────────────────────────────────────────────────────────
//!  ✓ serveur_1_ecoute                 · client_1_connexion
//!  ✓ serveur_2_bienvenue              · client_1_sans_serveur
//!  ✗ serveur_3_lignes_d_un_bloc       …
//! ────────────────────────────────────────────────────────────────────────
//! Pour lancer cette étape seule : cargo test -p tp09 serveur_3_lignes_d_un_bloc
//! ✗ TP09 · serveur · étape 3 — …           (le diagnostic, qui défile)
//! ────────────────────────────────────────────────────────────────────────
//! r recorriger · i indice · s/p TP suivant/précédent · c cours · ↑↓ · q quitter
//! ```
//!
//! Le diagnostic est la seule partie qui peut être longue (sortie du
//! programme, échange observé…) : ses lignes longues sont repliées avec leur
//! retrait, et la zone défile ; le haut (où en est le TP) et la barre des
//! touches restent toujours visibles.

/// La couleur d'un morceau de ligne : les 8 couleurs de base seulement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Teinte {
    Normale,
    Vert,
    Rouge,
    Jaune,
    Terne,
    Gras,
}

/// Une ligne de l'écran : des morceaux de texte et leur teinte.
pub type Ligne = Vec<(Teinte, String)>;

/// Où en est une étape dans la passe en cours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtatEtape {
    NonAtteinte,
    EnCours,
    Reussie,
    /// Ignorée par `cargo test` sur cette machine (hors Linux).
    NonVerifiable,
    Ratee,
}

/// Où en est la passe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Compilation,
    Notation,
    CompilationRatee(String),
    Probleme(String),
    /// Passe finie (une étape a échoué, ou toutes passent).
    Finie,
}

/// Un TP dans le cours d'un coup d'œil.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumeTp {
    pub nom: String,
    /// « 10/10 ✓ », « 3/11 », « — » (jamais corrigé).
    pub etapes: String,
    pub fini: bool,
    pub temps: Option<String>,
    pub prochaine: Option<String>,
}

/// Tout ce que montre l'écran.
#[derive(Debug, Clone)]
pub struct Vue {
    /// Le TP suivi (`tp09`) et son paquet.
    pub tp: String,
    pub paquet: String,
    /// Le TP d'après, s'il y en a un.
    pub suivant: Option<String>,
    pub etapes: Vec<(String, EtatEtape)>,
    /// Le diagnostic de l'étape ratée.
    pub diagnostic: Option<String>,
    pub phase: Phase,
    /// Les indices déjà montrés pour l'étape ratée, et combien il en reste.
    pub indices: Vec<&'static str>,
    pub indices_restants: usize,
    /// Le cours d'un coup d'œil : chaque TP et son résumé.
    pub cours: Vec<ResumeTp>,
    /// Montrer le tableau du cours (touche c) à la place du diagnostic.
    pub tableau_du_cours: bool,
    pub temps: Option<String>,
    /// Une information passagère (« aucun indice de plus »).
    pub message: Option<String>,
    /// Première ligne affichée de la zone du diagnostic.
    pub defilement: usize,
}

impl Vue {
    /// L'étape ratée, s'il y en a une.
    pub fn etape_ratee(&self) -> Option<&str> {
        self.etapes
            .iter()
            .find(|(_, e)| *e == EtatEtape::Ratee)
            .map(|(nom, _)| nom.as_str())
    }

    pub fn reussies(&self) -> usize {
        self.etapes
            .iter()
            .filter(|(_, e)| *e == EtatEtape::Reussie)
            .count()
    }

    /// Toutes les étapes passent (celles que `cargo test` ignore sur cette
    /// machine mises à part, comme il le fait).
    pub fn complet(&self) -> bool {
        self.phase == Phase::Finie
            && !self.etapes.is_empty()
            && self
                .etapes
                .iter()
                .all(|(_, e)| matches!(e, EtatEtape::Reussie | EtatEtape::NonVerifiable))
    }

    /// La commande qui lance une étape seule (avec `--exact` si son nom
    /// est le début du nom d'une autre).
    pub fn commande_etape(&self, etape: &str) -> String {
        let prefixe_d_une_autre = self
            .etapes
            .iter()
            .any(|(nom, _)| nom != etape && nom.starts_with(etape));
        if prefixe_d_une_autre {
            format!("cargo test -p {} -- --exact {etape}", self.paquet)
        } else {
            format!("cargo test -p {} {etape}", self.paquet)
        }
    }
}

/// La barre des touches.
/// (78 caractères : elle tient dans un terminal de 80 colonnes.)
const TOUCHES: &str =
    "r recorriger · i indice · s/p TP suivant/précédent · c cours · ↑↓ · q quitter";

/// L'écran entier pour un terminal de `largeur` × `hauteur` (`None` : pas
/// de limite, pas de barre des touches — le mode ligne). Rend aussi le
/// défilement maximal de la zone du diagnostic.
pub fn dessiner(vue: &Vue, largeur: usize, hauteur: Option<usize>) -> (Vec<Ligne>, usize) {
    let largeur = largeur.max(20);
    let trait_ = || vec![(Teinte::Terne, "─".repeat(largeur))];
    let mut haut = vec![entete(vue), cours(vue)];
    haut.push(trait_());
    haut.extend(liste(vue, largeur));
    haut.push(trait_());
    let Some(hauteur) = hauteur else {
        // Mode ligne : rien n'est replié ni coupé (la sortie va dans un
        // fichier ou un tuyau, pas sur un écran de taille connue).
        haut.extend(corps(vue));
        return (haut, 0);
    };
    let corps: Vec<Ligne> = corps(vue)
        .into_iter()
        .flat_map(|l| replier(l, largeur))
        .collect();
    // Le haut, la zone qui défile (au moins 3 lignes), le trait et les touches.
    let place = hauteur.saturating_sub(haut.len() + 2).max(3);
    let max_defilement = corps.len().saturating_sub(place);
    let debut = vue.defilement.min(max_defilement);
    let mut zone: Vec<Ligne> = corps.iter().skip(debut).take(place).cloned().collect();
    let plus_bas = corps.len().saturating_sub(debut + place);
    if plus_bas > 0 && !zone.is_empty() {
        zone.pop();
        zone.push(vec![(
            Teinte::Jaune,
            format!(
                "↓ {} lignes de plus (flèche bas, Page suivante)",
                plus_bas + 1
            ),
        )]);
    }
    let mut ecran = haut;
    ecran.extend(zone);
    while ecran.len() + 2 < hauteur {
        ecran.push(Vec::new());
    }
    ecran.push(trait_());
    ecran.push(vec![(Teinte::Terne, TOUCHES.to_string())]);
    ecran.truncate(hauteur);
    (
        ecran.into_iter().map(|l| couper(l, largeur)).collect(),
        max_defilement,
    )
}

fn entete(vue: &Vue) -> Ligne {
    let mut ligne = vec![
        (Teinte::Gras, format!("cargo suivre · {}", vue.tp)),
        (
            Teinte::Normale,
            format!(" · {}/{} étapes", vue.reussies(), vue.etapes.len()),
        ),
    ];
    if let Some(temps) = &vue.temps {
        ligne.push((Teinte::Normale, format!(" · temps passé : {temps}")));
    }
    let (teinte, etat) = match &vue.phase {
        Phase::Compilation => (Teinte::Jaune, "compilation…".to_string()),
        Phase::Notation => {
            let n = vue
                .etapes
                .iter()
                .position(|(_, e)| *e == EtatEtape::EnCours)
                .map_or(0, |i| i + 1);
            (
                Teinte::Jaune,
                format!("correction : étape {n}/{}…", vue.etapes.len()),
            )
        }
        Phase::CompilationRatee(_) => (Teinte::Rouge, "ne compile pas".into()),
        Phase::Probleme(_) => (Teinte::Rouge, "correction impossible".into()),
        Phase::Finie if vue.complet() => (Teinte::Vert, "TP fini !".into()),
        Phase::Finie => (Teinte::Normale, "corrigé".into()),
    };
    ligne.push((Teinte::Normale, " · ".into()));
    ligne.push((teinte, etat));
    ligne
}

fn cours(vue: &Vue) -> Ligne {
    let mut ligne = vec![(Teinte::Normale, "Cours :".to_string())];
    for (i, tp) in vue.cours.iter().enumerate() {
        if i > 0 {
            ligne.push((Teinte::Terne, " ·".into()));
        }
        let texte = format!(" {} {}", tp.nom, tp.etapes);
        let teinte = if tp.nom == vue.tp {
            Teinte::Gras
        } else if tp.fini {
            Teinte::Vert
        } else {
            Teinte::Normale
        };
        ligne.push((teinte, texte));
    }
    ligne
}

/// La liste des étapes, en colonnes si elles tiennent (lue de haut en bas,
/// puis de gauche à droite, dans l'ordre des étapes).
fn liste(vue: &Vue, largeur: usize) -> Vec<Ligne> {
    if vue.etapes.is_empty() {
        return vec![vec![(Teinte::Terne, " (étapes inconnues)".into())]];
    }
    let largeur_colonne = vue
        .etapes
        .iter()
        .map(|(nom, _)| nom.chars().count() + 5)
        .max()
        .unwrap_or(10);
    let colonnes = (largeur / largeur_colonne).clamp(1, 3);
    let rangees = vue.etapes.len().div_ceil(colonnes);
    (0..rangees)
        .map(|r| {
            let mut ligne = Vec::new();
            for c in 0..colonnes {
                let Some((nom, etat)) = vue.etapes.get(c * rangees + r) else {
                    continue;
                };
                let (signe, teinte) = match etat {
                    EtatEtape::Reussie => ("✓", Teinte::Vert),
                    EtatEtape::Ratee => ("✗", Teinte::Rouge),
                    EtatEtape::EnCours => ("…", Teinte::Jaune),
                    EtatEtape::NonVerifiable => ("○", Teinte::Terne),
                    EtatEtape::NonAtteinte => ("·", Teinte::Terne),
                };
                ligne.push((teinte, format!(" {signe} ")));
                let texte = format!("{nom:<width$}", width = largeur_colonne - 3);
                let teinte_nom = if *etat == EtatEtape::NonAtteinte {
                    Teinte::Terne
                } else {
                    Teinte::Normale
                };
                ligne.push((teinte_nom, texte));
            }
            ligne
        })
        .collect()
}

/// La zone qui défile : ce qui bloque (erreur de compilation, étape ratée)
/// ou la bonne nouvelle.
fn corps(vue: &Vue) -> Vec<Ligne> {
    let texte = |teinte, t: &str| vec![(teinte, t.to_string())];
    let mut lignes = Vec::new();
    if let Some(message) = &vue.message {
        lignes.push(texte(Teinte::Jaune, message));
    }
    if vue.tableau_du_cours {
        lignes.extend(tableau_du_cours(vue));
        return lignes;
    }
    match &vue.phase {
        Phase::CompilationRatee(explication) => {
            for l in explication.lines() {
                lignes.push(texte(Teinte::Normale, l));
            }
        }
        Phase::Probleme(probleme) => {
            lignes.push(texte(Teinte::Rouge, "La correction n'a pas pu se faire :"));
            for l in probleme.lines() {
                lignes.push(texte(Teinte::Normale, l));
            }
        }
        Phase::Compilation if vue.diagnostic.is_none() => {
            lignes.push(texte(Teinte::Terne, "Compilation du TP…"));
        }
        _ if vue.complet() => {
            lignes.push(texte(
                Teinte::Vert,
                &format!(
                    "✓ {} est fini : toutes les étapes passent (comme cargo test -p {}).",
                    vue.tp, vue.paquet
                ),
            ));
            lignes.push(match &vue.suivant {
                Some(suivant) => texte(
                    Teinte::Normale,
                    &format!("Appuyez sur s pour passer au {suivant}."),
                ),
                None => texte(Teinte::Normale, "C'était le dernier TP du cours. Bravo !"),
            });
        }
        _ => {}
    }
    if let (Some(etape), Some(diagnostic)) = (vue.etape_ratee(), &vue.diagnostic) {
        lignes.push(vec![
            (Teinte::Normale, "Pour lancer cette étape seule : ".into()),
            (Teinte::Gras, vue.commande_etape(etape)),
        ]);
        for (i, indice) in vue.indices.iter().enumerate() {
            lignes.push(texte(
                Teinte::Jaune,
                &format!(
                    "Indice {}/{} : {indice}",
                    i + 1,
                    vue.indices.len() + vue.indices_restants
                ),
            ));
        }
        if vue.indices.is_empty() && vue.indices_restants > 0 {
            lignes.push(texte(
                Teinte::Terne,
                &format!(
                    "(bloqué ? i montre un indice ; {} pour cette étape)",
                    vue.indices_restants
                ),
            ));
        }
        lignes.push(Vec::new());
        for l in diagnostic.lines() {
            let teinte = if l.starts_with('✗') {
                Teinte::Rouge
            } else {
                Teinte::Normale
            };
            lignes.push(texte(teinte, l));
        }
    } else if matches!(vue.phase, Phase::Notation) {
        lignes.push(texte(Teinte::Terne, "Correction en cours…"));
    }
    lignes
}

/// Le cours d'un coup d'œil, en tableau : étapes réussies, temps passé,
/// prochaine étape de chaque TP (ce que le mode suivi et `cargo
/// progression` ont gardé).
fn tableau_du_cours(vue: &Vue) -> Vec<Ligne> {
    let mut lignes = vec![vec![(
        Teinte::Gras,
        format!(
            "{:<6} {:>9} {:>8}  {}",
            "TP", "étapes", "temps", "prochaine étape"
        ),
    )]];
    for tp in &vue.cours {
        let prochaine = match (&tp.prochaine, tp.fini) {
            (_, true) => "fini".to_string(),
            (Some(etape), _) => etape.clone(),
            (None, _) => "pas encore corrigé".to_string(),
        };
        let teinte = if tp.fini {
            Teinte::Vert
        } else {
            Teinte::Normale
        };
        lignes.push(vec![(
            teinte,
            format!(
                "{:<6} {:>9} {:>8}  {prochaine}",
                tp.nom,
                tp.etapes,
                tp.temps.as_deref().unwrap_or("—")
            ),
        )]);
    }
    lignes.push(vec![(Teinte::Terne, "(c : revenir au diagnostic)".into())]);
    lignes
}

/// Replie une ligne trop longue ; les suites gardent le retrait de la ligne
/// (plus deux espaces), pour qu'un diagnostic reste lisible.
fn replier(ligne: Ligne, largeur: usize) -> Vec<Ligne> {
    let longueur: usize = ligne.iter().map(|(_, t)| t.chars().count()).sum();
    if longueur <= largeur {
        return vec![ligne];
    }
    let retrait = ligne
        .first()
        .map_or(0, |(_, t)| t.chars().take_while(|c| *c == ' ').count())
        + 2;
    let retrait = retrait.min(largeur / 2);
    let mut lignes = Vec::new();
    let mut courante: Ligne = Vec::new();
    let mut place = largeur;
    for (teinte, morceau) in ligne {
        let mut reste: Vec<char> = morceau.chars().collect();
        while !reste.is_empty() {
            if place == 0 {
                lignes.push(std::mem::take(&mut courante));
                courante.push((Teinte::Normale, " ".repeat(retrait)));
                place = largeur - retrait;
            }
            let mut n = place.min(reste.len());
            // Couper après une espace plutôt qu'au milieu d'un mot, si une
            // espace est assez proche de la fin.
            if n < reste.len()
                && let Some(espace) = reste[..n].iter().rposition(|c| *c == ' ')
                && espace + 1 > n / 2
            {
                n = espace + 1;
            }
            let pris: String = reste.drain(..n).collect();
            // Ligne pleine, ou coupée au mot : la suite va à la ligne.
            place = if reste.is_empty() { place - n } else { 0 };
            courante.push((teinte, pris));
        }
    }
    lignes.push(courante);
    lignes
}

/// Coupe une ligne à la largeur de l'écran.
fn couper(ligne: Ligne, largeur: usize) -> Ligne {
    let mut place = largeur;
    let mut coupee = Vec::new();
    for (teinte, texte) in ligne {
        if place == 0 {
            break;
        }
        let pris: String = texte.chars().take(place).collect();
        place -= pris.chars().count();
        coupee.push((teinte, pris));
    }
    coupee
}

/// Le texte seul d'une ligne.
pub fn texte_de(ligne: &Ligne) -> String {
    ligne.iter().map(|(_, t)| t.as_str()).collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vue() -> Vue {
        Vue {
            tp: "tp09".into(),
            paquet: "tp09".into(),
            suivant: Some("tp10".into()),
            etapes: vec![
                ("serveur_1_ecoute".into(), EtatEtape::Reussie),
                ("serveur_2_bienvenue".into(), EtatEtape::Ratee),
                ("serveur_3_lignes".into(), EtatEtape::NonAtteinte),
                (
                    "serveur_3_lignes_octet_par_octet".into(),
                    EtatEtape::NonAtteinte,
                ),
            ],
            diagnostic: Some(format!("✗ TP09 · serveur · étape 2\n  {}", "x".repeat(200))),
            phase: Phase::Finie,
            indices: vec!["premier indice"],
            indices_restants: 2,
            cours: vec![
                ResumeTp {
                    nom: "tp08".into(),
                    etapes: "10/10 ✓".into(),
                    fini: true,
                    temps: Some("1 h 05".into()),
                    prochaine: None,
                },
                ResumeTp {
                    nom: "tp09".into(),
                    etapes: "1/4".into(),
                    fini: false,
                    temps: Some("25 min".into()),
                    prochaine: Some("serveur_2_bienvenue".into()),
                },
            ],
            tableau_du_cours: false,
            temps: Some("25 min".into()),
            message: None,
            defilement: 0,
        }
    }

    fn textes(lignes: &[Ligne]) -> Vec<String> {
        lignes.iter().map(texte_de).collect()
    }

    #[test]
    fn l_ecran_tient_dans_le_terminal_et_garde_haut_et_touches() {
        let (lignes, max) = dessiner(&vue(), 60, Some(16));
        let t = textes(&lignes);
        assert_eq!(t.len(), 16);
        assert!(t.iter().all(|l| l.chars().count() <= 60));
        assert!(t[0].starts_with("cargo suivre · tp09 · 1/4 étapes · temps passé : 25 min"));
        assert!(t.iter().any(|l| l.contains("✓ serveur_1_ecoute")));
        assert!(t.iter().any(|l| l.contains("✗ serveur_2_bienvenue")));
        assert!(t.iter().any(|l| l.contains("· serveur_3_lignes ")));
        assert!(t.iter().any(|l| l.contains("Indice 1/3 : premier indice")));
        assert!(t[15].starts_with("r recorriger"));
        assert!(TOUCHES.chars().count() <= 80);
        assert!(max > 0, "le diagnostic replié dépasse : la zone défile");
        assert!(t.iter().any(|l| l.contains("lignes de plus")));
    }

    #[test]
    fn le_tableau_du_cours_donne_temps_et_prochaine_etape() {
        let mut v = vue();
        v.tableau_du_cours = true;
        let (lignes, _) = dessiner(&v, 100, Some(30));
        let t = textes(&lignes).join("\n");
        assert!(t.contains("tp08     10/10 ✓   1 h 05  fini"), "{t}");
        assert!(
            t.contains("tp09         1/4   25 min  serveur_2_bienvenue"),
            "{t}"
        );
        assert!(
            !t.contains("✗ TP09 · serveur"),
            "le diagnostic cède la place :\n{t}"
        );
    }

    #[test]
    fn le_nom_prefixe_d_un_autre_se_lance_avec_exact() {
        let v = vue();
        assert_eq!(
            v.commande_etape("serveur_3_lignes"),
            "cargo test -p tp09 -- --exact serveur_3_lignes"
        );
        assert_eq!(
            v.commande_etape("serveur_2_bienvenue"),
            "cargo test -p tp09 serveur_2_bienvenue"
        );
    }

    #[test]
    fn un_tp_fini_propose_le_suivant() {
        let mut v = vue();
        for (_, e) in &mut v.etapes {
            *e = EtatEtape::Reussie;
        }
        v.diagnostic = None;
        let (lignes, _) = dessiner(&v, 100, None);
        let t = textes(&lignes).join("\n");
        assert!(
            t.contains("✓ tp09 est fini : toutes les étapes passent"),
            "{t}"
        );
        assert!(t.contains("Appuyez sur s pour passer au tp10."), "{t}");
    }

    #[test]
    fn les_lignes_repliees_gardent_leur_retrait() {
        let repliees = replier(
            vec![(Teinte::Normale, format!("    {}", "y".repeat(40)))],
            20,
        );
        let t = textes(&repliees);
        assert_eq!(t.len(), 3);
        assert!(t[1].starts_with("      y"));
        assert!(t.iter().all(|l| l.chars().count() <= 20));
        let mots = replier(
            vec![(Teinte::Normale, "un deux trois quatre cinq six".into())],
            12,
        );
        assert_eq!(
            textes(&mots),
            ["un deux ", "  trois ", "  quatre ", "  cinq six"]
        );
    }
}
