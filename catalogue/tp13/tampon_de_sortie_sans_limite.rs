//! Règle enfreinte : R8 — aucune contre-pression : le tampon de sortie grossit sans limite.
//!
//! Erreur volontaire : pas de contre-pression. Le programme lit les
//! commandes d'un client tant qu'il en arrive, même si ce client ne prend
//! pas ses réponses : elles s'entassent dans le tampon de sortie.
//!
//! Aucune réponse ne se perd, et personne n'attend. Mais un client qui
//! envoie sans lire fait grossir la mémoire du serveur sans limite.
//! Diagnostic attendu : `serveur_6_client_qui_ne_lit_pas`.

mod commun;

struct TamponDeSortieSansLimite;

impl commun::Variante for TamponDeSortieSansLimite {
    fn sortie_max(&self) -> usize {
        // L'erreur : aucune limite, la lecture n'est jamais suspendue.
        usize::MAX
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(TamponDeSortieSansLimite)
}
