//! Règle enfreinte : R14 — sans serveur, le client panique (unwrap sur connect).
//!
//! Erreur volontaire : `UnixStream::connect(…).unwrap()`.
//!
//! Tout va bien tant que le serveur est lancé ; sans lui, le client panique
//! et affiche un message technique au lieu de dire de lancer le serveur.
//! Diagnostic attendu : `client_1_sans_serveur`.

mod commun;

use std::os::unix::net::UnixStream;

fn main() -> anyhow::Result<()> {
    // L'erreur : unwrap() sur une erreur attendue (pas de serveur).
    let mut flux = UnixStream::connect(commun::chemin()).unwrap();
    commun::echanger(&mut flux, commun::octet())
}
