//! Règle enfreinte : R15 — le client envoie « fin » à la place de l'utilisateur quand l'entrée standard finit.
//!
//! Erreur volontaire : à la fin de l'entrée standard (Ctrl+D), le client
//! dit « fin » au bar pour lui, puis ferme. L'utilisateur n'a rien tapé de
//! tel : le bar reçoit une commande que personne n'a passée.
//! Diagnostic attendu : `client_3_fin_de_l_entree`.

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let flux = commun::connecter()?;
    let mut reponses = BufReader::new(&flux);
    for commande in std::io::stdin().lock().lines() {
        let commande = commande?;
        (&flux).write_all(format!("{commande}\n").as_bytes())?;
        let mut reponse = String::new();
        reponses.read_line(&mut reponse)?;
        println!("{}", reponse.trim_end());
        if commande == "fin" {
            return Ok(());
        }
    }
    // L'erreur : « fin » envoyée au nom de l'utilisateur, puis la fermeture.
    (&flux).write_all(b"fin\n")?;
    Ok(())
}
