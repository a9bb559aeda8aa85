//! Règle enfreinte : R1 — le bar écoute sur 0.0.0.0, toutes les interfaces, au lieu de 127.0.0.1.
//!
//! Tout le reste est juste. Mais n'importe quelle machine du réseau peut
//! entrer dans un bar sans authentification ni limite de débit.
//! Diagnostic attendu : `serveur_1_ouverture`.

mod commun;

use std::net::{Ipv4Addr, TcpListener};

fn main() -> std::io::Result<()> {
    let (port, max) = commun::arguments();
    // L'erreur : l'adresse « joker », toutes les interfaces.
    let ecoute = TcpListener::bind((Ipv4Addr::UNSPECIFIED, port))?;
    println!("Le bar est ouvert sur 0.0.0.0:{port}");
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        commun::executant(service, adresse, place, commun::session_juste)
    });
    Ok(())
}
