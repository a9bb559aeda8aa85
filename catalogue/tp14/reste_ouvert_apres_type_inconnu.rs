//! Règle enfreinte : R6 — après ERREUR 1 (type inconnu), la connexion reste ouverte : la charge est lue comme une nouvelle trame.
//!
//! Diagnostic attendu : `serveur_5_trames_invalides`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn ferme_apres(&self, code: u8) -> bool {
        (commun::TROP_LONGUE..=commun::MALFORMEE).contains(&code)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
