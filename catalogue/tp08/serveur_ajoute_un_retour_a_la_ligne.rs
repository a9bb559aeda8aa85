//! Règle enfreinte : R7 — le serveur envoie l'octet suivant puis « \n ».
//!
//! Erreur volontaire : une habitude des protocoles en lignes. La réponse
//! fait un octet : le « \n » en est un de trop, que le client lit à la place
//! de la fin de flux.
//! Diagnostic attendu : `serveur_3_cinq_clients`.

mod commun;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

fn servir(service: &mut UnixStream) -> anyhow::Result<()> {
    let mut octet = [0u8; 1];
    service.read_exact(&mut octet)?;
    println!("Le serveur a lu : {}", commun::lisible(octet[0]));
    let suivant = octet[0].wrapping_add(1);
    // L'erreur : un octet de trop.
    service.write_all(&[suivant, b'\n'])?;
    println!("Le serveur écrit : {}", commun::lisible(suivant));
    Ok(())
}

fn main() -> anyhow::Result<()> {
    commun::serveur_avec(servir)
}
