//! Règle enfreinte : R3 — envoie la ligne avec son « \n ».
//!
//! Erreur volontaire : la ligne lue par `read_line` part avec son `\n`.
//!
//! Habitude du TCP, où le `\n` délimite les messages ; en UDP, le
//! datagramme est lui-même la frontière : le pair reçoit « Bonjour\n » et
//! affiche une ligne vide de trop.
//! Diagnostic attendu : `pair_3_envoi` (écart sur le `\n` final).

mod commun;

use std::io::{self, BufRead};
use std::net::{SocketAddr, UdpSocket};

fn envoyer_avec_le_retour(socket: &UdpSocket, pair: SocketAddr) -> anyhow::Result<()> {
    let mut clavier = io::stdin().lock();
    loop {
        let mut ligne = String::new();
        if clavier.read_line(&mut ligne)? == 0 {
            return Ok(());
        }
        // L'erreur : `ligne` contient encore son `\n`.
        socket.send_to(ligne.as_bytes(), pair)?;
        if ligne.trim_end() == "fin" {
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
        envoyer_avec_le_retour,
        commun::recevoir_du_pair,
    )
}
