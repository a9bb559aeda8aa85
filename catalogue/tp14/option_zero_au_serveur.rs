//! Règle enfreinte : R21 — le client envoie `voter JETON 0` au serveur au lieu de le refuser sur place (code 64).
//!
//! Le serveur répondrait « option inconnue », certes ; mais une erreur de
//! frappe de l'utilisateur se voit avant d'ouvrir une connexion, comme un
//! port 70000. Contre un serveur qui ne répond pas, ce client attend.
//! Diagnostic attendu : `client_3_option_zero`.

mod commun;

struct OptionZeroAuServeur;

impl commun::Variante for OptionZeroAuServeur {
    fn refuse_l_option_zero(&self) -> bool {
        // L'erreur : aucune vérification locale.
        false
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(OptionZeroAuServeur)
}
