//! Règle enfreinte : R5 — après un refus (jeton inconnu, déjà voté, option inconnue), la connexion est fermée.
//!
//! Diagnostic attendu : `serveur_6_refus`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn ferme_apres(&self, _code: u8) -> bool {
        true
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
