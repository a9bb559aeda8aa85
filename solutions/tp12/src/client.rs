//! Le client du bar : chaque ligne tapée est une commande ; il l'envoie,
//! attend la réponse et l'affiche. « fin », ou la fin de l'entrée, termine.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

use anyhow::{Context, Result, bail};

// ANCHOR: deroule
/// Le scénario du client, étape par étape.
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

/// Étape 1 : connect. La bibliothèque standard résout le nom (`localhost`
/// peut donner ::1 puis 127.0.0.1) et essaie chaque adresse, dans l'ordre,
/// jusqu'à ce qu'une connexion aboutisse. Le noyau choisit le port éphémère
/// du client.
fn se_connecter(hote: &str, port: u16) -> Result<TcpStream> {
    TcpStream::connect((hote, port)).with_context(|| {
        format!("impossible de se connecter à {hote}:{port} (le bar est-il ouvert ?)")
    })
}

/// Étape 2 (a) : la commande, suivie de `\n`, en une seule écriture.
fn envoyer(mut flux: &TcpStream, commande: &str) -> Result<()> {
    flux.write_all(format!("{commande}\n").as_bytes())
        .context("impossible d'envoyer la commande")
}

/// Étape 2 (b) : lit la réponse jusqu'au `\n`, en autant de morceaux qu'il
/// faut, et la rend sans lui.
fn recevoir(reponses: &mut impl BufRead) -> Result<String> {
    let mut ligne = String::new();
    let lus = reponses
        .read_line(&mut ligne)
        .context("impossible de lire la réponse du serveur")?;
    // 0 octet : le serveur a fermé la connexion au lieu de répondre.
    if lus == 0 {
        bail!("le serveur a fermé la connexion sans répondre");
    }
    Ok(ligne.trim_end_matches(['\n', '\r']).to_string())
}

/// Étape 3 : la commande qui termine la visite.
fn est_la_fin(commande: &str) -> bool {
    commande == "fin"
}

/// Étape 3 (suite) : lâcher la socket la ferme ; le serveur lit 0 octet.
fn fermer(flux: TcpStream) -> Result<()> {
    drop(flux);
    Ok(())
}
