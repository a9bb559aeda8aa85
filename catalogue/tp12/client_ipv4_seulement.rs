//! Règle enfreinte : R17 — le client ne garde que les adresses IPv4 de l'hôte et ne sait pas joindre « ::1 ».
//!
//! Erreur volontaire : le client résout l'hôte, puis ne garde que les
//! adresses IPv4, comme une socket `AF_INET` en C. Avec un nom ou
//! `127.0.0.1`, tout va bien ; avec `::1`, il ne reste aucune adresse et
//! le client abandonne.
//! Diagnostic attendu : `client_1_ipv6`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let hote = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "localhost".into());
    let port: u16 = std::env::args()
        .nth(3)
        .and_then(|p| p.parse().ok())
        .unwrap_or(1664);
    // L'erreur : les adresses IPv6 de l'hôte sont écartées.
    let adresse = (hote.as_str(), port)
        .to_socket_addrs()?
        .find(|a| a.is_ipv4())
        .with_context(|| format!("aucune adresse IPv4 pour {hote}"))?;
    let flux = TcpStream::connect(adresse)?;
    let mut reponses = BufReader::new(&flux);
    for commande in std::io::stdin().lock().lines() {
        let commande = commande?;
        (&flux).write_all(format!("{commande}\n").as_bytes())?;
        let mut reponse = String::new();
        reponses.read_line(&mut reponse)?;
        println!("{}", reponse.trim_end());
        if commande == "fin" {
            break;
        }
    }
    Ok(())
}
