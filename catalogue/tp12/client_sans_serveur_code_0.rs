//! Règle enfreinte : R19 — sans bar à l'écoute, le client l'écrit puis se termine avec le code 0.
//!
//! Le message est là, mais le code de sortie dit « tout va bien » : un
//! script qui enchaîne des commandes (`tp12 client && …`) continue comme
//! si la visite avait eu lieu.
//! Diagnostic attendu : `client_1_sans_serveur`.

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> std::io::Result<()> {
    let flux = match commun::connecter() {
        Ok(flux) => flux,
        Err(e) => {
            eprintln!("erreur : impossible de joindre le bar : {e}");
            // L'erreur : le code 0 d'une visite réussie.
            return Ok(());
        }
    };
    let mut reponses = BufReader::new(&flux);
    for commande in std::io::stdin().lock().lines() {
        let commande = commande?;
        (&flux).write_all(format!("{commande}\n").as_bytes())?;
        let mut reponse = String::new();
        if reponses.read_line(&mut reponse)? == 0 {
            return Err(std::io::Error::other("le bar a fermé sans répondre"));
        }
        println!("{}", reponse.trim_end());
        if commande == "fin" {
            break;
        }
    }
    Ok(())
}
