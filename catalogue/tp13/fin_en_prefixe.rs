//! Règle enfreinte : R3 — toute commande qui commence par « fin » (« finale ») termine la session.
//!
//! Seule la ligne « fin » entière annonce le départ.
//! Diagnostic attendu : `serveur_4_un_client`.

mod commun;

struct FinEnPrefixe;

impl commun::Variante for FinEnPrefixe {
    fn est_la_fin(&self, commande: &str) -> bool {
        // L'erreur : le début de la ligne, pas la ligne entière.
        commande.starts_with("fin")
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(FinEnPrefixe)
}
