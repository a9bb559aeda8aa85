//! Règle enfreinte : R5 — « fin » est servie comme une commande ordinaire, sans fermer.
//!
//! Erreur volontaire : « fin » est servie comme une commande ordinaire ;
//! seule la fin du flux termine la session.
//!
//! Le client du chapitre, lui, attend que le serveur ferme après « fin » : il
//! attend pour toujours, et le serveur garde sa place occupée.
//! Diagnostic attendu : `serveur_4_un_client`.

mod commun;

use std::io::BufReader;
use std::net::{SocketAddr, TcpStream};

fn session(service: &TcpStream, adresse: SocketAddr) {
    let mut lecteur = BufReader::new(service);
    // L'erreur : aucune comparaison avec « fin ».
    while let Ok(Some(commande)) = commun::lire_commande(&mut lecteur) {
        println!("{adresse} commande : {commande}");
        if commun::repondre(service, &commande).is_err() {
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
