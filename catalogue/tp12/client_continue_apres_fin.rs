//! Règle enfreinte : R14 — le client attend d'autres lignes au clavier après la réponse à « fin ».
//!
//! Erreur volontaire : « fin » est envoyée comme une autre commande, et le
//! client continue de lire le clavier. Le serveur a fermé ; le client ne
//! s'en apercevra qu'à la commande suivante, si elle vient un jour.
//! Diagnostic attendu : `client_3_fin`.

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let flux = commun::connecter()?;
    let mut reponses = BufReader::new(&flux);
    // L'erreur : aucune comparaison avec « fin ».
    for commande in std::io::stdin().lock().lines() {
        (&flux).write_all(format!("{}\n", commande?).as_bytes())?;
        let mut reponse = String::new();
        reponses.read_line(&mut reponse)?;
        println!("{}", reponse.trim_end());
    }
    Ok(())
}
