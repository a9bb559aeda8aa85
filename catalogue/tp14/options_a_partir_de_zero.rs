//! Règle enfreinte : R19 — le client numérote les options affichées à partir de 0.
//!
//! Diagnostic attendu : `client_3_options`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn premier_numero_affiche(&self) -> u16 {
        0
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
