//! Règle enfreinte : R8 — une connexion réinitialisée arrête tout le serveur.
//!
//! Erreur volontaire : la gestion d'erreur du TP09, recopiée dans
//! l'exécutant. Une erreur de lecture (un client qui part brutalement, un
//! octet invalide) arrête tout le programme, et tous les clients avec lui.
//!
//! Au TP09, un seul client était servi : son erreur pouvait terminer le
//! serveur. Ici, elle ne concerne que la session de ce client.
//! Diagnostic attendu : `serveur_4_reinitialisation`.

mod commun;

use std::thread;

fn main() -> std::io::Result<()> {
    let (ecoute, max) = commun::ouvrir()?;
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        thread::spawn(move || {
            if let Err(erreur) = commun::servir(&service, adresse) {
                eprintln!("erreur : {erreur}");
                // L'erreur : process::exit termine le processus entier,
                // pas seulement ce thread.
                std::process::exit(1);
            }
            drop(service);
            println!("Client parti : {adresse}");
            drop(place);
        });
    });
    Ok(())
}
