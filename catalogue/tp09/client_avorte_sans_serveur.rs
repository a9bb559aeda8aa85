//! Règle enfreinte : R17 — sans serveur, le client explique le problème puis s'arrête par abort() (signal SIGABRT).
//!
//! Erreur volontaire : le message est bon, mais le programme meurt d'un
//! signal au lieu de finir avec le code 1 ; un script qui le lance croit à
//! un plantage.
//! Diagnostic attendu : `client_1_sans_serveur`.

mod commun;

fn main() -> anyhow::Result<()> {
    let (mut flux, port) = match commun::se_connecter() {
        Ok(connexion) => connexion,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            // L'erreur : abort() au lieu d'un code de sortie.
            std::process::abort();
        }
    };
    commun::recevoir_bienvenue(&flux)?;
    commun::envoyer_lignes(&mut flux, port)?;
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}
