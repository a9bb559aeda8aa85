//! Pas une erreur : un étudiant qui a fini les étapes 1 et 2 et s'arrête sur le todo!() de l'étape 3.
//!
//! Il écoute, intercepte les signaux et attend ses clients dans accept() ;
//! le premier client le fait s'arrêter sur `todo!()`. Les étapes 1 et 2
//! doivent être réussies, l'étape 3 ratée sans règle enfreinte.

mod commun;

use std::os::unix::net::UnixStream;

fn servir(_service: &mut UnixStream) -> anyhow::Result<()> {
    todo!("Étape 3 : lire un octet, répondre avec l'octet suivant")
}

fn main() -> anyhow::Result<()> {
    commun::serveur_avec(servir)
}
