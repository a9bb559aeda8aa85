//! Règle enfreinte : R13 — après les deux lignes, le serveur garde la connexion ouverte et ne finit jamais.
//!
//! Erreur volontaire : le serveur affiche les deux lignes, puis garde la
//! connexion ouverte et ne se termine jamais.
//!
//! Le client n'apprend jamais que l'échange est fini : aucune fin de flux
//! (0 octet lu) ne lui parvient.
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
    // L'erreur : la socket de service reste ouverte, le programme ne finit pas.
    loop {
        std::thread::park();
    }
}
