//! Règle enfreinte : R1 — attache sa socket au port local sur toutes les interfaces (0.0.0.0) au lieu de la boucle locale.
//!
//! Erreur volontaire : `UdpSocket::bind(("0.0.0.0", PORT_LOCAL))`. Sur la
//! machine, tout marche : le pair envoie à 127.0.0.1, que 0.0.0.0 comprend.
//! Mais la socket accepte aussi les datagrammes venus de n'importe quelle
//! interface réseau : le programme s'expose sans raison.
//! Diagnostic attendu : `pair_2_attache` (« toutes les interfaces »).

mod commun;

use std::net::{Ipv4Addr, UdpSocket};

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let pair = adresses[0];
    // L'erreur : toutes les interfaces au lieu de la boucle locale.
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, port_local))?;
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
