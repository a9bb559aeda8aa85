//! Le travail d'un fil de connexion : lire une requête, y répondre, fermer.

use std::fs::File;
use std::io::{self, Read};
use std::net::{Shutdown, TcpStream};
use std::sync::PoisonError;
use std::time::Duration;

use super::Contexte;
use super::chemin::{self, Resolution};
use super::reponse::{self, Page};
use super::requete::{self, EchecLecture, Methode, TAILLE_MAX_ENTETE};

/// Délai d'écriture : un client qui ne lit plus sa réponse (fenêtre TCP
/// pleine) ne bloque pas un fil indéfiniment.
const DELAI_ECRITURE: Duration = Duration::from_secs(10);

/// Temps laissé au client, après la réponse, pour fermer de son côté.
const DELAI_FERMETURE: Duration = Duration::from_millis(500);

/// Sert une connexion de bout en bout. Les erreurs réseau (client parti,
/// délai dépassé) ne concernent que ce client : on les ignore, le serveur
/// continue de servir les autres.
pub(super) fn servir(mut flux: TcpStream, contexte: &Contexte) {
    let _ = repondre(&mut flux, contexte);
    fermer_en_douceur(&flux);
}

/// Répond 503 à une connexion en surnombre, depuis le fil d'acceptation : un
/// délai d'écriture court, pour ne pas bloquer les acceptations suivantes.
pub(super) fn refuser_surcharge(flux: TcpStream) {
    let _ = flux.set_write_timeout(Some(Duration::from_secs(1)));
    let page = Page {
        code: 503,
        titre: "Serveur occupé",
        detail: "Trop de connexions simultanées, réessayez dans un instant.",
        entetes: &[],
    };
    let _ = reponse::envoyer_page(&flux, &page, false);
}

/// Lit la requête et envoie la réponse.
fn repondre(flux: &mut TcpStream, contexte: &Contexte) -> io::Result<()> {
    flux.set_write_timeout(Some(DELAI_ECRITURE))?;
    let entete = match requete::lire_entete(flux) {
        Ok(entete) => entete,
        Err(EchecLecture::Silence | EchecLecture::Incomplet) => return Ok(()),
        Err(EchecLecture::Reseau(e)) => return Err(e),
        Err(EchecLecture::Delai) => {
            return envoyer_erreur(
                flux,
                408,
                "Délai dépassé",
                "La requête est arrivée trop lentement.",
            );
        }
        Err(EchecLecture::TropLong) => {
            let detail = format!("L'en-tête de la requête dépasse {TAILLE_MAX_ENTETE} octets.");
            return envoyer_erreur(flux, 431, "En-tête trop long", &detail);
        }
    };
    let requete = match requete::analyser(&entete) {
        Ok(requete) => requete,
        Err(raison) => return envoyer_erreur(flux, 400, "Requête invalide", raison),
    };
    let tete_seulement = match requete.methode {
        Methode::Get => false,
        Methode::Head => true,
        Methode::Autre => {
            let page = Page {
                code: 405,
                titre: "Méthode non autorisée",
                detail: "Ce serveur ne sert que des fichiers : seules GET et HEAD sont acceptées.",
                entetes: &[("Allow", "GET, HEAD")],
            };
            return reponse::envoyer_page(flux, &page, false);
        }
    };
    let demande = match chemin::decoder(&requete.cible) {
        Ok(demande) => demande,
        Err(raison) => return envoyer_erreur(flux, 400, "Chemin refusé", raison),
    };

    if demande.est_une_page()
        && let Some(reconstruire) = &contexte.reconstruire
    {
        // Verrou en écriture : aucun fichier n'est envoyé pendant qu'on
        // réécrit le dossier servi.
        let _ecriture = contexte
            .verrou
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = reconstruire() {
            let page = Page {
                code: 500,
                titre: "Le livre ne se construit plus",
                detail: &format!("{e:#}\n\nCorrigez les sources puis rechargez la page."),
                entetes: &[],
            };
            return reponse::envoyer_page(flux, &page, tete_seulement);
        }
    }

    let _lecture = contexte
        .verrou
        .read()
        .unwrap_or_else(PoisonError::into_inner);
    match chemin::resoudre(&contexte.racine, &demande) {
        Resolution::Fichier(chemin) => {
            let Some((fichier, longueur)) = ouvrir(&chemin) else {
                return envoyer_introuvable(flux, tete_seulement);
            };
            reponse::envoyer_fichier(flux, &chemin, fichier, longueur, tete_seulement)
        }
        Resolution::Redirection(adresse) => {
            let page = Page {
                code: 301,
                titre: "Page déplacée",
                detail: &format!("Cette page se trouve à l'adresse {adresse}"),
                entetes: &[("Location", &adresse)],
            };
            reponse::envoyer_page(flux, &page, tete_seulement)
        }
        Resolution::Introuvable => envoyer_introuvable(flux, tete_seulement),
    }
}

/// Ouvre un fichier et lit sa taille (pour `Content-Length`).
fn ouvrir(chemin: &std::path::Path) -> Option<(File, u64)> {
    let fichier = File::open(chemin).ok()?;
    let longueur = fichier.metadata().ok()?.len();
    Some((fichier, longueur))
}

/// Envoie la page 404.
fn envoyer_introuvable(flux: &TcpStream, tete_seulement: bool) -> io::Result<()> {
    let page = Page {
        code: 404,
        titre: "Page introuvable",
        detail: "Cette page n'existe pas dans le livre.",
        entetes: &[],
    };
    reponse::envoyer_page(flux, &page, tete_seulement)
}

/// Envoie une page d'erreur simple (corps compris).
fn envoyer_erreur(flux: &TcpStream, code: u16, titre: &str, detail: &str) -> io::Result<()> {
    let page = Page {
        code,
        titre,
        detail,
        entetes: &[],
    };
    reponse::envoyer_page(flux, &page, false)
}

/// Ferme la connexion sans faire perdre la fin de la réponse au client.
///
/// Si on ferme une socket alors que des octets reçus n'ont pas été lus (le
/// corps d'un POST, par exemple), le système envoie un RST au lieu d'une
/// fermeture normale, et le client peut perdre la réponse encore en transit.
/// On annonce donc d'abord la fin de nos envois (`shutdown(Write)`, un FIN),
/// puis on lit et jette ce qui arrive encore, jusqu'à ce que le client ferme
/// à son tour (`read` rend 0), dans une limite de temps et de volume.
fn fermer_en_douceur(mut flux: &TcpStream) {
    let _ = flux.shutdown(Shutdown::Write);
    let _ = flux.set_read_timeout(Some(DELAI_FERMETURE));
    let mut poubelle = [0u8; 4096];
    let mut total = 0;
    while total < 64 * 1024 {
        match flux.read(&mut poubelle) {
            Ok(0) | Err(_) => break,
            Ok(lus) => total += lus,
        }
    }
}
