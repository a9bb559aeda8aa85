//! Les contrôles du serveur du TP12, repris tels quels : le protocole n'a
//! pas changé. Seul le diagnostic est adapté : il porte le titre de l'étape
//! du TP13, et les phrases qui parlent de l'architecture du TP12 (threads,
//! veilleur, exécutants, verrous, BufReader) laissent la place à un indice
//! propre à la boucle d'événements.

use std::path::Path;

use crate::diagnostic::Diagnostic;

use crate::{Etape, Verification};

use super::serveur;

/// Les mots qui signalent une phrase propre à l'architecture du TP12.
const PROPRES_AU_TP12: [&str; 7] = [
    "thread",
    "exécutant",
    "veilleur",
    "Mutex",
    "BufReader",
    "Read::take",
    "try_clone",
];

const INDICE_PLUSIEURS: &str = "la boucle ne doit jamais attendre un client en particulier : \
     sockets non bloquantes, lectures jusqu'à WouldBlock, et chaque connexion garde son état \
     (tampons, où elle en est) pour reprendre au prochain événement.";

const INDICE_FAUTE: &str = "une faute d'un client ne termine que sa connexion : pas de « ? » \
     qui remonte jusqu'à la boucle, ni de process::exit. La boucle ferme cette connexion-là et \
     continue.";

/// Lance un contrôle du TP12 et adapte son diagnostic au TP13.
fn reprise(
    etape: Etape,
    regle: &'static str,
    controle: Verification,
    binaire: &Path,
    indice: &str,
) -> Result<(), Diagnostic> {
    let (resultat, constat) = crate::tp12::sous_la_sonde(sonde, || controle(binaire));
    resultat.map_err(|d| {
        let d = renommer_la_regle(adapter(d, &etape, indice), regle);
        match constat {
            Some(constat) => constat(d),
            None => d,
        }
    })
}

/// Quand une commande reste sans réponse pendant un contrôle du TP12,
/// l'appel système où le seul thread du serveur est bloqué à cet instant :
/// dans read() sur une socket de service restée bloquante, c'est R2 qui est
/// enfreinte, pas la règle du contrôle repris.
fn sonde(pid: u32) -> Option<crate::tp12::Constat> {
    let blocage = super::bar::blocage(pid, |_| None)?;
    Some(Box::new(move |d| blocage.expliquer(d)))
}

/// La règle enfreinte, s'il y en a une (pas quand le programme s'est arrêté
/// sur un `todo!()`), devient celle du chapitre du TP13 que ce contrôle
/// vérifie.
fn renommer_la_regle(mut d: Diagnostic, regle: &'static str) -> Diagnostic {
    if d.regle.is_some() {
        d.regle = Some(regle);
    }
    d
}

fn adapter(mut d: Diagnostic, etape: &Etape, indice: &str) -> Diagnostic {
    let propre = |texte: &str| PROPRES_AU_TP12.iter().any(|mot| texte.contains(mot));
    d.titre = etape.echec("").titre;
    d.explication = d
        .explication
        .lines()
        .filter(|ligne| !propre(ligne))
        .collect::<Vec<_>>()
        .join("\n");
    d.indices.retain(|i| !propre(i));
    d.indice(indice)
}

/// Étape 4 : un client commande deux fois puis dit « fin » ; arrivée et
/// départ sont notés, et le client suivant est servi (TP12, étape 4).
pub fn serveur_4_un_client(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(4, "un client, de l'arrivée au départ"),
        "R3",
        crate::tp12::serveur_4_un_client,
        binaire,
        "accueillir note « Client connecté : IP:PORT », fermer note « Client parti : IP:PORT ». \
         Après « fin », la connexion n'accepte plus de commande : elle envoie ses dernières \
         réponses, puis la boucle la ferme.",
    )
}

/// Étape 4 : la fin du flux sans « fin » (TP12, étape 4).
pub fn serveur_4_fin_de_flux_sans_fin(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(4, "fin de flux sans « fin »"),
        "R3",
        crate::tp12::serveur_4_fin_de_flux_sans_fin,
        binaire,
        "read() qui rend 0, c'est la fin du flux : la connexion n'a plus rien à lire. Elle envoie \
         ce qu'elle doit encore, puis se ferme, sans rien ajouter.",
    )
}

/// Étape 4 : une commande en morceaux, deux commandes collées (TP12, étape 4).
pub fn serveur_4_commande_en_morceaux(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(4, "commande en morceaux, commandes collées"),
        "R3",
        crate::tp12::serveur_4_commande_en_morceaux,
        binaire,
        "une commande peut arriver en plusieurs read(), et plusieurs dans un seul : gardez les \
         octets reçus dans le tampon d'entrée de la connexion d'un événement à l'autre, et ne \
         répondez qu'aux lignes entières.",
    )
}

/// Étape 4 : un client part brutalement (TP12, étape 4).
pub fn serveur_4_reinitialisation(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(4, "un client part brutalement (RST)"),
        "R4",
        crate::tp12::serveur_4_reinitialisation,
        binaire,
        INDICE_FAUTE,
    )
}

