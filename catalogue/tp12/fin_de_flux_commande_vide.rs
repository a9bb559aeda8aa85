//! Règle enfreinte : R6 — la fin du flux est prise pour une commande vide, à laquelle il répond.
//!
//! Erreur volontaire : la valeur rendue par `read_line` n'est pas regardée.
//! À la fin du flux elle vaut 0, la ligne reste vide, et le serveur la sert
//! comme une commande vide… sans fin, puisque chaque lecture suivante rend
//! encore 0.
//! Diagnostic attendu : `serveur_4_fin_de_flux_sans_fin`.

mod commun;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};

fn session(service: &TcpStream, _adresse: SocketAddr) {
    let mut lecteur = BufReader::new(service);
    loop {
        let mut ligne = String::new();
        // L'erreur : `Ok(0)` (fin du flux) n'est pas distingué.
        if lecteur.read_line(&mut ligne).is_err() {
            break;
        }
        let commande = ligne.trim_end_matches('\n');
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
