//! Règle enfreinte : R10 — `--max-clients` est ignoré : personne n'entend jamais « bar complet ».
//!
//! Diagnostic attendu : `serveur_8_limite_de_clients`.

mod commun;

struct SansLimite;

impl commun::Variante for SansLimite {
    fn max_clients(&self, _demande: usize) -> usize {
        // L'erreur : aucune limite.
        usize::MAX
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(SansLimite)
}
