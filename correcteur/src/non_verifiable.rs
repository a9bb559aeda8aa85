//! Un contrôle que cette machine ne permet pas de faire : pas de boucle
//! locale IPv6, pas de bubblewrap, ni `/proc` ni `lsof`. Ces cas ne se
//! savent qu'en cours d'étape, quand un test ne peut plus se déclarer
//! ignoré : l'étape le signale ici et ne conclut rien de ce contrôle.
//!
//! Le signalement ne doit passer ni pour un succès muet ni pour un échec :
//! - `cargo test` cache tout ce qu'un test réussi écrit par `eprintln!` ;
//!   la ligne est donc écrite directement sur le descripteur 2, hors de
//!   cette capture, et l'étudiant la voit au-dessus du « ok » ;
//! - la notation (`cargo corriger`, `cargo suivre`, Gradescope) lit la
//!   marque [`MARQUE`] en tête de ligne et compte l'étape « non
//!   vérifiable », ni réussie ni à reprendre.
//!
//! Un programme testé qui imiterait cette ligne ne gagnerait rien : une étape
//! non vérifiable ne compte jamais comme réussie.

use std::io::Write;

/// Le début de la ligne de signalement, que la notation reconnaît.
pub const MARQUE: &str = "[non vérifiable ici] ";

/// Signale que ce que dit `message` n'a pas pu être contrôlé sur cette
/// machine (l'étape, le contrôle et la raison).
pub fn signaler(message: &str) {
    // `std::io::stderr()` n'est pas capturé par le banc de test (seuls les
    // macros print!/eprint! le sont) : la ligne se voit même si le test réussit.
    let _ = writeln!(std::io::stderr().lock(), "{MARQUE}{message}");
}

/// La raison donnée par la première ligne de signalement de `sortie`, si
/// elle en contient une.
pub fn lire(sortie: &str) -> Option<&str> {
    sortie.lines().find_map(|ligne| ligne.strip_prefix(MARQUE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_marque_se_relit_en_tete_de_ligne_seulement() {
        let sortie = format!("running 1 test\n{MARQUE}étape 2 : pas de bwrap.\ntest x ... ok\n");
        assert_eq!(lire(&sortie), Some("étape 2 : pas de bwrap."));
        assert_eq!(lire(&format!("avant {MARQUE}raison")), None);
        assert_eq!(lire("test x ... ok"), None);
    }
}
