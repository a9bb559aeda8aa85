//! Règle enfreinte : R11 — aucune limite : --max-clients est ignoré.
//!
//! Erreur volontaire : un exécutant par client, sans limite. L'option
//! `--max-clients` est lue, mais jamais appliquée.
//!
//! Mille clients, ce sont mille threads et mille sockets : un serveur sans
//! limite se laisse épuiser par le premier venu.
//! Diagnostic attendu : `serveur_5_limite_de_clients`.

mod commun;

use std::thread;

fn main() -> std::io::Result<()> {
    let (ecoute, _max) = commun::ouvrir()?;
    loop {
        let Ok((service, adresse)) = ecoute.accept() else {
            continue;
        };
        println!("Client connecté : {adresse}");
        // L'erreur : aucun compte des clients servis.
        thread::spawn(move || commun::servir_puis_partir(service, adresse));
    }
}
