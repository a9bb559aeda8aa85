//! Règle enfreinte : R1 — le serveur ignore le port demandé et laisse le système en choisir un.
//!
//! Erreur volontaire : `bind` sur le port 0, « pour ne jamais tomber sur un
//! port pris ». Le serveur annonce honnêtement le port obtenu, mais le
//! client, qui vise le port convenu, ne le trouve pas.
//! Diagnostic attendu : `serveur_1_ecoute`.

mod commun;

use std::io::Write;
use std::net::TcpListener;

fn main() -> anyhow::Result<()> {
    // L'erreur : le port de la ligne de commande n'est jamais lu.
    let ecoute = TcpListener::bind(("0.0.0.0", 0))?;
    let port = ecoute.local_addr()?.port();
    commun::annoncer(port);
    let mut service = commun::accepter(&ecoute)?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    commun::servir_deux_lignes(service)
}
