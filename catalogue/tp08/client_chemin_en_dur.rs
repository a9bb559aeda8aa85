//! Règle enfreinte : R11 — le client se connecte toujours à socket_serveur, quel que soit le chemin donné.
//!
//! Erreur volontaire : le chemin par défaut est écrit en dur. Lancé dans le
//! dossier du serveur et sans argument, tout marche ; avec un autre chemin,
//! le client cherche `./socket_serveur` et ne trouve rien.
//! Diagnostic attendu : `client_1_connexion`.

mod commun;

use anyhow::Context;
use std::os::unix::net::UnixStream;

fn main() -> anyhow::Result<()> {
    // L'erreur : l'argument CHEMIN n'est jamais lu.
    let mut flux = UnixStream::connect("socket_serveur")
        .context("impossible de se connecter : lancez d'abord le serveur")?;
    commun::echanger(&mut flux, commun::octet())
}
