//! Règle enfreinte : R9 — pas de places comptées : chaque client a sa
//! tâche, sans limite, quel que soit --max-clients.

mod commun;

use std::process::ExitCode;

fn main() -> ExitCode {
    let reglages = commun::Reglages {
        // L'erreur : aucune place n'est prise ni comptée.
        limiter: false,
        ..Default::default()
    };
    commun::lancer(reglages, commun::session_juste)
}
