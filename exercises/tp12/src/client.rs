//! Le client du bar : chaque ligne tapée est une commande ; il l'envoie,
//! attend la réponse et l'affiche. « fin », ou la fin de l'entrée, termine.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp12 client`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, unused_mut, dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

use anyhow::{Context, Result, bail};

// ANCHOR: deroule
/// Le scénario du client, étape par étape. (Cette fonction est fournie.)
pub fn lancer(hote: &str, port: u16) -> Result<()> {
    // Étape 1 : se connecter au bar.
    let flux = se_connecter(hote, port)?;
    let serveur = flux
        .peer_addr()
        .context("impossible de lire l'adresse du serveur")?;
    println!("Connecté au bar {serveur}");

    // Étape 2 : une commande par ligne de l'entrée standard ; la boucle
    // s'arrête aussi à la fin de l'entrée (Ctrl+D, ou fichier fini).
    let mut reponses = BufReader::new(&flux);
    for ligne in std::io::stdin().lock().lines() {
        let commande = ligne.context("impossible de lire l'entrée standard (UTF-8 invalide ?)")?;
        envoyer(&flux, &commande)?;
        println!("{}", recevoir(&mut reponses)?);
        // Étape 3 : après « fin » et sa réponse, la visite est finie.
        if est_la_fin(&commande) {
            break;
        }
    }

    // Étape 3 (suite) : fermer la connexion.
    fermer(flux)?;
    println!("Connexion fermée.");
    Ok(())
}
// ANCHOR_END: deroule

/// Étape 1 : `TcpStream::connect((hote, port))`, avec un contexte en
/// français si personne n'écoute. Il résout le nom (`localhost` peut donner
/// ::1 puis 127.0.0.1) et essaie chaque adresse, dans l'ordre : ne résolvez
/// pas le nom vous-même pour n'en garder qu'une. Pas de bind : le noyau
/// choisit le port éphémère du client.
fn se_connecter(hote: &str, port: u16) -> Result<TcpStream> {
    todo!("Étape 1 : se connecter au bar (TcpStream::connect)")
}

/// Étape 2 (a) : envoie la commande suivie de `\n`, en un seul `write_all`
/// (`&TcpStream` implémente `Write`).
fn envoyer(mut flux: &TcpStream, commande: &str) -> Result<()> {
    todo!("Étape 2 : envoyer la commande et son « \\n » (write_all)")
}

/// Étape 2 (b) : lit la réponse jusqu'au `\n` (`read_line`) et la rend sans
/// lui. Elle peut arriver en plusieurs morceaux. 0 octet lu : le serveur a
/// fermé au lieu de répondre, `bail!("…")`.
fn recevoir(reponses: &mut impl BufRead) -> Result<String> {
    todo!("Étape 2 : lire la réponse jusqu'au « \\n » (read_line)")
}

/// Étape 3 : vrai pour la commande qui termine la visite, `fin`.
fn est_la_fin(commande: &str) -> bool {
    todo!("Étape 3 : reconnaître la commande « fin »")
}

/// Étape 3 (suite) : ferme la connexion en lâchant la socket (`drop`) ; le
/// serveur lira 0 octet.
fn fermer(flux: TcpStream) -> Result<()> {
    todo!("Étape 3 : fermer la connexion")
}
