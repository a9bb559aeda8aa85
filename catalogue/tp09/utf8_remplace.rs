//! Règle enfreinte : R12 — les octets qui ne sont pas de l'UTF-8 sont remplacés par « � » au lieu d'arrêter le serveur.
//!
//! Erreur volontaire : from_utf8_lossy « pour ne jamais échouer » ; le
//! chapitre veut une erreur et le code 1.
//! Diagnostic attendu : `serveur_3_utf8_invalide`.

mod commun;

use std::io::{BufRead, BufReader, Read, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        let mut octets = Vec::new();
        (&mut lecteur)
            .take(commun::LONGUEUR_MAX)
            .read_until(b'\n', &mut octets)?;
        if octets.pop() != Some(b'\n') {
            anyhow::bail!("ligne incomplète ou trop longue");
        }
        // L'erreur : conversion avec pertes, sans erreur.
        println!(
            "{}",
            String::from_utf8_lossy(&octets).trim_end_matches('\r')
        );
    }
    drop(lecteur);
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
