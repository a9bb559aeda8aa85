//! Règle enfreinte : R6 — un type inconnu avec une charge reçoit ERREUR 4 (trame malformée) au lieu d'ERREUR 1 ; sans charge, ERREUR 1 est juste.
//!
//! Diagnostic attendu : `serveur_5_trames_invalides`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn code_du_type_inconnu(&self, charge: &[u8]) -> u8 {
        if charge.is_empty() {
            1
        } else {
            commun::MALFORMEE
        }
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
