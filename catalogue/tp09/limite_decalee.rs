//! Règle enfreinte : R10 — le serveur borne les lignes à 1024 octets au lieu de 4096.
//!
//! Erreur volontaire : une borne recopiée d'un autre protocole ; une ligne
//! permise de 4096 octets est refusée.
//! Diagnostic attendu : `serveur_3_ligne_de_4096_octets`.

mod commun;

use std::io::{BufRead, BufReader, Read, Write};

/// L'erreur : la mauvaise borne.
const LONGUEUR_MAX: u64 = 1024;

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        let mut octets = Vec::new();
        (&mut lecteur)
            .take(LONGUEUR_MAX)
            .read_until(b'\n', &mut octets)?;
        if octets.pop() != Some(b'\n') {
            anyhow::bail!("ligne incomplète ou trop longue");
        }
        println!("{}", String::from_utf8(octets)?.trim_end_matches('\r'));
    }
    drop(lecteur);
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
