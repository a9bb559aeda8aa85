//! Règle enfreinte : R9 — le serveur retire le « \n » mais garde le « \r » d'une ligne « \r\n ».
//!
//! Erreur volontaire : avec un client comme `nc -C`, chaque ligne affichée
//! finit par un retour chariot invisible.
//! Diagnostic attendu : `serveur_3_fin_de_ligne_crlf`.

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        let mut ligne = String::new();
        if lecteur.read_line(&mut ligne)? == 0 || !ligne.ends_with('\n') {
            anyhow::bail!("le client est parti au milieu d'une ligne");
        }
        // L'erreur : seul le « \n » est retiré.
        println!("{}", ligne.trim_end_matches('\n'));
    }
    drop(lecteur);
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
