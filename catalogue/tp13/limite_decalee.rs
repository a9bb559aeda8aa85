//! Règle enfreinte : R4 — la limite est de 1023 octets : une commande de 1024 octets (`\n` compris), permise, est refusée.
//!
//! L'erreur d'une unité : le « \n » n'est pas compté dans la limite.
//! Diagnostic attendu : `serveur_4_ligne_de_1024_octets`.

mod commun;

struct LimiteDecalee;

impl commun::Variante for LimiteDecalee {
    fn longueur_max(&self) -> usize {
        // L'erreur : 1023 au lieu de 1024.
        1023
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(LimiteDecalee)
}
