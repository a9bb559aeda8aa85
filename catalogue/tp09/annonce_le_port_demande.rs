//! Règle enfreinte : R3 — l'annonce recopie le port demandé, même 0, au lieu du port attaché.
//!
//! Erreur volontaire : avec `serveur 0`, le système choisit le port, mais
//! l'annonce dit « port 0 » : personne ne sait où se connecter.
//! Diagnostic attendu : `serveur_1_port_zero`.

mod commun;

use std::io::Write;
use std::net::TcpListener;

fn main() -> anyhow::Result<()> {
    let demande = commun::port_demande();
    let ecoute = TcpListener::bind(("0.0.0.0", demande))?;
    // L'erreur : l'argument, pas local_addr().
    commun::annoncer(demande);
    let port = ecoute.local_addr()?.port();
    let mut service = commun::accepter(&ecoute)?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    commun::servir_deux_lignes(service)
}
