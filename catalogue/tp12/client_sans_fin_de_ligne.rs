//! Règle enfreinte : R13 — le client envoie la commande sans son « \n ».
//!
//! Erreur volontaire : le client envoie la commande sans son « \n ». Le
//! serveur, qui lit jusqu'au « \n », attend la fin de la commande ; le
//! client, lui, attend la réponse : chacun attend l'autre.
//! Diagnostic attendu : `client_2_commandes`.

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let flux = commun::connecter()?;
    let mut reponses = BufReader::new(&flux);
    for commande in std::io::stdin().lock().lines() {
        let commande = commande?;
        // L'erreur : `commande` sans « \n ».
        (&flux).write_all(commande.as_bytes())?;
        let mut reponse = String::new();
        reponses.read_line(&mut reponse)?;
        println!("{}", reponse.trim_end());
        if commande == "fin" {
            break;
        }
    }
    Ok(())
}
