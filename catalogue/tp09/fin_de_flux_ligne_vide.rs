//! Règle enfreinte : R11 — la fin du flux est prise pour une ligne, même vide ou coupée.
//!
//! Erreur volontaire : seule la ligne trop longue est refusée ; ni le
//! 0 octet de la fin du flux ni la ligne coupée sans « \n » ne sont vus : un
//! client parti trop tôt passe inaperçu et le serveur finit avec le code 0.
//! Diagnostic attendu : `serveur_3_client_parti_tot`.

mod commun;

use std::io::{BufRead, BufReader, Read, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        let mut octets = Vec::new();
        // L'erreur : ni le 0 de la fin de flux ni le « \n » manquant d'une
        // ligne coupée ne sont vus ; seule la ligne trop longue est refusée.
        lecteur
            .by_ref()
            .take(commun::LONGUEUR_MAX)
            .read_until(b'\n', &mut octets)?;
        if octets.len() as u64 == commun::LONGUEUR_MAX && octets.last() != Some(&b'\n') {
            anyhow::bail!("ligne trop longue");
        }
        let ligne = String::from_utf8(octets)?;
        println!("{}", ligne.trim_end_matches('\n').trim_end_matches('\r'));
    }
    drop(lecteur);
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
