//! TP09 — client et serveur TCP.
//!
//! Le scénario (chapitre « TP09 » du livre) : le serveur accepte un client,
//! lui souhaite la bienvenue en une ligne, reçoit deux lignes, les affiche
//! et ferme. Tous les messages finissent par `\n`.
//!
//! Une fonction par étape du chapitre ; chacune lance le programme de
//! l'étudiant et joue l'autre côté, comme le ferait le programme du
//! chapitre : il ferme son côté quand le protocole le dit, et accepte
//! toute fermeture ordonnée (`shutdown`, puis lecture jusqu'à la fin du
//! flux). Les lignes sont envoyées d'un bloc, octet par octet, ou en
//! morceaux coupés au milieu d'un caractère : un programme qui suppose
//! « un `read` = un message » est démasqué. Chaque échec nomme la règle
//! (R1, R2…) de la liste « Les règles » du chapitre qu'il contredit.

mod cote_client;
mod cote_serveur;
mod processus_linux;

pub use cote_client::*;
pub use cote_serveur::*;

use std::time::Duration;

use crate::arret_explique::echec_explique;
use crate::diagnostic::Diagnostic;
use crate::etape::{Cote, DELAI_REPONSE, Etape};
use crate::processus::Programme;
use crate::reseau::{self, Lecteur, LectureIncomplete, Raison};

const TP: &str = "TP09";

/// Pause entre deux morceaux envoyés séparément.
const PAUSE_ENTRE_MORCEAUX: Duration = Duration::from_millis(30);
/// Pause entre deux octets, dans l'envoi octet par octet.
const PAUSE_ENTRE_OCTETS: Duration = Duration::from_millis(2);
/// La longueur maximale d'une ligne, `\n` compris.
pub const LONGUEUR_MAX: usize = 4096;
/// La ligne que les deux programmes affichent en fermant.
const CONNEXION_FERMEE: &str = "Connexion fermée.";

/// La ligne de bienvenue du serveur.
pub fn bienvenue(port: u16) -> String {
    format!("Bonjour Client, je suis le serveur {port}, la connexion est établie\n")
}

/// Les deux lignes du client, dans l'ordre.
pub fn lignes_du_client(port: u16) -> [String; 2] {
    [
        format!("Bonjour Serveur {port}, nous sommes donc dans la phase de transfert\n"),
        format!("Serveur {port}, je vous dis au revoir\n"),
    ]
}

/// L'annonce du serveur, une fois en écoute.
pub fn annonce(port: u16) -> String {
    format!("{}{port}", DEBUT_ANNONCE)
}

/// L'annonce sans son numéro de port.
const DEBUT_ANNONCE: &str = "Le serveur écoute sur toutes les interfaces (0.0.0.0), port ";

/// Une ligne telle qu'un programme doit l'afficher : sans son `\n`.
fn affichee(ligne: &str) -> &str {
    ligne.trim_end_matches('\n')
}

fn serveur(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Serveur,
        numero,
        nom,
    }
}

fn client(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Client,
        numero,
        nom,
    }
}

/// Si le programme a fermé pendant que le correcteur écrivait, l'écriture
/// échoue (tube cassé) : ce n'est pas le diagnostic — ce qu'il a affiché
/// l'est —, mais c'est une piste.
fn envoi_interrompu(diagnostic: Diagnostic, envoi: std::io::Result<()>) -> Diagnostic {
    match envoi {
        Err(_) => diagnostic.indice(
            "le programme a fermé la connexion avant la fin de l'envoi : il n'a pas \
             attendu la fin de la ligne.",
        ),
        Ok(()) => diagnostic,
    }
}

/// La fin de l'échange, vue de l'autre côté : le programme ferme la
/// connexion sans rien envoyer de plus (R14), puis le correcteur ferme la
/// sienne — un programme qui attend la fin de flux du correcteur avant de
/// partir (fermeture ordonnée) la reçoit donc —, enfin le programme
/// affiche « Connexion fermée. » et se termine avec le code 0 (`regle`).
fn fin_de_l_echange(
    etape: &Etape,
    lecteur: Lecteur,
    programme: &mut Programme,
    regle: &'static str,
) -> Result<(), Diagnostic> {
    fin_de_flux(etape, lecteur, programme, regle)?;
    etape
        .fin_normale(programme)
        .map_err(|d| d.enfreint(regle))?;
    programme
        .attendre_lignes(&[CONNEXION_FERMEE], DELAI_REPONSE)
        .map_err(|(manquante, recue)| {
            etape
                .echec_de(
                    programme,
                    format!(
                        "Le {} s'est bien terminé, mais sans afficher « {CONNEXION_FERMEE} ».",
                        programme.role
                    ),
                )
                .ecart(manquante, recue.unwrap_or_default())
                .enfreint(regle)
        })
}

