//! Règle enfreinte : R25 — le client ne garde que les adresses IPv4 de l'hôte et ne sait pas joindre « ::1 ».
//!
//! Erreur volontaire : le client résout l'hôte puis écarte les adresses
//! IPv6, comme une socket `AF_INET` en C. Avec `localhost` ou `127.0.0.1`,
//! tout va bien ; avec `::1`, il ne reste aucune adresse à essayer.
//! Diagnostic attendu : `client_1_ipv6`.

mod commun;

use std::net::{TcpStream, ToSocketAddrs};

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let (hote, port) = commun::hote_et_port();
    // L'erreur : les adresses IPv6 de l'hôte sont écartées.
    let adresse = (hote.as_str(), port)
        .to_socket_addrs()?
        .find(|a| a.is_ipv4())
        .with_context(|| format!("aucune adresse IPv4 pour {hote}"))?;
    let mut flux = TcpStream::connect(adresse)?;
    println!("Connecté au serveur {}", flux.peer_addr()?);
    commun::recevoir_bienvenue(&flux)?;
    commun::envoyer_lignes(&mut flux, port)?;
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}
