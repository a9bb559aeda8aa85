//! Règle enfreinte : R8 — le serveur affiche chaque octet comme un caractère, sans la forme \xNN.
//!
//! Erreur volontaire : `char::from(octet)` au lieu de `lisible(octet)`.
//! Pour `A` l'affichage est juste ; 255 devient « ÿ », 0 un caractère
//! invisible, l'espace un blanc qu'on ne voit pas en fin de ligne.
//! Diagnostic attendu : `serveur_3_cinq_clients`.

mod commun;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

fn servir(service: &mut UnixStream) -> anyhow::Result<()> {
    let mut octet = [0u8; 1];
    service.read_exact(&mut octet)?;
    let suivant = octet[0].wrapping_add(1);
    service.write_all(&[suivant])?;
    // L'erreur : l'octet affiché tel quel, comme un caractère.
    println!("Le serveur a lu : {}", char::from(octet[0]));
    println!("Le serveur écrit : {}", char::from(suivant));
    Ok(())
}

fn main() -> anyhow::Result<()> {
    commun::serveur_avec(servir)
}
