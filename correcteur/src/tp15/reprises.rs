//! Les contrôles des TP12 et TP13, repris tels quels : le protocole et les
//! exigences n'ont pas changé, seule l'écriture du serveur change. Le
//! diagnostic prend le titre de l'étape du TP15 et la règle du chapitre du
//! TP15 ; les phrases propres aux architectures des TP12 et TP13 (threads,
//! exécutants, boucle d'événements, WouldBlock…) laissent la place à un
//! indice propre aux tâches asynchrones.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::{Etape, Verification};

use super::serveur;

/// Les mots qui signalent une phrase propre aux architectures des TP12 et TP13.
const PROPRES_AUX_TP12_ET_TP13: [&str; 14] = [
    "thread",
    "exécutant",
    "veilleur",
    "Mutex",
    "BufReader",
    "Read::take",
    "try_clone",
    "mio",
    "epoll",
    "WouldBlock",
    "boucle",
    "register",
    "Interest",
    "non bloquant",
];

const INDICE_TACHES: &str = "chaque client a sa tâche (tokio::spawn), et une tâche n'attend \
     jamais qu'avec .await sur une opération de tokio (lecture, écriture, sommeil) : une \
     fonction bloquante de la bibliothèque standard, ou un verrou gardé pendant un .await, \
     retient un thread du moteur et les autres tâches avec lui.";

const INDICE_FAUTE: &str = "une faute d'un client ne termine que sa tâche : affichez l'erreur, \
     fermez sa connexion (la socket est lâchée en sortant de la tâche), et laissez la tâche \
     d'accueil continuer.";

/// Lance un contrôle d'un autre TP et adapte son diagnostic au TP15.
fn reprise(
    etape: Etape,
    regle: &'static str,
    controle: Verification,
    binaire: &Path,
    indice: &str,
) -> Result<(), Diagnostic> {
    controle(binaire).map_err(|d| {
        let d = adapter(d, &etape, regle, indice);
        let d = en_avance(d, binaire);
        // R6 dit elle-même que le client qui ne lit pas ne gêne personne :
        // un client sans réponse à côté de lui, c'est ce qu'elle vérifie.
        if regle == "R6" {
            d
        } else {
            qui_attend(d, binaire)
        }
    })
}

/// Nomme la règle que l'observation contredit, sauf sur un `todo!()`.
fn nommer(mut d: Diagnostic, regle: &'static str) -> Diagnostic {
    d.regle = None;
    d.enfreint(regle)
}

/// Vrai pour une réponse du bar, à une commande quelconque.
fn est_une_reponse(ligne: &[u8]) -> bool {
    ligne.starts_with("vous m'avez demandé : ".as_bytes())
        && ligne.ends_with(" bien reçu 5 / 5\n".as_bytes())
}

/// Une réponse est arrivée à la place d'une autre : commande perdue (la
/// règle de l'étape) ou réponse en avance sur celles d'avant (R7) ? L'étape
/// s'arrête à la première ligne fausse ; une sonde de l'ordre départage.
fn en_avance(d: Diagnostic, binaire: &Path) -> Diagnostic {
    let Some((attendu, recu)) = &d.ecart else {
        return d;
    };
    if attendu == recu || !est_une_reponse(attendu) || !est_une_reponse(recu) {
        return d;
    }
    if super::asynchrone::dans_le_desordre(binaire) {
        nommer(d, "R7").indice(
            "le bar rend bien une réponse par commande, mais pas dans l'ordre : une tâche par \
             client, qui lit une commande, y répond, puis lit la suivante.",
        )
    } else {
        d
    }
}

