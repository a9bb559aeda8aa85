//! Règle enfreinte : R19 — un début de bienvenue coupé par la fin du flux est pris pour la bienvenue entière.
//!
//! Erreur volontaire : le résultat de read_line n'est pas regardé ; le
//! client affiche un morceau, envoie ses lignes à un serveur parti et finit
//! avec le code 0.
//! Diagnostic attendu : `client_2_serveur_parti_tot`.

mod commun;

use std::io::{BufRead, BufReader};

fn main() -> anyhow::Result<()> {
    let (mut flux, port) = commun::se_connecter()?;
    let mut bienvenue = String::new();
    // L'erreur : ni le 0 ni le « \n » manquant ne sont vus.
    BufReader::new(&flux).read_line(&mut bienvenue)?;
    println!("{}", bienvenue.trim_end());
    commun::envoyer_lignes(&mut flux, port)?;
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}
