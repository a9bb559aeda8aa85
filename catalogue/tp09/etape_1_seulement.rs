//! Pas une erreur : le serveur d'un étudiant qui n'a fini que l'étape 1 (il annonce son port, puis s'arrête sur le todo!() de l'étape 2).
//!
//! Il fait comme le squelette complété jusque-là.
//! Attendu : `serveur_1_ecoute` réussit, `serveur_2_bienvenue` échoue sur le `todo!()`.

use std::net::TcpListener;

fn main() -> anyhow::Result<()> {
    let port: u16 = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(65432);
    let ecoute = TcpListener::bind(("0.0.0.0", port))?;
    // Comme le squelette : le port réellement attaché (0 : choisi par le système).
    let port = ecoute.local_addr()?.port();
    println!("Le serveur écoute sur toutes les interfaces (0.0.0.0), port {port}");
    todo!("Étape 2 : accepter une connexion (accept) et rendre la socket de service")
}