/// Ce que l'étape reprise a vu, rapporté à la règle du TP15 qui l'explique,
/// quand ce n'est pas celle que l'étape vérifie :
/// - la ligne attendue était « Client connecté : … » : l'annonce (R2) ;
/// - un client n'a reçu aucune réponse alors que le bar en avait déjà
///   accueilli un autre : ce client attend une autre tâche (R4), ou les
///   threads du moteur sont retenus par des appels bloquants (R5) ; une
///   sonde départage (un seul client silencieux suffit-il ?).
fn qui_attend(d: Diagnostic, binaire: &Path) -> Diagnostic {
    let Some((attendu, recu)) = d.ecart.clone() else {
        return d;
    };
    if attendu.starts_with(b"Client connect") {
        return nommer(d, "R2");
    }
    let accueillis = d
        .sortie
        .iter()
        .filter(|ligne| ligne.contains("Client connecté : "))
        .count();
    let sans_reponse = attendu.starts_with("vous m'avez demandé".as_bytes()) && recu.is_empty();
    if !sans_reponse || accueillis < 2 {
        return d;
    }
    match super::asynchrone::un_silencieux_suffit(binaire) {
        Some(true) => nommer(d, "R4").indice(super::asynchrone::INDICE_UN_SILENCIEUX),
        Some(false) => nommer(d, "R5").indice(
            "un client silencieux ne retarde pas le suivant, plusieurs le font : leurs tâches \
             retiennent les threads du moteur (un appel bloquant), et plus rien n'avance.",
        ),
        None => d,
    }
}

/// Le titre devient celui de l'étape du TP15 ; la règle enfreinte, s'il y
/// en a une (pas quand le programme s'est arrêté sur un `todo!()`), devient
/// celle du chapitre du TP15 que ce contrôle vérifie.
fn adapter(mut d: Diagnostic, etape: &Etape, regle: &'static str, indice: &str) -> Diagnostic {
    let propre = |texte: &str| {
        PROPRES_AUX_TP12_ET_TP13
            .iter()
            .any(|mot| texte.contains(mot))
    };
    d.titre = etape.echec("").titre;
    if d.regle.is_some() {
        d.regle = Some(regle);
    }
    d.explication = d
        .explication
        .lines()
        .filter(|ligne| !propre(ligne))
        .collect::<Vec<_>>()
        .join("\n");
    d.indices.retain(|i| !propre(i));
    d.indice(indice)
}

/// Étape 3 : une réponse par commande (TP13, étape 3).
pub fn serveur_3_commandes(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "une réponse par commande"),
        "R3",
        crate::tp13::serveur_3_commandes,
        binaire,
        "lisez jusqu'au « \\n » (read_until sur un BufReader de tokio, borné par take), répondez \
         avec write_all(…).await, une fois par commande entière.",
    )
}

/// Étape 3 : un client de l'arrivée au départ (TP12, étape 4).
pub fn serveur_3_un_client(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "un client, de l'arrivée au départ"),
        "R3",
        crate::tp12::serveur_4_un_client,
        binaire,
        "après « fin » et sa réponse, la tâche se termine : la socket est fermée, et « Client \
         parti : IP:PORT » est écrit.",
    )
}

/// Étape 3 : la fin du flux sans « fin » (TP12, étape 4).
pub fn serveur_3_fin_de_flux_sans_fin(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "fin de flux sans « fin »"),
        "R3",
        crate::tp12::serveur_4_fin_de_flux_sans_fin,
        binaire,
        "read_until qui rend 0 octet, c'est la fin du flux : la tâche ferme sans rien envoyer.",
    )
}

/// Étape 3 : une commande en morceaux, deux commandes collées (TP12, étape 4).
pub fn serveur_3_commande_en_morceaux(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "commandes en morceaux ou collées"),
        "R3",
        crate::tp12::serveur_4_commande_en_morceaux,
        binaire,
        "un seul BufReader de tokio pour toute la session : ce qu'il a lu d'avance reste pour la \
         commande suivante.",
    )
}

/// Étape 3 : un client part brutalement (TP12, étape 4).
pub fn serveur_3_reinitialisation(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "un client part brutalement (RST)"),
        "R3",
        crate::tp12::serveur_4_reinitialisation,
        binaire,
        INDICE_FAUTE,
    )
}

/// Étape 3 : des octets qui ne sont pas de l'UTF-8 (TP12, étape 4).
pub fn serveur_3_utf8_invalide(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "une commande qui n'est pas de l'UTF-8"),
        "R3",
        crate::tp12::serveur_4_utf8_invalide,
        binaire,
        INDICE_FAUTE,
    )
}

/// Étape 3 : une ligne trop longue (TP12, étape 4).
pub fn serveur_3_ligne_trop_longue(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "une ligne trop longue"),
        "R3",
        crate::tp12::serveur_4_ligne_trop_longue,
        binaire,
        "bornez la lecture (AsyncReadExt::take(1024)) : au-delà, sans « \\n », la session \
         s'arrête.",
    )
}

