//! Règle enfreinte : R3 — le départ d'un client n'est jamais noté (« Client parti : … »).
//!
//! Le service est juste ; seul le journal du serveur est incomplet.
//! Diagnostic attendu : `serveur_4_un_client`.

mod commun;

use std::thread;

fn main() -> std::io::Result<()> {
    let (ecoute, max) = commun::ouvrir()?;
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        thread::spawn(move || {
            commun::session_juste(&service, adresse);
            drop(service);
            // L'erreur : pas de « Client parti : {adresse} ».
            drop(place);
        });
    });
    Ok(())
}
