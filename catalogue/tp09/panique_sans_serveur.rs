//! Erreur volontaire : `connect(…).unwrap()`.
//!
//! Tout va bien tant que le serveur est lancé ; sans lui, le client panique
//! et affiche un message technique au lieu d'expliquer quoi faire.
//! Diagnostic attendu : `client_1_sans_serveur`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

fn main() -> anyhow::Result<()> {
    let hote = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "localhost".into());
    let port: u16 = std::env::args()
        .nth(3)
        .and_then(|p| p.parse().ok())
        .unwrap_or(65432);
    let mut flux = TcpStream::connect((hote.as_str(), port)).unwrap();
    let mut bienvenue = String::new();
    BufReader::new(&flux).read_line(&mut bienvenue)?;
    println!("{}", bienvenue.trim_end());
    flux.write_all(
        format!("Bonjour Serveur {port}, nous sommes donc dans la phase de transfert\n").as_bytes(),
    )?;
    flux.write_all(format!("Serveur {port}, je vous dis au revoir\n").as_bytes())?;
    Ok(())
}
