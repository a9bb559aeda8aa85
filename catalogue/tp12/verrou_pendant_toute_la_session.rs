//! Règle enfreinte : R7 — un verrou gardé toute la session : les exécutants s'attendent.
//!
//! Erreur volontaire : un thread par client, mais un verrou pris au début
//! de la session et gardé jusqu'à sa fin.
//!
//! Le verrou devait seulement empêcher les affichages des exécutants de se
//! mélanger. Gardé pendant toute la session, il fait attendre chaque
//! exécutant jusqu'au départ du client précédent : les threads existent,
//! mais les clients sont servis l'un après l'autre, comme par un serveur
//! itératif. La différence se voit dans le journal : ici, chaque client est
//! bien accepté.
//! Diagnostic attendu : `serveur_4_vingt_clients`.

mod commun;

use std::sync::{Arc, Mutex};
use std::thread;

fn main() -> std::io::Result<()> {
    let (ecoute, max) = commun::ouvrir()?;
    let ecran = Arc::new(Mutex::new(()));
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        let ecran = Arc::clone(&ecran);
        thread::spawn(move || {
            // L'erreur : la garde vit jusqu'à la fin de la fermeture (closure),
            // donc pendant toute la session.
            let _garde = ecran.lock().unwrap_or_else(|e| e.into_inner());
            commun::servir_puis_partir(service, adresse);
            drop(place);
        });
    });
    Ok(())
}
