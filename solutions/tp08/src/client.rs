//! Le client du TP08 : se connecter à la socket du serveur, envoyer un
//! octet, lire la réponse.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

use anyhow::{Context, Result};

use crate::lisible;

// ANCHOR: deroule
/// Le scénario du client, étape par étape.
pub fn lancer(chemin: &Path, octet: u8) -> Result<()> {
    // Étape 1 : se connecter à la socket du serveur.
    let mut flux = se_connecter(chemin)?;

    // Étape 2 : envoyer l'octet, puis lire la réponse.
    envoyer(&mut flux, octet)?;
    println!("Le client a écrit : {}", lisible(octet));
    let reponse = recevoir(&mut flux)?;
    println!("Le serveur a renvoyé : {}", lisible(reponse));

    // La socket est fermée en sortant de la fonction (fin de portée).
    Ok(())
}
// ANCHOR_END: deroule

// ANCHOR: connexion
/// Étape 1 : la bibliothèque standard fait socket(AF_UNIX, SOCK_STREAM, 0)
/// et connect() en un appel. Pas de bind : le client n'a pas besoin de nom.
///
/// Sans serveur, deux erreurs possibles : le fichier n'existe pas (« No such
/// file or directory »), ou il existe mais personne ne l'écoute, reste d'un
/// serveur arrêté brutalement (« Connection refused »).
fn se_connecter(chemin: &Path) -> Result<UnixStream> {
    UnixStream::connect(chemin).with_context(|| {
        format!(
            "impossible de se connecter à la socket {} : lancez d'abord le serveur \
             ({} serveur {})",
            chemin.display(),
            env!("CARGO_BIN_NAME"),
            chemin.display()
        )
    })
}
// ANCHOR_END: connexion

/// Étape 2 (a) : write_all confie l'octet au noyau.
fn envoyer(flux: &mut UnixStream, octet: u8) -> Result<()> {
    flux.write_all(&[octet])
        .context("impossible d'envoyer l'octet au serveur")
}

/// Étape 2 (b) : read_exact attend l'octet de réponse ; si le serveur ferme
/// sans répondre (fin de flux), c'est une erreur.
fn recevoir(flux: &mut UnixStream) -> Result<u8> {
    let mut reponse = [0u8; 1];
    flux.read_exact(&mut reponse)
        .context("le serveur a fermé la connexion sans répondre")?;
    Ok(reponse[0])
}
