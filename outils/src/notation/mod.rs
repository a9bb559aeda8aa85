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
