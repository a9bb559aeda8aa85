//! Le client du TP09 : se connecter, écouter la bienvenue, parler, partir.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

use anyhow::{Context, Result, bail};

// ANCHOR: deroule
/// Le scénario du client, étape par étape.
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

// ANCHOR: etapes
/// Étape 1 : connect. La bibliothèque standard résout le nom (`localhost`
/// peut donner ::1 puis 127.0.0.1) et essaie chaque adresse, dans l'ordre,
/// jusqu'à ce qu'une connexion aboutisse. Le noyau donne
/// à notre socket un port éphémère : pas besoin de bind côté client.
fn se_connecter(hote: &str, port: u16) -> Result<TcpStream> {
    TcpStream::connect((hote, port)).with_context(|| {
        format!("impossible de se connecter à {hote}:{port} (le serveur est-il lancé ?)")
    })
}

/// Étape 2 : lit la bienvenue jusqu'au `\n` ; elle peut arriver en plusieurs
/// morceaux, read_line les rassemble. Le serveur n'envoie rien d'autre avant
/// nos lignes : le tampon de ce BufReader ne peut rien garder en trop.
fn recevoir_bienvenue(flux: &TcpStream) -> Result<String> {
    let mut ligne = String::new();
    let lus = BufReader::new(flux)
        .read_line(&mut ligne)
        .context("impossible de lire la bienvenue du serveur (UTF-8 invalide ?)")?;
    // 0 octet : le serveur a fermé sans rien dire.
    if lus == 0 {
        bail!("le serveur a fermé la connexion sans envoyer de bienvenue");
    }
    // Un début de ligne sans « \n » : le flux s'est fini au milieu de la bienvenue.
    if !ligne.ends_with('\n') {
        bail!("le serveur a fermé la connexion au milieu de la bienvenue");
    }
    Ok(ligne.trim_end_matches(['\n', '\r']).to_string())
}

/// Étape 3 : les deux lignes, chacune terminée par `\n`. write_all insiste
/// jusqu'à ce que tous les octets soient partis.
fn envoyer_lignes(flux: &mut TcpStream, port: u16) -> Result<()> {
    let lignes = [
        format!("Bonjour Serveur {port}, nous sommes donc dans la phase de transfert\n"),
        format!("Serveur {port}, je vous dis au revoir\n"),
    ];
    for ligne in lignes {
        flux.write_all(ligne.as_bytes())
            .context("impossible d'envoyer une ligne au serveur")?;
    }
    Ok(())
}

/// Étape 4 : rendre la socket ; le serveur lira 0 octet, la fin de flux.
fn fermer(flux: TcpStream) -> Result<()> {
    drop(flux);
    Ok(())
}
// ANCHOR_END: etapes
