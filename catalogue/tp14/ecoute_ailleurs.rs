//! Règle enfreinte : R1 — le port donné en argument est ignoré : le serveur écoute sur un port choisi par le système.
//!
//! Diagnostic attendu : `serveur_1_ecoute`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn port(&self, _demande: u16) -> u16 {
        // L’erreur : 0, le système choisit.
        0
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
