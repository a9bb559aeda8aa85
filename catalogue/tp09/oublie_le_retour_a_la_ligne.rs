//! Règle enfreinte : R21 — le client envoie ses deux lignes sans « \n ».
//!
//! Erreur volontaire : le client envoie ses messages sans `\n`.
//!
//! Le serveur ne peut pas savoir où finit un message : il reçoit les deux
//! collés, sans fin de ligne.
//! Diagnostic attendu : `client_3_envoi`.

mod commun;

use std::io::Write;

fn main() -> anyhow::Result<()> {
    let (mut flux, port) = commun::se_connecter()?;
    commun::recevoir_bienvenue(&flux)?;
    for ligne in commun::lignes_du_client(port) {
        // L'erreur : le délimiteur est retiré avant l'envoi.
        flux.write_all(ligne.trim_end_matches('\n').as_bytes())?;
    }
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}
