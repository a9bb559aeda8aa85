//! Règle enfreinte : R7 — le serveur lit avant d'envoyer la bienvenue (interblocage).
//!
//! Erreur volontaire : le serveur lit avant d'envoyer la bienvenue.
//!
//! Le client, lui, attend la bienvenue avant d'écrire : chacun attend
//! l'autre, rien ne bouge. C'est un interblocage.
//! Diagnostic attendu : `serveur_2_bienvenue` (« interblocage »).

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    let mut lecteur = BufReader::new(service.try_clone()?);
    // L'erreur : lire d'abord, alors que le protocole fait parler le serveur en premier.
    let mut premiere = String::new();
    lecteur.read_line(&mut premiere)?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut seconde = String::new();
    lecteur.read_line(&mut seconde)?;
    println!("{}\n{}", premiere.trim_end(), seconde.trim_end());
    Ok(())
}
