//! Erreur volontaire : la bienvenue cite toujours le port 65432, même quand
//! le serveur écoute sur un autre port.
//! Diagnostic attendu : `serveur_2_bienvenue` (premier octet différent marqué).

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
        b"Bonjour Client, je suis le serveur 65432, la connexion est \xc3\xa9tablie\n",
    )?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        let mut ligne = String::new();
        lecteur.read_line(&mut ligne)?;
        println!("{}", ligne.trim_end());
    }
    Ok(())
}
