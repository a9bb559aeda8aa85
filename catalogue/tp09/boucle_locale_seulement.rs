//! Règle enfreinte : R2 — le serveur s'attache à 127.0.0.1 au lieu de toutes les interfaces.
//!
//! Erreur volontaire : tout marche sur la machine elle-même, mais un client
//! d'une autre machine ne peut pas joindre ce serveur, et son annonce
//! « (0.0.0.0) » est fausse.
//! Diagnostic attendu : `serveur_1_ecoute` (table des sockets).

mod commun;

use std::io::Write;
use std::net::TcpListener;

fn main() -> anyhow::Result<()> {
    // L'erreur : la boucle locale seulement.
    let ecoute = TcpListener::bind(("127.0.0.1", commun::port_demande()))?;
    let port = ecoute.local_addr()?.port();
    commun::annoncer(port);
    let mut service = commun::accepter(&ecoute)?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    commun::servir_deux_lignes(service)
}
