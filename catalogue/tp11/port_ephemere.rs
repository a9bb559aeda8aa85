//! Règle enfreinte : R1 — attache sa socket au port 0 au lieu du port local.
//!
//! Erreur volontaire : la socket est attachée au port 0, comme celle d'un
//! client du mode asymétrique (TP10), au lieu du port local reçu en argument.
//!
//! Le noyau lui donne un port éphémère que le pair ne connaît pas : il
//! envoie ses datagrammes à PORT_LOCAL, où personne n'écoute.
//! Diagnostic attendu : `pair_2_attache` (« aucune socket UDP n'est attachée »).

mod commun;

use std::net::UdpSocket;

fn main() -> anyhow::Result<()> {
    let (_port_local, adresses) = commun::arguments()?;
    let pair = adresses[0];
    // L'erreur : le port local est ignoré ; 0 laisse le noyau choisir.
    let socket = UdpSocket::bind(commun::boucle_locale(pair, 0))?;
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
