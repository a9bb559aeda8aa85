//! Règle enfreinte : R9 — le serveur retire le « \n » mais garde le « \r » d'une ligne « \r\n ».
//!
//! Erreur volontaire : avec un client comme `nc -C`, chaque ligne affichée
//! finit par un retour chariot invisible.
//! Diagnostic attendu : `serveur_3_fin_de_ligne_crlf`.

mod commun;

use std::io::{BufRead, BufReader, Read, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        let mut octets = Vec::new();
        lecteur
            .by_ref()
            .take(commun::LONGUEUR_MAX)
            .read_until(b'\n', &mut octets)?;
        if octets.pop() != Some(b'\n') {
            anyhow::bail!("ligne incomplète ou trop longue");
        }
        // L'erreur : seul le « \n » est retiré.
        println!("{}", String::from_utf8(octets)?);
    }
    drop(lecteur);
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
