//! Règle enfreinte : R18 — un seul read pour la bienvenue, prise pour la ligne entière.
//!
//! Erreur volontaire : un seul `read` pour la bienvenue.
//!
//! Quand la bienvenue arrive en plusieurs morceaux, le client n'en affiche
//! que le premier.
//! Diagnostic attendu : `client_2_bienvenue`.

mod commun;

use std::io::Read;

fn main() -> anyhow::Result<()> {
    let (mut flux, port) = commun::se_connecter()?;
    // L'erreur : un read, pris pour la ligne entière. Ce qu'il rend est
    // affiché, puis seulement vérifié : sans « \n », le serveur est parti.
    let mut tampon = [0u8; 1024];
    let n = flux.read(&mut tampon)?;
    let bienvenue = String::from_utf8_lossy(&tampon[..n]);
    println!("{}", bienvenue.trim_end());
    if !bienvenue.ends_with('\n') {
        anyhow::bail!("le serveur est parti avant la fin de la bienvenue");
    }
    commun::envoyer_lignes(&mut flux, port)?;
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}
