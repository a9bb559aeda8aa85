//! Le client du TP08 : se connecter à la socket du serveur, envoyer un
//! octet, lire la réponse.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp08 client`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

use anyhow::{Context, Result};

use crate::lisible;

// ANCHOR: deroule
/// Le scénario du client, étape par étape. (Cette fonction est fournie.)
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

/// Étape 1 : `UnixStream::connect(chemin)` fait socket(AF_UNIX, …) et
/// connect() en un seul appel.
///
/// Sans serveur, connect échoue : ne faites pas `unwrap()`. Ajoutez un
/// contexte en français qui dit de lancer d'abord le serveur, avec
/// `.with_context(|| format!("…"))?` ; `main` l'affichera proprement.
fn se_connecter(chemin: &Path) -> Result<UnixStream> {
    todo!("Étape 1 : se connecter à la socket du serveur (UnixStream::connect)")
}

/// Étape 2 (a) : envoie l'octet avec `write_all(&[octet])`.
fn envoyer(flux: &mut UnixStream, octet: u8) -> Result<()> {
    todo!("Étape 2 : envoyer l'octet avec write_all")
}

/// Étape 2 (b) : lit l'octet de réponse avec `read_exact` dans un tableau
/// `[0u8; 1]`. Si le serveur ferme sans répondre, `read_exact` échoue :
/// ajoutez un contexte.
fn recevoir(flux: &mut UnixStream) -> Result<u8> {
    todo!("Étape 2 : lire l'octet de réponse avec read_exact")
}
