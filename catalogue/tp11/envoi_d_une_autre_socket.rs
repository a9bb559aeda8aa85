//! Règle enfreinte : R2 — envoie depuis une seconde socket, d'un port éphémère.
//!
//! Erreur volontaire : une socket attachée au port local pour recevoir, et
//! une seconde, sans bind, pour envoyer.
//!
//! Le programme reçoit bien, mais ses datagrammes partent d'un port
//! éphémère : le pair, qui filtre par adresse, les jette comme ceux d'un
//! intrus.
//! Diagnostic attendu : `pair_3_envoi` (« parti du port … pas du port local »).

mod commun;

use std::net::UdpSocket;

fn main() -> anyhow::Result<()> {
    let (port_local, pair) = commun::arguments()?;
    let reception = commun::ouvrir(port_local)?;
    // L'erreur : une socket de plus pour l'envoi, attachée par le noyau à
    // un port éphémère au premier envoi (ici, explicitement, le port 0).
    let envoi = UdpSocket::bind("127.0.0.1:0")?;
    commun::converser(
        envoi,
        reception,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
