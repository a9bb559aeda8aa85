//! Règle enfreinte : R17 — connect(…).unwrap() : sans serveur, le client panique.
//!
//! Erreur volontaire : `connect(…).unwrap()`.
//!
//! Tout va bien tant que le serveur est lancé ; sans lui, le client panique
//! et affiche un message technique au lieu d'expliquer quoi faire.
//! Diagnostic attendu : `client_1_sans_serveur`.

mod commun;

use std::net::TcpStream;

fn main() -> anyhow::Result<()> {
    let (hote, port) = commun::hote_et_port();
    // L'erreur : unwrap() sur une erreur réseau attendue (pas de serveur).
    let mut flux = TcpStream::connect((hote.as_str(), port)).unwrap();
    println!("Connecté au serveur {}", flux.peer_addr()?);
    commun::recevoir_bienvenue(&flux)?;
    commun::envoyer_lignes(&mut flux, port)?;
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}
