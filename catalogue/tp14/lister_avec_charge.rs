//! Règle enfreinte : R6 — LISTER avec une charge non vide reçoit OPTIONS au lieu d'ERREUR 4 (trame malformée).
//!
//! Diagnostic attendu : `serveur_5_trames_invalides`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn lister_accepte_une_charge(&self) -> bool {
        true
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
