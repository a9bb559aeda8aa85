//! Règle enfreinte : R13 — le client affiche les octets comme des caractères, sans la forme \xNN.
//!
//! Erreur volontaire : `char::from(octet)` au lieu de `lisible(octet)`. Avec
//! `A`, rien ne se voit ; avec `\xff`, le client écrit « ÿ » et la réponse 0
//! devient un caractère invisible.
//! Diagnostic attendu : `client_2_echange`.

mod commun;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let octet = commun::octet();
    let mut flux = UnixStream::connect(commun::chemin())
        .context("impossible de se connecter : lancez d'abord le serveur")?;
    flux.write_all(&[octet])?;
    let mut reponse = [0u8; 1];
    flux.read_exact(&mut reponse)?;
    // L'erreur : pas de lisible().
    println!("Le client a écrit : {}", char::from(octet));
    println!("Le serveur a renvoyé : {}", char::from(reponse[0]));
    Ok(())
}