/// Étape 3 : chaque session finie rend son descripteur (TP12, étape 4).
pub fn serveur_3_descripteurs(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "aucun descripteur perdu"),
        "R3",
        crate::tp12::serveur_4_descripteurs,
        binaire,
        "la socket appartient à la tâche : elle est fermée quand la tâche se termine. Une tâche \
         qui ne se termine jamais garde sa socket.",
    )
}

/// Étape 3 : vingt clients servis en même temps (TP12, étape 4).
pub fn serveur_3_vingt_clients(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "vingt clients à la fois"),
        "R4",
        crate::tp12::serveur_4_vingt_clients,
        binaire,
        INDICE_TACHES,
    )
}

/// Étape 3 : un client silencieux ne retarde pas les autres (TP12, étape 4).
pub fn serveur_3_client_silencieux(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "un client silencieux ne retarde pas les autres"),
        "R4",
        crate::tp12::serveur_4_client_silencieux,
        binaire,
        INDICE_TACHES,
    )
}

/// Étape 3 : mille clients connectés ensemble (TP13, étape 5).
pub fn serveur_3_mille_clients(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "mille clients à la fois"),
        "R4",
        crate::tp13::serveur_5_mille_clients,
        binaire,
        INDICE_TACHES,
    )
}

/// Étape 3 : un client qui ne lit pas ses réponses (TP13, étape 6).
pub fn serveur_3_client_qui_ne_lit_pas(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "un client qui ne lit pas ses réponses"),
        "R6",
        crate::tp13::serveur_6_client_qui_ne_lit_pas,
        binaire,
        "répondez avec write_all(…).await dans la tâche même qui lit : tant que le client ne lit \
         pas, l'écriture attend, et la tâche ne lit plus ses commandes. Un canal sans limite \
         vers une tâche d'écriture accumule au contraire les réponses en mémoire.",
    )
}

/// Étape 3 : au repos, le serveur ne consomme rien (TP13, étape 7).
pub fn serveur_3_processeur_au_repos(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(3, "au repos, le processeur aussi"),
        "R8",
        crate::tp13::serveur_7_processeur_au_repos,
        binaire,
        "une tâche qui attend le fait avec .await sur une lecture : le moteur la réveille quand \
         des octets arrivent. Une boucle de try_read et de yield_now tourne sans fin.",
    )
}

/// Étape 4 : au plus N clients servis à la fois (TP12, étape 5).
pub fn serveur_4_limite_de_clients(binaire: &Path) -> Result<(), Diagnostic> {
    reprise(
        serveur(4, "au plus N clients à la fois"),
        "R9",
        crate::tp12::serveur_5_limite_de_clients,
        binaire,
        "un Semaphore de N places : try_acquire_owned() avant de lancer la tâche ; sans place, \
         « bar complet, revenez plus tard\\n » puis fermeture. La place (OwnedSemaphorePermit) \
         part avec la tâche et se rend quand elle se termine.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cote;

    #[test]
    fn le_diagnostic_adapte_parle_du_tp15_et_de_ses_regles() {
        let tp13 = Etape {
            tp: "TP13",
            cote: Cote::Serveur,
            numero: 5,
            nom: "vingt clients à la fois",
        };
        let d = tp13
            .echec("Le client n°2 attend.\nLa boucle d'événements est bloquée dans read().")
            .regle("R12")
            .indice("sockets non bloquantes, lectures jusqu'à WouldBlock")
            .indice("le programme s'est arrêté sur un todo!() : …");
        let d = adapter(
            d,
            &serveur(3, "vingt clients à la fois"),
            "R4",
            INDICE_TACHES,
        );
        assert_eq!(
            d.titre,
            "TP15 · serveur · étape 3 — vingt clients à la fois"
        );
        assert_eq!(d.explication, "Le client n°2 attend.");
        assert_eq!(d.regle, Some("R4"));
        assert_eq!(d.indices.len(), 2);
        assert!(d.indices[0].contains("todo!()") && d.indices[1] == INDICE_TACHES);
    }
}
