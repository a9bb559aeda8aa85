//! Règle enfreinte : R4 — chaque read() est pris pour une commande entière.
//!
//! Erreur volontaire : chaque `read()` est pris pour une commande entière.
//! TCP ne garde pas les frontières des écritures : une commande peut
//! arriver en plusieurs morceaux, et deux commandes dans un seul.
//! Diagnostic attendu : `serveur_4_commande_en_morceaux`.

mod commun;

use std::io::Read;
use std::net::{SocketAddr, TcpStream};

fn session(mut service: &TcpStream, adresse: SocketAddr) {
    let mut tampon = [0u8; 1024];
    // L'erreur : un read(), une commande.
    while let Ok(lus @ 1..) = service.read(&mut tampon) {
        // Tampon plein sans « \n » : la ligne dépasse la limite.
        if lus == tampon.len() && tampon[lus - 1] != b'\n' {
            eprintln!("erreur avec {adresse} : ligne trop longue");
            break;
        }
        let Ok(texte) = std::str::from_utf8(&tampon[..lus]) else {
            eprintln!("erreur avec {adresse} : ce n'est pas de l'UTF-8");
            break;
        };
        let commande = texte.trim_end_matches('\n');
        println!("{adresse} commande : {commande}");
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
