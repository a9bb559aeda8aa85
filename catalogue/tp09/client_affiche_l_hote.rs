//! Règle enfreinte : R16 — le client affiche le nom demandé (« localhost ») au lieu de l'adresse connectée.
//!
//! Erreur volontaire : `localhost` peut désigner ::1 comme 127.0.0.1 ; le
//! nom ne dit pas à quelle adresse la connexion a réussi.
//! Diagnostic attendu : `client_1_connexion`.

mod commun;

use std::net::TcpStream;

fn main() -> anyhow::Result<()> {
    let (hote, port) = commun::hote_et_port();
    let mut flux = TcpStream::connect((hote.as_str(), port))?;
    // L'erreur : le nom demandé, pas peer_addr().
    println!("Connecté au serveur {hote}:{port}");
    commun::recevoir_bienvenue(&flux)?;
    commun::envoyer_lignes(&mut flux, port)?;
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}
