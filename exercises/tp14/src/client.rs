//! Le client de vote : une connexion, une requête, une réponse.
//!
//! Complétez les étapes 1 et 3. Après chaque étape : `cargo test -p tp14 client`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::net::TcpStream;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::protocole::{self, ErreurDeLecture, Reponse, Requete};

/// Le temps laissé au serveur pour répondre.
const DELAI_REPONSE: Duration = Duration::from_secs(10);

// ANCHOR: deroule
/// Le client, étape par étape. (Cette fonction est fournie.)
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

/// Étape 1 : `TcpStream::connect((hote, port))`, avec un contexte en
/// français ; puis `set_read_timeout(Some(DELAI_REPONSE))` pour ne jamais
/// attendre sans fin un serveur muet. `connect` résout le nom (`localhost`
/// peut donner ::1 puis 127.0.0.1) et essaie chaque adresse, dans l'ordre :
/// ne résolvez pas le nom vous-même pour n'en garder qu'une.
fn se_connecter(hote: &str, port: u16) -> Result<TcpStream> {
    todo!("Étape 1 : se connecter au serveur (TcpStream::connect) et régler le délai de lecture")
}

/// Étape 3 (a) : lit une trame (`protocole::lire_trame`) et la décode
/// (`Reponse::decoder`). Chaque échec devient une erreur en français
/// (`bail!`) : serveur parti sans répondre, réponse tronquée, illisible…
fn recevoir(flux: &mut TcpStream) -> Result<Reponse> {
    todo!("Étape 3 : recevoir la réponse (lire_trame, puis Reponse::decoder)")
}

// ANCHOR: afficher
/// Étape 3 (b) : affiche la réponse, au format exact du chapitre :
/// - OPTIONS : la question, puis `  N. option` pour chaque option ;
/// - RECU : `Vote enregistré : reçu n° N` ;
/// - DECOMPTE : `Résultats :`, puis `  N. option : V voix` ;
/// - ERREUR : `bail!` avec le message du chapitre : `le serveur a refusé la
///   requête : {code.en_clair()} (code N)` — main l'affiche après « erreur : »
///   et termine avec le code 1 ;
/// - une réponse qui ne va pas avec la requête est aussi une erreur.
fn afficher(requete: &Requete, reponse: &Reponse) -> Result<()> {
    todo!("Étape 3 : afficher la réponse en français (ou l'erreur du serveur)")
}
// ANCHOR_END: afficher
