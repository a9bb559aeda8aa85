//! Règle enfreinte : R10 — Ctrl+C n'est pas attendu : SIGINT tue le bar au
//! milieu de ses sessions, sans code de sortie.

mod commun;

use std::process::ExitCode;

fn main() -> ExitCode {
    let reglages = commun::Reglages {
        // L'erreur : pas de tokio::signal::ctrl_c() dans la boucle d'accueil.
        arret_propre: false,
        ..Default::default()
    };
    commun::lancer(reglages, commun::session_juste)
}
