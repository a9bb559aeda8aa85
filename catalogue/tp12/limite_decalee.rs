//! Règle enfreinte : R9 — la lecture est bornée à 1023 octets : une commande de 1024 octets (`\n` compris), permise, est refusée.
//!
//! L'erreur d'une unité classique : la limite compte le « \n ».
//! Diagnostic attendu : `serveur_4_ligne_de_1024_octets`.

mod commun;

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};

fn session(service: &TcpStream, adresse: SocketAddr) {
    let mut lecteur = BufReader::new(service);
    loop {
        let mut octets = Vec::new();
        // L'erreur : 1023 au lieu de 1024.
        if (&mut lecteur)
            .take(1023)
            .read_until(b'\n', &mut octets)
            .is_err()
            || octets.pop() != Some(b'\n')
        {
            break;
        }
        if octets.last() == Some(&b'\r') {
            octets.pop();
        }
        let Ok(commande) = String::from_utf8(octets) else {
            break;
        };
        if commun::repondre(service, &commande).is_err() || commande == "fin" {
            break;
        }
    }
    let _ = adresse;
}

fn main() -> std::io::Result<()> {
    let (ecoute, max) = commun::ouvrir()?;
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        commun::executant(service, adresse, place, session)
    });
    Ok(())
}
