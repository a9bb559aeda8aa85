//! Règle enfreinte : R7 — le serveur renvoie l'octet reçu au lieu du suivant.
//!
//! Erreur volontaire : le serveur renvoie l'octet reçu, sans l'incrémenter.
//!
//! C'est un serveur d'écho : le client reçoit ce qu'il a envoyé.
//! Diagnostic attendu : `serveur_3_cinq_clients`.

mod commun;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

fn servir(service: &mut UnixStream) -> anyhow::Result<()> {
    let mut octet = [0u8; 1];
    service.read_exact(&mut octet)?;
    println!("Le serveur a lu : {}", commun::lisible(octet[0]));
    // L'erreur : l'octet repart tel quel.
    service.write_all(&octet)?;
    println!("Le serveur écrit : {}", commun::lisible(octet[0]));
    Ok(())
}

fn main() -> anyhow::Result<()> {
    commun::serveur_avec(servir)
}
