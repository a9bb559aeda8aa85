//! Erreur volontaire : un seul `read` pour la bienvenue.
//!
//! Quand la bienvenue arrive en plusieurs morceaux, le client n'en affiche
//! que le premier.
//! Diagnostic attendu : `client_2_bienvenue`.

use std::io::{Read, Write};
use std::net::TcpStream;

fn main() -> anyhow::Result<()> {
    let hote = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "localhost".into());
    let port: u16 = std::env::args()
        .nth(3)
        .and_then(|p| p.parse().ok())
        .unwrap_or(65432);
    let mut flux = TcpStream::connect((hote.as_str(), port))?;
    let mut tampon = [0u8; 1024];
    let n = flux.read(&mut tampon)?;
    println!("{}", String::from_utf8_lossy(&tampon[..n]).trim_end());
    flux.write_all(
        format!("Bonjour Serveur {port}, nous sommes donc dans la phase de transfert\n").as_bytes(),
    )?;
    flux.write_all(format!("Serveur {port}, je vous dis au revoir\n").as_bytes())?;
    Ok(())
}
