//! Règle enfreinte : R17 — `--connexions-max` est lu puis ignoré : chaque connexion acceptée a son fil, sans borne.
//!
//! Trois mille connexions muettes, trois mille fils (et leurs piles) : le
//! serveur s'épuise sans qu'un seul électeur ait voté.
//! Diagnostic attendu : `serveur_5_connexions_max`.

mod commun;

struct SansLimite;

impl commun::Variante for SansLimite {
    fn connexions_max(&self, _demande: usize) -> usize {
        // L'erreur : aucune borne.
        usize::MAX
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(SansLimite)
}