/// Étape 4 : une commande qui n'est pas de l'UTF-8 (TP12, étape 4).
pub fn serveur_4_utf8_invalide(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(4, "une commande qui n'est pas de l'UTF-8"),
        "R4",
        crate::tp12::serveur_4_utf8_invalide,
        binaire,
        INDICE_FAUTE,
    )
}

/// Étape 4 : une ligne d'un mégaoctet (TP12, étape 4).
pub fn serveur_4_ligne_trop_longue(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(4, "une ligne d'un mégaoctet"),
        "R4",
        crate::tp12::serveur_4_ligne_trop_longue,
        binaire,
        "quand le tampon d'entrée atteint 1024 octets sans « \\n », ce n'est plus une commande : \
         la session s'arrête, sans attendre la suite ni laisser ce tampon grossir.",
    )
}

/// Étape 4 : cent sessions, aucun descripteur oublié (TP12, étape 4).
pub fn serveur_4_descripteurs(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(4, "cent sessions, aucune socket oubliée"),
        "R5",
        crate::tp12::serveur_4_descripteurs,
        binaire,
        "au départ d'un client, retirez sa connexion de la table (HashMap::remove) et de \
         l'ensemble surveillé (deregister) : la lâcher ferme sa socket. shutdown() termine \
         l'échange, mais ne rend pas le descripteur.",
    )
}

/// Étape 5 : vingt clients à la fois (TP12, étape 4).
pub fn serveur_5_vingt_clients(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(5, "vingt clients à la fois"),
        "R7",
        crate::tp12::serveur_4_vingt_clients,
        binaire,
        INDICE_PLUSIEURS,
    )
}

/// Étape 5 : un client silencieux ne retarde pas les autres (TP12, étape 4).
pub fn serveur_5_client_silencieux(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(5, "un client silencieux ne retarde pas les autres"),
        "R7",
        crate::tp12::serveur_4_client_silencieux,
        binaire,
        INDICE_PLUSIEURS,
    )
}

/// Étape 8 : `--max-clients`, et la place qui se libère (TP12, étape 5).
pub fn serveur_8_limite_de_clients(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(8, "--max-clients : bar complet"),
        "R10",
        crate::tp12::serveur_5_limite_de_clients,
        binaire,
        "le nombre de clients servis, c'est la taille de la table des connexions : refusez le \
         nouveau venu quand elle atteint N. La place se libère quand la connexion d'un client \
         parti quitte la table.",
    )
}

/// Étape 1 : relancé aussitôt sur le même port après une session (TP12,
/// étape 1).
pub fn serveur_1_redemarrage(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(1, "relancé aussitôt sur le même port"),
        "R13",
        crate::tp12::serveur_4_redemarrage,
        binaire,
        "mio::net::TcpListener::bind règle SO_REUSEADDR ; avec socket2, appelez \
         set_reuse_address(true) avant bind.",
    )
}

/// Étape 4 : une ligne de 1024 octets tout juste, puis de 1025 (TP12,
/// étape 6).
pub fn serveur_4_ligne_de_1024_octets(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(4, "une ligne de 1024 octets tout juste, puis de 1025"),
        "R4",
        crate::tp12::serveur_4_ligne_de_1024_octets,
        binaire,
        "cherchez le « \\n » dans les 1024 premiers octets du tampon d'entrée, « \\n » \
         compris : s'il n'y est pas et que le tampon en compte 1024 ou plus, fermez.",
    )
}

/// Étape 9 : `--inactivite 1` congédie le client muet (TP12, étape 4).
pub fn serveur_9_inactivite(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(9, "--inactivite : le client muet est congédié"),
        "R11",
        crate::tp12::serveur_4_inactivite,
        binaire,
        "chaque connexion retient l'heure de son dernier événement ; avant chaque poll(), \
         fermez celles qui se taisent depuis le délai, et donnez à poll() le temps qui reste \
         avant la prochaine échéance, pas un délai fixe.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cote;

    #[test]
    fn le_diagnostic_adapte_parle_du_tp13_et_plus_des_threads() {
        let tp12 = Etape {
            tp: "TP12",
            cote: Cote::Serveur,
            numero: 2,
            nom: "vingt clients à la fois",
        };
        let d = tp12
            .echec("Le client n°2 attend.\nSes exécutants ne travaillent pas en même temps.")
            .indice("confiez la socket à un exécutant (thread::spawn(move || …))")
            .indice("le programme s'est arrêté sur un todo!() : …");
        let d = adapter(d, &serveur(5, "vingt clients à la fois"), INDICE_PLUSIEURS);
        assert_eq!(
            d.titre,
            "TP13 · serveur · étape 5 — vingt clients à la fois"
        );
        assert_eq!(d.explication, "Le client n°2 attend.");
        assert_eq!(d.indices.len(), 2);
        assert!(d.indices[0].contains("todo!()") && d.indices[1] == INDICE_PLUSIEURS);
    }
}
