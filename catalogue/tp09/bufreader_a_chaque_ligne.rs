//! Erreur volontaire : un nouveau `BufReader` pour chaque ligne.
//!
//! Le premier `BufReader` lit d'un coup tout ce qui est arrivé (les deux
//! lignes), rend la première et garde la seconde dans son tampon… puis il
//! est détruit, et la seconde ligne avec lui.
//! Diagnostic attendu : `serveur_3_lignes_d_un_bloc`.

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
    for _ in 0..2 {
        let mut ligne = String::new();
        BufReader::new(&service).read_line(&mut ligne)?;
        println!("{}", ligne.trim_end());
    }
    Ok(())
}
