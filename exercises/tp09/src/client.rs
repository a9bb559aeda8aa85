//! Le client du TP09 : se connecter, écouter la bienvenue, parler, partir.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp09 client`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

use anyhow::{Context, Result, bail};

// ANCHOR: deroule
/// Le scénario du client, étape par étape. (Cette fonction est fournie.)
pub fn lancer(hote: &str, port: u16) -> Result<()> {
    // Étape 1 : se connecter au serveur.
    let mut flux = se_connecter(hote, port)?;
    let serveur = flux
        .peer_addr()
        .context("impossible de lire l'adresse du serveur")?;
    println!("Connecté au serveur {serveur}");

    // Étape 2 : recevoir la bienvenue et l'afficher.
    println!("{}", recevoir_bienvenue(&flux)?);

    // Étape 3 : envoyer les deux lignes.
    envoyer_lignes(&mut flux, port)?;

    // Étape 4 : fermer la connexion.
    fermer(flux)?;
    println!("Connexion fermée.");
    Ok(())
}
// ANCHOR_END: deroule

/// Étape 1 : `TcpStream::connect((hote, port))` résout le nom (`localhost`
/// peut donner ::1 puis 127.0.0.1), essaie chaque adresse et bloque jusqu'à
/// la fin de la poignée de main TCP. Pas de bind : le noyau choisit un port
/// éphémère pour le client.
///
/// Sans serveur, connect échoue (« connexion refusée ») : ne faites pas
/// `unwrap()`, ajoutez un contexte en français avec
/// `.with_context(|| format!("…"))?` ; `main` l'affichera proprement.
fn se_connecter(hote: &str, port: u16) -> Result<TcpStream> {
    todo!("Étape 1 : se connecter au serveur (TcpStream::connect)")
}

/// Étape 2 : lit la ligne de bienvenue et la rend sans son `\n`.
///
/// Elle peut arriver en plusieurs morceaux : un seul `read` ne suffit pas.
/// `BufReader::new(flux).read_line(&mut ligne)` lit jusqu'au `\n`. S'il rend
/// 0, le serveur a fermé sans rien dire : `bail!("…")`. S'il rend une ligne
/// sans `\n` final, le serveur est parti au milieu : `bail!` aussi.
fn recevoir_bienvenue(flux: &TcpStream) -> Result<String> {
    todo!("Étape 2 : lire la bienvenue jusqu'au « \\n » (BufReader::read_line)")
}

/// Étape 3 : envoie, dans l'ordre, chacune terminée par `\n` :
/// « Bonjour Serveur PORT, nous sommes donc dans la phase de transfert »
/// puis « Serveur PORT, je vous dis au revoir ». Utilisez `write_all`.
fn envoyer_lignes(flux: &mut TcpStream, port: u16) -> Result<()> {
    todo!("Étape 3 : envoyer les deux lignes avec write_all")
}

/// Étape 4 : ferme la connexion en lâchant la socket (`drop`) ; le serveur
/// lira 0 octet, la fin de flux.
fn fermer(flux: TcpStream) -> Result<()> {
    todo!("Étape 4 : fermer la connexion")
}
