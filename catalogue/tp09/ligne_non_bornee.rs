//! Règle enfreinte : R10 — le serveur lit des lignes sans borne de longueur.
//!
//! Erreur volontaire : read_line sans take() ; un client qui n'envoie
//! jamais de « \n » fait grossir la mémoire du serveur sans limite.
//! Diagnostic attendu : `serveur_3_ligne_trop_longue`.

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        // L'erreur : aucune borne sur la ligne.
        let mut ligne = String::new();
        if lecteur.read_line(&mut ligne)? == 0 || !ligne.ends_with('\n') {
            anyhow::bail!("le client est parti au milieu d'une ligne");
        }
        println!("{}", ligne.trim_end_matches(['\n', '\r']));
    }
    drop(lecteur);
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
