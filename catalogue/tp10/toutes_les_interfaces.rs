//! Règle enfreinte : R1 — le serveur s'attache à 0.0.0.0 (toutes les interfaces) au lieu de la boucle locale.
//!
//! Erreur volontaire : « 0.0.0.0 », comme le serveur TCP du TP09. Le serveur
//! marche sur la machine, mais répond aussi à qui lui écrit depuis le réseau,
//! sans pouvoir vérifier l'adresse de l'expéditeur.

mod commun;

use std::net::UdpSocket;

fn main() -> anyhow::Result<()> {
    let port: u16 = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(31470);
    // L'erreur : toutes les interfaces.
    let socket = UdpSocket::bind(("0.0.0.0", port))?;
    println!("Le serveur UDP attend sur 127.0.0.1:{port}");
    let mut tampon = vec![0u8; 65_507];
    loop {
        let (taille, client) = socket.recv_from(&mut tampon)?;
        commun::afficher(&tampon[..taille], client);
        socket.send_to(&(taille as u32).to_be_bytes(), client)?;
    }
}
