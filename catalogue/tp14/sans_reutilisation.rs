//! Règle enfreinte : R24 — la socket d'écoute n'a pas SO_REUSEADDR : relancé juste après un arrêt, le serveur ne peut plus s'attacher à son port.
//!
//! Diagnostic attendu : `serveur_5_redemarrage`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn reutilise_l_adresse(&self) -> bool {
        // L'erreur : bind sans SO_REUSEADDR.
        false
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
