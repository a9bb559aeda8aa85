//! Règle enfreinte : R12 — le serveur affiche chaque commande reçue.
//!
//! println! est une écriture bloquante : si la sortie traîne, le seul
//! thread attend, et tous les clients avec lui.
//! Diagnostic attendu : `serveur_3_commandes`.

mod commun;

struct AfficheChaqueCommande;

impl commun::Variante for AfficheChaqueCommande {
    fn afficher_les_commandes(&self) -> bool {
        // L'erreur : une ligne de journal par commande.
        true
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(AfficheChaqueCommande)
}
