//! Règle enfreinte : R15 — le client se connecte toujours au port 65432, quel que soit le port demandé.
//!
//! Erreur volontaire : le port du chapitre écrit en dur dans connect.
//! Diagnostic attendu : `client_1_connexion`.

mod commun;

use std::net::TcpStream;

fn main() -> anyhow::Result<()> {
    let (hote, _port) = commun::hote_et_port();
    // L'erreur : le port demandé est ignoré.
    let port = commun::PORT_PAR_DEFAUT;
    let mut flux = TcpStream::connect((hote.as_str(), port))?;
    println!("Connecté au serveur {}", flux.peer_addr()?);
    commun::recevoir_bienvenue(&flux)?;
    commun::envoyer_lignes(&mut flux, port)?;
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}
