//! Règle enfreinte : R6 — « fin » tapée ne termine pas le programme.
//!
//! Erreur volontaire : « fin » est une ligne comme les autres, tapée ou
//! reçue ; seule la fin de l'entrée standard arrête le programme.
//!
//! Le pair croit la conversation finie ; ce programme, lui, attend toujours.
//! Diagnostic attendu : `pair_3_fin_tapee` (« tourne encore »).

mod commun;

use std::io::{self, BufRead};
use std::net::{SocketAddr, UdpSocket};

fn envoyer_sans_fin(socket: &UdpSocket, pair: SocketAddr) -> anyhow::Result<()> {
    // L'erreur : aucune ligne n'arrête la boucle.
    for ligne in io::stdin().lock().lines() {
        socket.send_to(ligne?.as_bytes(), pair)?;
    }
    Ok(())
}

fn recevoir_sans_fin(socket: &UdpSocket, pair: SocketAddr) -> anyhow::Result<()> {
    let mut tampon = vec![0u8; 65_507];
    loop {
        let (taille, expediteur) = socket.recv_from(&mut tampon)?;
        if expediteur == pair {
            // L'erreur : « fin » est affichée, puis oubliée.
            println!(
                "<< {}",
                commun::echapper(&String::from_utf8_lossy(&tampon[..taille]))
            );
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
        envoyer_sans_fin,
        recevoir_sans_fin,
    )
}
