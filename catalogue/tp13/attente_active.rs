//! Règle enfreinte : R9 — un délai nul à poll() : la boucle tourne à vide.
//!
//! Erreur volontaire : l'attente active. Le programme donne un délai nul à
//! poll(), « pour ne jamais rester bloqué » : poll() rend la main aussitôt,
//! même sans événement, et la boucle recommence sans fin.
//!
//! Tout fonctionne, mais le serveur consomme un cœur entier du processeur
//! à ne rien faire, même sans aucun client.
//! Diagnostic attendu : `serveur_7_processeur_au_repos`.

mod commun;

use std::time::Duration;

struct AttenteActive;

impl commun::Variante for AttenteActive {
    fn delai(&self) -> Option<Duration> {
        // L'erreur : Some(Duration::ZERO) au lieu de None.
        Some(Duration::ZERO)
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(AttenteActive)
}
