//! Règle enfreinte : R6 — la bienvenue cite toujours le port 65432.
//!
//! Erreur volontaire : la bienvenue cite toujours le port 65432, même quand
//! le serveur écoute sur un autre port.
//! Diagnostic attendu : `serveur_2_bienvenue` (premier octet différent marqué).

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, _port) = commun::accepter_un_client()?;
    // L'erreur : le port par défaut, au lieu de celui où le serveur écoute.
    service.write_all(commun::bienvenue(65432).as_bytes())?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        let mut ligne = String::new();
        lecteur.read_line(&mut ligne)?;
        println!("{}", ligne.trim_end());
    }
    Ok(())
}
