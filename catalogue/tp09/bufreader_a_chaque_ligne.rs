//! Règle enfreinte : R8 — un BufReader neuf pour chaque ligne : la seconde, déjà lue, disparaît avec le premier.
//!
//! Erreur volontaire : un nouveau `BufReader` pour chaque ligne.
//!
//! Le premier `BufReader` lit d'un coup tout ce qui est arrivé (les deux
//! lignes), rend la première et garde la seconde dans son tampon… puis il
//! est détruit, et la seconde ligne avec lui.
//! Diagnostic attendu : `serveur_3_lignes_d_un_bloc`.

mod commun;

use std::io::{BufReader, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    for _ in 0..2 {
        // L'erreur : un BufReader neuf, donc un tampon neuf, à chaque ligne.
        println!("{}", commun::lire_ligne(&mut BufReader::new(&service))?);
    }
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
