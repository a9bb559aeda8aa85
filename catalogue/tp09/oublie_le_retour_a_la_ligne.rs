//! Erreur volontaire : le client envoie ses messages sans `\n`.
//!
//! Le serveur ne peut pas savoir où finit un message : il reçoit les deux
//! collés, sans fin de ligne.
//! Diagnostic attendu : `client_3_envoi`.

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
    let mut flux = TcpStream::connect((hote.as_str(), port))?;
    let mut bienvenue = String::new();
    BufReader::new(&flux).read_line(&mut bienvenue)?;
    println!("{}", bienvenue.trim_end());
    flux.write_all(
        format!("Bonjour Serveur {port}, nous sommes donc dans la phase de transfert").as_bytes(),
    )?;
    flux.write_all(format!("Serveur {port}, je vous dis au revoir").as_bytes())?;
    Ok(())
}
