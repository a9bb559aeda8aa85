//! Le client de vote : une connexion, une requête, une réponse.

use std::net::TcpStream;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::protocole::{self, ErreurDeLecture, Reponse, Requete};

/// Le temps laissé au serveur pour répondre.
const DELAI_REPONSE: Duration = Duration::from_secs(10);

// ANCHOR: deroule
/// Le client, étape par étape.
pub fn lancer(hote: &str, port: u16, requete: &Requete) -> Result<()> {
    // Étape 1 : se connecter au serveur.
    let mut flux = se_connecter(hote, port)?;

    // Étape 2 : envoyer la requête, en une trame.
    let (genre, charge) = requete.encoder();
    protocole::ecrire_trame(&mut flux, genre, &charge)
        .context("impossible d'envoyer la requête au serveur")?;

    // Étape 3 : recevoir la réponse et l'afficher.
    let reponse = recevoir(&mut flux)?;
    afficher(requete, &reponse)
}
// ANCHOR_END: deroule

/// Étape 1 : connect, avec un délai de lecture pour ne jamais attendre sans fin.
/// La bibliothèque standard résout le nom (`localhost` peut donner ::1 puis
/// 127.0.0.1) et essaie chaque adresse, dans l'ordre, jusqu'à ce qu'une
/// connexion aboutisse.
fn se_connecter(hote: &str, port: u16) -> Result<TcpStream> {
    let flux = TcpStream::connect((hote, port)).with_context(|| {
        format!("impossible de se connecter à {hote}:{port} (le serveur est-il lancé ?)")
    })?;
    flux.set_read_timeout(Some(DELAI_REPONSE))
        .context("impossible de régler le délai de lecture")?;
    Ok(flux)
}

/// Étape 3 (a) : une trame, puis son décodage.
fn recevoir(flux: &mut TcpStream) -> Result<Reponse> {
    let trame = match protocole::lire_trame(flux) {
        Ok(Some(trame)) => trame,
        Ok(None) => bail!("le serveur a fermé la connexion sans répondre"),
        Err(ErreurDeLecture::TropLongue(n)) => {
            bail!("le serveur annonce une réponse de {n} octets, au-delà du maximum")
        }
        Err(ErreurDeLecture::Tronquee) => bail!("la réponse du serveur est tronquée"),
        Err(ErreurDeLecture::Systeme(e)) => {
            return Err(e).context("impossible de lire la réponse du serveur");
        }
    };
    Reponse::decoder(&trame).map_err(|code| {
        anyhow::anyhow!(
            "réponse du serveur illisible (type 0x{:02X}) : {}",
            trame.genre,
            code.en_clair()
        )
    })
}

// ANCHOR: afficher
/// Étape 3 (b) : l'affichage, en français. Un refus du serveur devient une
/// erreur : le programme se termine avec le code 1.
fn afficher(requete: &Requete, reponse: &Reponse) -> Result<()> {
    match (requete, reponse) {
        (Requete::Lister, Reponse::Options { question, options }) => {
            println!("{question}");
            for (numero, option) in (1..).zip(options) {
                println!("  {numero}. {option}");
            }
        }
        (Requete::Voter { .. }, Reponse::Recu { numero }) => {
            println!("Vote enregistré : reçu n° {numero}");
        }
        (Requete::Resultats, Reponse::Decompte { lignes }) => {
            println!("Résultats :");
            for (numero, (option, voix)) in (1..).zip(lignes) {
                println!("  {numero}. {option} : {voix} voix");
            }
        }
        (_, Reponse::Erreur(code)) => bail!(
            "le serveur a refusé la requête : {} (code {})",
            code.en_clair(),
            *code as u8
        ),
        _ => bail!("le serveur a envoyé une réponse qui ne correspond pas à la requête"),
    }
    Ok(())
}
// ANCHOR_END: afficher
