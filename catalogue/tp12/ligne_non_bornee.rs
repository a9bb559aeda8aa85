//! Règle enfreinte : R9 — la ligne est lue sans borne : un mégaoctet sans « \n » est gardé en mémoire.
//!
//! Erreur volontaire : `read_until` sans limite de longueur. Un client qui
//! envoie des octets sans jamais de « \n » fait grossir la ligne en mémoire
//! aussi longtemps qu'il le veut ; le serveur ne ferme jamais.
//! Diagnostic attendu : `serveur_4_ligne_trop_longue`.

mod commun;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};

fn session(service: &TcpStream, _adresse: SocketAddr) {
    let mut lecteur = BufReader::new(service);
    loop {
        let mut octets = Vec::new();
        // L'erreur : pas de `take(1024)` avant `read_until`.
        match lecteur.read_until(b'\n', &mut octets) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let commande = String::from_utf8_lossy(&octets);
        let commande = commande.trim_end_matches('\n');
        if commun::repondre(service, commande).is_err() || commande == "fin" {
            break;
        }
    }
}

fn main() -> std::io::Result<()> {
    let (ecoute, max) = commun::ouvrir()?;
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        commun::executant(service, adresse, place, session)
    });
    Ok(())
}
