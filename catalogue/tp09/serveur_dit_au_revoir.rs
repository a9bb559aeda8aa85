//! Règle enfreinte : R14 — le serveur envoie une ligne « Au revoir » que le protocole ne prévoit pas.
//!
//! Erreur volontaire : une politesse en trop ; un client qui suit le
//! chapitre ne l'attend pas, et un client qui ne lit plus la reçoit quand
//! même.
//! Diagnostic attendu : `serveur_4_fermeture`.

mod commun;

use std::io::{BufReader, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        println!("{}", commun::lire_ligne(&mut lecteur)?);
    }
    drop(lecteur);
    // L'erreur : une ligne hors protocole avant de fermer.
    service.write_all(b"Au revoir, client\n")?;
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
