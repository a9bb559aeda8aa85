//! Règle enfreinte : R9 — poll() reçoit un délai de 2 ms : au repos, le serveur se réveille 500 fois par seconde.
//!
//! Chaque réveil ne coûte presque rien : la part de processeur reste
//! faible, mais le thread ne dort jamais plus de 2 ms.
//! Diagnostic attendu : `serveur_7_processeur_au_repos`.

mod commun;

use std::time::Duration;

struct Reveil;

impl commun::Variante for Reveil {
    fn delai(&self) -> Option<Duration> {
        // L'erreur : un délai court, « pour vérifier de temps en temps ».
        Some(Duration::from_millis(2))
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(Reveil)
}
