//! La notation : corriger une classe (`cargo corriger`) ou son propre
//! travail (`cargo progression`) avec les tests du correcteur, chaque étape
//! lancée à part et bornée ; les copies d'une classe dans un bac à sable.

mod atelier;
mod bac_a_sable;
pub mod banc;
pub mod classe;
mod copie;
pub mod diagramme;
mod execution;
pub mod gradescope;
pub mod limites;
pub mod sorties;
pub mod soumissions;

pub use banc::{Bornes, Correction, Etape};
pub use classe::{Note, Reglages, corriger_classe};
pub use limites::Limites;

/// Les arguments de la ligne de commande (sans le programme), ou le message
/// d'erreur en français si l'un d'eux n'est pas de l'UTF-8 valide.
pub fn arguments_utf8() -> Result<Vec<String>, String> {
    std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string().map_err(|brut| {
                format!(
                    "argument illisible : {} n'est pas de l'UTF-8 valide",
                    brut.to_string_lossy()
                )
            })
        })
        .collect()
}
