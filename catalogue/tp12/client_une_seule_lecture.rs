//! Règle enfreinte : R13 — le client affiche ce que rend un seul read(), pas la réponse entière.
//!
//! Erreur volontaire : la réponse est lue par un seul `read()`. Quand elle
//! arrive en plusieurs morceaux, le client n'en affiche que le début (et
//! prend le reste pour la réponse suivante).
//! Diagnostic attendu : `client_2_commandes`.

mod commun;

use std::io::{BufRead, Read, Write};

fn main() -> anyhow::Result<()> {
    let mut flux = commun::connecter()?;
    let mut tampon = [0u8; 1024];
    for commande in std::io::stdin().lock().lines() {
        let commande = commande?;
        flux.write_all(format!("{commande}\n").as_bytes())?;
        // L'erreur : un read(), une réponse.
        let lus = flux.read(&mut tampon)?;
        println!("{}", String::from_utf8_lossy(&tampon[..lus]).trim_end());
        if commande == "fin" {
            break;
        }
    }
    Ok(())
}
