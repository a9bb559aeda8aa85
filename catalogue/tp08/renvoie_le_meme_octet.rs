//! Erreur volontaire : le serveur renvoie l'octet reçu, sans l'incrémenter.
//!
//! C'est un serveur d'écho : le client reçoit ce qu'il a envoyé.
//! Diagnostic attendu : `serveur_3_cinq_clients`.

mod commun;

use std::io::{Read, Write};

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    commun::liberer_le_chemin(&chemin)?;
    let ecoute = commun::ecouter(&chemin)?;
    commun::arreter_sur_signal(&chemin)?;
    loop {
        let (mut service, _) = ecoute.accept()?;
        let mut octet = [0u8; 1];
        service.read_exact(&mut octet)?;
        println!("Le serveur a lu : {}", commun::lisible(octet[0]));
        // L'erreur : l'octet repart tel quel.
        service.write_all(&octet)?;
        println!("Le serveur écrit : {}", commun::lisible(octet[0]));
    }
}
