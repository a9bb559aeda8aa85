//! Règle enfreinte : R18 — un seul read pour la bienvenue, prise pour la ligne entière.
//!
//! Erreur volontaire : un seul `read` pour la bienvenue.
//!
//! Quand la bienvenue arrive en plusieurs morceaux, le client n'en affiche
//! que le premier.
//! Diagnostic attendu : `client_2_bienvenue`.

mod commun;

use std::io::{Read, Write};

fn main() -> anyhow::Result<()> {
    let (mut flux, port) = commun::se_connecter()?;
    // L'erreur : un read, pris pour la ligne entière.
    let mut tampon = [0u8; 1024];
    let n = flux.read(&mut tampon)?;
    println!("{}", String::from_utf8_lossy(&tampon[..n]).trim_end());
    for ligne in commun::lignes_du_client(port) {
        flux.write_all(ligne.as_bytes())?;
    }
    Ok(())
}
