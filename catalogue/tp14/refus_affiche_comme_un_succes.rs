//! Règle enfreinte : R20 — le client affiche un refus du serveur sur la sortie standard et finit avec le code 0.
//!
//! Diagnostic attendu : `client_3_refus`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn refus_en_erreur(&self) -> bool {
        false
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
