//! Règle enfreinte : R12 — le client envoie son caractère suivi de « \n ».
//!
//! Erreur volontaire : le client envoie son caractère suivi de « \n »,
//! par habitude des protocoles en lignes.
//!
//! Le protocole ne prévoit qu'un octet : le serveur lit le premier, répond,
//! ferme, et le « \n » arrive sur une connexion que personne ne lira.
//! Diagnostic attendu : `client_2_echange`.

mod commun;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let octet = commun::octet();
    let mut flux = UnixStream::connect(commun::chemin())
        .context("impossible de se connecter : lancez d'abord le serveur")?;
    // L'erreur : un octet de trop.
    flux.write_all(&[octet, b'\n'])?;
    println!("Le client a écrit : {}", commun::lisible(octet));
    let mut reponse = [0u8; 1];
    flux.read_exact(&mut reponse)?;
    println!("Le serveur a renvoyé : {}", commun::lisible(reponse[0]));
    Ok(())
}
