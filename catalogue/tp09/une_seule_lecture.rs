//! Règle enfreinte : R8 — un seul read pour « les deux lignes ».
//!
//! Erreur volontaire : un seul `read` pour « les deux messages ».
//!
//! C'est le premier réflexe, une lecture par message : elle suppose
//! qu'un `read` rend exactement ce que l'autre a envoyé. Quand les octets
//! arrivent un par un, elle n'affiche qu'un fragment.
//! Diagnostic attendu : `serveur_3_lignes_octet_par_octet`.

mod commun;

use std::io::{Read, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    // L'erreur : un read, pris pour les deux lignes.
    let mut tampon = [0u8; 1024];
    let n = service.read(&mut tampon)?;
    println!("{}", String::from_utf8_lossy(&tampon[..n]).trim_end());
    Ok(())
}
