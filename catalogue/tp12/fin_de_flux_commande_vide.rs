//! Règle enfreinte : R6 — la fin du flux est prise pour une commande vide, à laquelle il répond.
//!
//! Erreur volontaire : la valeur rendue par `read_until` n'est pas regardée.
//! À la fin du flux elle vaut 0, la ligne reste vide, et le serveur la sert
//! comme une commande vide… sans fin, puisque chaque lecture suivante rend
//! encore 0.
//! Diagnostic attendu : `serveur_4_fin_de_flux_sans_fin`.

mod commun;

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};

fn session(service: &TcpStream, adresse: SocketAddr) {
    let mut lecteur = BufReader::new(service);
    loop {
        let mut octets = Vec::new();
        // L'erreur : le nombre d'octets lus n'est pas regardé. `Ok(0)` (fin
        // du flux) n'est pas distingué, ni une ligne sans son « \n ».
        if let Err(erreur) = (&mut lecteur).take(1024).read_until(b'\n', &mut octets) {
            eprintln!("erreur avec {adresse} : {erreur}");
            break;
        }
        if octets.len() == 1024 && octets.last() != Some(&b'\n') {
            eprintln!("erreur avec {adresse} : ligne trop longue");
            break;
        }
        let Ok(ligne) = String::from_utf8(octets) else {
            eprintln!("erreur avec {adresse} : ce n'est pas de l'UTF-8");
            break;
        };
        let commande = ligne.strip_suffix('\n').unwrap_or(&ligne);
        let commande = commande.strip_suffix('\r').unwrap_or(commande);
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
