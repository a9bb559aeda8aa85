//! Pas une erreur : le client d'un étudiant qui n'a fini que les étapes 1 et 2.
//! Il se connecte, envoie la première commande, affiche sa réponse, puis
//! s'arrête sur le `todo!()` de l'étape 3 (reconnaître « fin »), comme le
//! squelette complété jusque-là.
//! Attendu : `client_1_connexion` et `client_2_commandes` réussissent,
//! `client_3_fin` échoue sur le `todo!()`.

mod commun;

use std::io::{BufRead, BufReader, Write};

fn main() -> anyhow::Result<()> {
    let flux = commun::connecter()?;
    println!("Connecté au bar {}", flux.peer_addr()?);
    let mut reponses = BufReader::new(&flux);
    for commande in std::io::stdin().lock().lines() {
        (&flux).write_all(format!("{}\n", commande?).as_bytes())?;
        let mut reponse = String::new();
        reponses.read_line(&mut reponse)?;
        println!("{}", reponse.trim_end_matches('\n'));
        todo!("Étape 3 : reconnaître la commande « fin »")
    }
    Ok(())
}
