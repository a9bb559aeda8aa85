//! Règle enfreinte : R1 — attache sa socket au port local sur toutes les interfaces (0.0.0.0) au lieu de la boucle locale.
//!
//! Erreur volontaire : `UdpSocket::bind(("0.0.0.0", PORT_LOCAL))` (`[::]`
//! pour un pair IPv6 : la socket est bien de la famille du pair). Sur la
//! machine, tout marche : le pair envoie à 127.0.0.1, que 0.0.0.0 comprend.
//! Mais la socket accepte aussi les datagrammes venus de n'importe quelle
//! interface réseau : le programme s'expose sans raison.
//! Diagnostic attendu : `pair_2_attache` (« toutes les interfaces »).

mod commun;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let pair = adresses[0];
    // L'erreur : toutes les interfaces au lieu de la boucle locale.
    let partout = match pair {
        SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    };
    let socket = UdpSocket::bind((partout, port_local))?;
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
