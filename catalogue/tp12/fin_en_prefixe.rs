//! Règle enfreinte : R5 — toute commande qui commence par « fin » (« finale ») termine la session.
//!
//! Seule la ligne « fin » entière annonce le départ ; « finale » est une
//! commande comme une autre.
//! Diagnostic attendu : `serveur_4_un_client`.

mod commun;

use std::io::BufReader;
use std::net::{SocketAddr, TcpStream};

fn session(service: &TcpStream, adresse: SocketAddr) {
    let mut lecteur = BufReader::new(service);
    while let Ok(Some(commande)) = commun::lire_commande(&mut lecteur) {
        if commun::repondre(service, &commande).is_err() {
            break;
        }
        // L'erreur : le début de la ligne, pas la ligne entière.
        if commande.starts_with("fin") {
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
