//! Erreur volontaire : le serveur lit avant d'envoyer la bienvenue.
//!
//! Le client, lui, attend la bienvenue avant d'écrire : chacun attend
//! l'autre, rien ne bouge. C'est un interblocage.
//! Diagnostic attendu : `serveur_2_bienvenue` (« interblocage »).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

fn main() -> anyhow::Result<()> {
    let port: u16 = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(65432);
    let ecoute = TcpListener::bind(("0.0.0.0", port))?;
    let (mut service, _) = ecoute.accept()?;
    let mut lecteur = BufReader::new(service.try_clone()?);
    let mut premiere = String::new();
    lecteur.read_line(&mut premiere)?;
    service.write_all(
        format!("Bonjour Client, je suis le serveur {port}, la connexion est établie\n").as_bytes(),
    )?;
    let mut seconde = String::new();
    lecteur.read_line(&mut seconde)?;
    println!("{}\n{}", premiere.trim_end(), seconde.trim_end());
    Ok(())
}
