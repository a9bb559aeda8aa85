//! Erreur volontaire : un seul `read` pour « les deux messages ».
//!
//! C'est la version du sujet d'origine, traduite mot à mot : elle suppose
//! qu'un `read` rend exactement ce que l'autre a envoyé. Quand les octets
//! arrivent un par un, elle n'affiche qu'un fragment.
//! Diagnostic attendu : `serveur_3_lignes_octet_par_octet`.

use std::io::{Read, Write};
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
    let mut tampon = [0u8; 1024];
    let n = service.read(&mut tampon)?;
    println!("{}", String::from_utf8_lossy(&tampon[..n]).trim_end());
    Ok(())
}
