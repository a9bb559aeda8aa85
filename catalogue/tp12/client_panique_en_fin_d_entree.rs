//! Règle enfreinte : R15 — le client panique à la fin de l'entrée standard au lieu de fermer.
//!
//! Erreur volontaire : le client suppose qu'une ligne viendra toujours au
//! clavier (`.unwrap()` sur `lines().next()`). À la fin de l'entrée standard
//! (Ctrl+D), il panique au lieu de fermer proprement.
//! Diagnostic attendu : `client_3_fin_de_l_entree`.

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let flux = commun::connecter()?;
    let mut reponses = BufReader::new(&flux);
    let mut clavier = std::io::stdin().lock().lines();
    loop {
        // L'erreur : `None` (fin de l'entrée) n'est pas prévu.
        let commande = clavier.next().unwrap()?;
        (&flux).write_all(format!("{commande}\n").as_bytes())?;
        let mut reponse = String::new();
        reponses.read_line(&mut reponse)?;
        println!("{}", reponse.trim_end());
        if commande == "fin" {
            return Ok(());
        }
    }
}
