//! Règle enfreinte : R8 — panique à la fin de l'entrée standard.
//!
//! Erreur volontaire : la ligne suivante est prise avec `unwrap()`, comme
//! s'il y en avait toujours une.
//!
//! À la fin de l'entrée (Ctrl+D, ou un fichier redirigé qui s'épuise),
//! `lines().next()` rend `None` : le programme panique au lieu de finir.
//! Diagnostic attendu : `pair_3_fin_de_saisie` (« a paniqué »).

mod commun;

use std::io::{self, BufRead};
use std::net::{SocketAddr, UdpSocket};

fn envoyer_jusqu_a_fin(socket: &UdpSocket, pair: SocketAddr) -> anyhow::Result<()> {
    let mut lignes = io::stdin().lock().lines();
    loop {
        // L'erreur : unwrap() sur la fin de l'entrée, qui est normale.
        let ligne = lignes.next().unwrap()?;
        socket.send_to(ligne.as_bytes(), pair)?;
        if ligne == "fin" {
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
        envoyer_jusqu_a_fin,
        commun::recevoir_du_pair,
    )
}
