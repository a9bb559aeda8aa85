//! Règle enfreinte : R4 — le reçu porte le rang du vote à partir de 0, pas de 1.
//!
//! Diagnostic attendu : `serveur_6_vote`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn numero_du_recu(&self, rang: u32) -> u32 {
        rang - 1
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
