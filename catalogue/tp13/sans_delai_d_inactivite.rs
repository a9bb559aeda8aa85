//! Règle enfreinte : R11 — `--inactivite` est ignoré : un client muet garde sa place pour toujours.
//!
//! poll() attend sans délai, et rien ne congédie les clients qui se taisent.
//! Diagnostic attendu : `serveur_9_inactivite`.

mod commun;

use std::time::Duration;

struct SansDelai;

impl commun::Variante for SansDelai {
    fn inactivite(&self) -> Option<Duration> {
        // L'erreur : aucun délai d'inactivité.
        None
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(SansDelai)
}
