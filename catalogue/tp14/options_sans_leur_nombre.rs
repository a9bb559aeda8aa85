//! Règle enfreinte : R3 — OPTIONS envoie la question puis les options, sans leur nombre (u16) entre les deux.
//!
//! Diagnostic attendu : `serveur_5_options`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn annonce_le_nombre_d_options(&self) -> bool {
        false
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
