//! La notation : corriger une classe (`cargo corriger`) ou son propre
//! travail (`cargo progression`) avec les tests du correcteur, chaque étape
//! lancée à part et bornée.

mod atelier;
pub mod banc;
pub mod classe;
mod execution;
pub mod limites;
pub mod sorties;

pub use banc::{Bornes, Correction, Etape};
pub use classe::{Note, Reglages, corriger_classe};
pub use limites::Limites;
