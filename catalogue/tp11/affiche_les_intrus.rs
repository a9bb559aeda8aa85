//! Règle enfreinte : R5 — affiche les datagrammes de n'importe qui.
//!
//! Erreur volontaire : tout datagramme reçu est affiché, sans regarder
//! l'adresse de l'expéditeur que rend `recv_from`.
//!
//! N'importe quel programme de la machine (ou du réseau) peut alors se
//! glisser dans la conversation.
//! Diagnostic attendu : `pair_4_intrus` (« a affiché le datagramme de l'intrus »).

mod commun;

use std::net::{SocketAddr, UdpSocket};

fn recevoir_de_tous(socket: &UdpSocket, _pair: SocketAddr) -> anyhow::Result<()> {
    let mut tampon = vec![0u8; 65_507];
    loop {
        // L'erreur : l'expéditeur est ignoré.
        let (taille, _) = socket.recv_from(&mut tampon)?;
        let message = String::from_utf8_lossy(&tampon[..taille]);
        println!("<< {}", commun::echapper(&message));
        if message == "fin" {
            return Ok(());
        }
    }
}

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (socket, pair) = commun::ouvrir(port_local, &adresses)?;
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        commun::envoyer_les_lignes,
        recevoir_de_tous,
    )
}
