//! Règle enfreinte : R10 — une copie de chaque socket de service est gardée, jamais fermée.
//!
//! Erreur volontaire : le veilleur range une copie de chaque socket de
//! service dans la liste des clients présents, et personne ne l'en retire
//! au départ du client.
//!
//! L'exécutant lâche bien sa socket, mais la copie (try_clone : un second
//! descripteur vers la même socket) la garde ouverte : le noyau n'envoie
//! pas de FIN, et le serveur accumule un descripteur par client servi,
//! jusqu'à ne plus pouvoir en ouvrir (EMFILE).
//! Diagnostic attendu : `serveur_4_descripteurs`.

mod commun;

use std::collections::HashMap;
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

fn main() -> std::io::Result<()> {
    let (ecoute, max) = commun::ouvrir()?;
    // Les clients présents, pour pouvoir un jour leur annoncer la fermeture.
    let presents: Arc<Mutex<HashMap<SocketAddr, TcpStream>>> = Arc::default();
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        if let Ok(copie) = service.try_clone() {
            presents
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(adresse, copie);
        }
        thread::spawn(move || {
            commun::servir_puis_partir(service, adresse);
            // L'erreur : il manque presents.remove(&adresse).
            drop(place);
        });
    });
    Ok(())
}
