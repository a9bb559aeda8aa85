//! Règle enfreinte : R5 — le serveur affiche « Client connecté. » sans l'adresse du client.
//!
//! Erreur volontaire : l'adresse que rend accept() est jetée.
//! Diagnostic attendu : `serveur_2_bienvenue`.

mod commun;

use std::io::Write;

fn main() -> anyhow::Result<()> {
    let (ecoute, port) = commun::ecouter()?;
    // L'erreur : l'adresse du client est ignorée.
    let (mut service, _) = ecoute.accept()?;
    println!("Client connecté.");
    service.write_all(commun::bienvenue(port).as_bytes())?;
    commun::servir_deux_lignes(service)
}
