//! Erreur volontaire : le serveur affiche les deux lignes, puis garde la
//! connexion ouverte et ne se termine jamais.
//!
//! Le client n'apprend jamais que l'échange est fini : aucune fin de flux
//! (0 octet lu) ne lui parvient.
//! Diagnostic attendu : `serveur_4_fermeture`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

fn main() -> anyhow::Result<()> {
    let port: u16 = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(65432);
    let ecoute = TcpListener::bind(("0.0.0.0", port))?;
    let (mut service, _) = ecoute.accept()?;
    service.write_all(
        format!("Bonjour Client, je suis le serveur {port}, la connexion est établie\n").as_bytes(),
    )?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        let mut ligne = String::new();
        lecteur.read_line(&mut ligne)?;
        println!("{}", ligne.trim_end());
    }
    loop {
        std::thread::park();
    }
}
