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
    let (port_local, adresses) = commun::arguments()?;
    let (reception, pair) = commun::ouvrir(port_local, &adresses)?;
    // L'erreur : une socket de plus pour l'envoi, attachée par le noyau à
    // un port éphémère au premier envoi (ici, explicitement, le port 0).
    let envoi = UdpSocket::bind(commun::boucle_locale(pair, 0))?;
    commun::converser(
        envoi,
        reception,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
