//! Règle enfreinte : R9 — la ligne est lue sans borne : un mégaoctet sans « \n » est gardé en mémoire.
//!
//! Erreur volontaire : `read_until` sans limite de longueur. Un client qui
//! envoie des octets sans jamais de « \n » fait grossir la ligne en mémoire
//! aussi longtemps qu'il le veut ; le serveur ne ferme jamais.
//! Diagnostic attendu : `serveur_4_ligne_trop_longue`.

mod commun;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};

fn session(service: &TcpStream, adresse: SocketAddr) {
    let mut lecteur = BufReader::new(service);
    loop {
        let mut octets = Vec::new();
        // L'erreur : pas de `take(1024)` avant `read_until`.
        match lecteur.read_until(b'\n', &mut octets) {
            Ok(0) => break,
            Ok(_) => {}
            Err(erreur) => {
                eprintln!("erreur avec {adresse} : {erreur}");
                break;
            }
        }
        // Un bout de ligne sans « \n » avant la fin du flux n'est pas une commande.
        if octets.pop() != Some(b'\n') {
            break;
        }
        if octets.last() == Some(&b'\r') {
            octets.pop();
        }
        let Ok(commande) = String::from_utf8(octets) else {
            eprintln!("erreur avec {adresse} : ce n'est pas de l'UTF-8");
            break;
        };
        if commun::repondre(service, &commande).is_err() || commande == "fin" {
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
