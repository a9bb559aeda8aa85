//! Règle enfreinte : R6 — « fin » tapée ne termine pas le programme.
//!
//! Erreur volontaire : « fin » tapée est une ligne comme les autres : elle
//! part au pair, puis le programme attend la ligne suivante ; seule la fin de
//! l'entrée standard (ou « fin » reçue du pair) l'arrête.
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

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (socket, pair) = commun::ouvrir(port_local, &adresses)?;
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        envoyer_sans_fin,
        commun::recevoir_du_pair,
    )
}
