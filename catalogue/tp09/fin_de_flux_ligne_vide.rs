//! Règle enfreinte : R11 — la fin du flux est prise pour une ligne, même vide ou coupée.
//!
//! Erreur volontaire : le résultat de read_line (0 octet, ligne sans
//! « \n ») n'est pas regardé ; un client parti trop tôt passe inaperçu et
//! le serveur finit avec le code 0.
//! Diagnostic attendu : `serveur_3_client_parti_tot`.

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        let mut ligne = String::new();
        // L'erreur : ni le 0 de la fin de flux ni le « \n » manquant ne sont vus.
        lecteur.read_line(&mut ligne)?;
        println!("{}", ligne.trim_end_matches(['\n', '\r']));
    }
    drop(lecteur);
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
