//! Règle enfreinte : R2 — le bar accepte les clients sans les annoncer.

mod commun;

use std::process::ExitCode;

fn main() -> ExitCode {
    let reglages = commun::Reglages {
        // L'erreur : aucun « Client connecté : IP:PORT ».
        annoncer: false,
        ..Default::default()
    };
    commun::lancer(reglages, commun::session_juste)
}
