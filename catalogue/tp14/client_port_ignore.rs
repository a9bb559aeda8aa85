//! Règle enfreinte : R22 — le client ignore le port donné et se connecte au port par défaut, 65432.
//!
//! Diagnostic attendu : `client_1_connexion`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn port(&self, _demande: u16) -> u16 {
        65432
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
