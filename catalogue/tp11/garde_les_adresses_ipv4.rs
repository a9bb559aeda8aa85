//! Règle enfreinte : R12 — ne garde que les adresses IPv4 du pair : avec `::1`, il n'en reste aucune.
//!
//! Erreur volontaire : après la résolution, le programme écarte les
//! adresses IPv6 (`filter(SocketAddr::is_ipv4)`), par habitude d'une socket
//! toujours IPv4. Avec `127.0.0.1`, ou un `localhost` qui donne aussi
//! `127.0.0.1`, tout marche ; avec `::1`, le programme s'arrête : le pair
//! n'a plus d'adresse.
//!
//! Diagnostic attendu : `pair_2_ipv6` (« s'est arrêté (code 1) sans attacher
//! de socket »).

mod commun;

use std::net::SocketAddr;

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    // L'erreur : les adresses IPv6 du pair sont jetées.
    let ipv4: Vec<SocketAddr> = adresses.into_iter().filter(SocketAddr::is_ipv4).collect();
    anyhow::ensure!(!ipv4.is_empty(), "le pair n'a pas d'adresse IPv4");
    let (socket, pair) = commun::ouvrir(port_local, &ipv4)?;
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
