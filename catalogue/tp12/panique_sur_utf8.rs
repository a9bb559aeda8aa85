//! Règle enfreinte : R8 — une commande qui n'est pas de l'UTF-8 fait paniquer l'exécutant.
//!
//! Erreur volontaire : `String::from_utf8(…).unwrap()` sur une commande reçue.
//! Des octets qui ne sont pas de l'UTF-8 font paniquer l'exécutant : le
//! serveur survit (seul ce fil meurt), mais avec une trace en anglais au
//! lieu d'une erreur claire.
//! Diagnostic attendu : `serveur_4_utf8_invalide`.

mod commun;

use std::io::{BufRead, BufReader, Read};
use std::thread;

fn main() -> std::io::Result<()> {
    let (ecoute, max) = commun::ouvrir()?;
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        thread::spawn(move || {
            // La place est rendue même quand le fil panique (Drop pendant le
            // déroulement de la pile) : seule la panique est en faute.
            let _place = place;
            let mut lecteur = BufReader::new(&service);
            loop {
                let mut octets = Vec::new();
                match (&mut lecteur).take(1024).read_until(b'\n', &mut octets) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                // Sans « \n » : fin du flux au milieu d'une ligne, ou ligne trop longue.
                if octets.pop() != Some(b'\n') {
                    break;
                }
                if octets.last() == Some(&b'\r') {
                    octets.pop();
                }
                // L'erreur : des octets venus du réseau, supposés valides.
                let commande = String::from_utf8(octets).unwrap();
                if commun::repondre(&service, &commande).is_err() || commande == "fin" {
                    break;
                }
            }
            println!("Client parti : {adresse}");
        });
    });
    Ok(())
}