/// Attend que le programme ferme la connexion (le correcteur lit 0 octet,
/// ou une réinitialisation), puis ferme la sienne.
fn fin_de_flux(
    etape: &Etape,
    mut lecteur: Lecteur,
    programme: &Programme,
    regle: &'static str,
) -> Result<(), Diagnostic> {
    let resultat = match lecteur.fin(DELAI_REPONSE) {
        Ok(reste) if reste.is_empty() => Ok(()),
        Ok(reste) => Err(etape
            .echec_de(
                programme,
                format!(
                    "Le {} a envoyé des octets que le protocole ne prévoit pas avant de fermer.",
                    programme.role
                ),
            )
            .ecart(Vec::new(), reste)
            .indice("rien d'autre ne circule que les trois lignes du protocole.")
            .enfreint("R14")),
        Err(LectureIncomplete {
            raison: Raison::Erreur(e),
            ..
        }) if e.kind() == std::io::ErrorKind::ConnectionReset => Ok(()),
        Err(LectureIncomplete { recu, raison }) => {
            let explication = match raison {
                Raison::Erreur(e) => format!("Erreur en attendant la fermeture : {e}."),
                _ => format!(
                    "Le {} n'a pas fermé la connexion dans les {} s qui ont suivi le dernier \
                     message (le correcteur, lui, avait fini d'écrire et fermé son côté).",
                    programme.role,
                    DELAI_REPONSE.as_secs()
                ),
            };
            let mut diagnostic = etape
                .echec_de(programme, explication)
                .indice(
                    "fermez la socket quand l'échange est fini (drop, ou shutdown) : \
                     l'autre côté lit alors 0 octet, c'est la fin de flux.",
                )
                .enfreint(regle);
            if !recu.is_empty() {
                diagnostic = diagnostic.ecart(Vec::new(), recu).enfreint("R14");
            }
            Err(diagnostic)
        }
    };
    // Le correcteur ferme à son tour : close(2), le programme lit la fin de flux.
    drop(lecteur);
    resultat
}

/// Un programme qui a fermé la connexion (fin de flux ou réinitialisation)
/// est le plus souvent en train de s'arrêter — sur un `todo!()`, une
/// panique. Le diagnostic attend (borné) qu'il ait fini, pour montrer sa
/// sortie d'erreur entière, au lieu d'un instantané pris trop tôt.
fn completer_si_parti(
    diagnostic: Diagnostic,
    lecteur: &mut Lecteur,
    programme: &mut Programme,
) -> Diagnostic {
    if !pair_parti(lecteur.flux()) || programme.attendre_fin(DELAI_REPONSE).is_none() {
        return diagnostic;
    }
    let mut diagnostic = diagnostic;
    diagnostic.sortie = programme.dernieres_lignes();
    match crate::indices::dans_les_erreurs(&programme.erreurs()) {
        Some(indice) => diagnostic.indice(indice),
        None => diagnostic,
    }
}

/// Vrai si le pair a fermé sa connexion : une lecture sans attente y
/// trouve la fin de flux ou une réinitialisation.
fn pair_parti(flux: &std::net::TcpStream) -> bool {
    if flux.set_nonblocking(true).is_err() {
        return false;
    }
    let parti = match flux.peek(&mut [0u8; 1]) {
        Ok(lus) => lus == 0,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = flux.set_nonblocking(false);
    parti
}

/// Envoie les `morceaux` l'un après l'autre. Sous Linux, chaque
/// morceau attend que le programme ait lu le précédent (il s'est rendormi,
/// lu dans `/proc`) : un `read` rend alors exactement un morceau, même sur
/// une machine chargée où le programme prend du retard. Ailleurs, ou si le
/// programme ne se rendort pas, une `pause` sépare les morceaux.
fn envoyer_morceau_par_morceau<'a>(
    lecteur: &mut Lecteur,
    programme: &mut Programme,
    morceaux: impl IntoIterator<Item = &'a [u8]>,
    pause: Duration,
) -> std::io::Result<()> {
    let mut suivre = cfg!(target_os = "linux");
    for morceau in morceaux {
        let avant = processus_linux::sommeils(programme.pid());
        reseau::ecrire_en_morceaux(lecteur.flux(), morceau, usize::MAX, Duration::ZERO)?;
        match avant {
            Some(avant) if suivre => {
                match processus_linux::attendre_un_nouveau_sommeil(programme, avant, DELAI_REPONSE)
                {
                    processus_linux::Attente::Endormi => {}
                    processus_linux::Attente::Arrete => return Ok(()),
                    processus_linux::Attente::Delai => suivre = false,
                }
            }
            _ => std::thread::sleep(pause),
        }
    }
    Ok(())
}

/// Ferme le sens correcteur → programme, comme le pair du chapitre quand il
/// a fini d'écrire. Une erreur (le programme est déjà parti) ne change rien.
fn fermer_l_ecriture(lecteur: &mut Lecteur) {
    let _ = reseau::fermer_ecriture(lecteur.flux());
}

// ─── Les deux ensemble ─────────────────────────────────────────────────────

/// Le client de l'étudiant contre son propre serveur.
pub fn croise_client_et_serveur(binaire: &std::path::Path) -> Result<(), Diagnostic> {
    let etape = Etape {
        tp: TP,
        cote: Cote::Croise,
        numero: 1,
        nom: "votre client avec votre serveur",
    };
    let port = reseau::port_libre();
    let mut serveur = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    etape.attendre_ecoute(&mut serveur, port)?;
    let mut client = etape.lancer(
        binaire,
        "client",
        &["client", "127.0.0.1", &port.to_string()],
    )?;
    let croise = |d: Diagnostic| d.sortie(serveur.dernieres_lignes());
    etape
        .lignes_affichees(
            &client,
            &[affichee(&bienvenue(port))],
            "le client affiche la bienvenue du serveur.",
        )
        .map_err(|d| croise(d.enfreint("R18")))?;
    let lignes = lignes_du_client(port);
    etape
        .lignes_affichees(
            &serveur,
            &[affichee(&lignes[0]), affichee(&lignes[1])],
            "le serveur affiche les deux lignes du client.",
        )
        .map_err(|d| d.sortie(client.dernieres_lignes()).enfreint("R8"))?;
    etape
        .fin_normale(&mut client)
        .map_err(|d| d.sortie(serveur.dernieres_lignes()).enfreint("R22"))?;
    etape
        .fin_normale(&mut serveur)
        .map_err(|d| d.sortie(client.dernieres_lignes()).enfreint("R13"))
}
