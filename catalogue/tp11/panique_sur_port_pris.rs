//! Règle enfreinte : R14 — le pair panique quand son port local est déjà pris, au lieu de l'expliquer et de finir avec le code 1.
//!
//! Erreur volontaire : `bind(…).expect(…)`. Tant que le port est libre,
//! rien ne se voit ; le jour où un autre programme l'occupe, l'utilisateur
//! reçoit une panique (code 101) au lieu d'une erreur en français.
//! Diagnostic attendu : `pair_2_port_pris`.

mod commun;

use std::net::UdpSocket;

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let pair = adresses[0];
    // L'erreur : unwrap déguisé sur un appel qui peut échouer.
    let socket = UdpSocket::bind(commun::boucle_locale(pair, port_local)).expect("bind impossible");
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
