//! Le mode suivi (`cargo suivre`) : l'étudiant le lance une fois dans un
//! terminal et le garde ouvert pendant qu'il écrit son code. À chaque
//! sauvegarde sous `exercises/`, le TP est recompilé et recorrigé ; l'écran
//! montre les étapes (✓ / ✗ / pas atteinte), le diagnostic de la première
//! étape ratée, la commande qui la lance seule et, sur demande, des indices
//! gradués (`correcteur::aide`).
//!
//! - [`passe`] : une correction (compilation, puis étapes une à une) dans
//!   son fil, interruptible ;
//! - [`lancement`] : lancer une commande interruptible, sans laisser de
//!   processus derrière soi ;
//! - [`compilation`] : la commande de compilation et la première erreur du
//!   compilateur ;
//! - [`ecran`] : l'écran, calculé en lignes ;
//! - [`etat`] : ce qui est gardé entre deux lancements (temps passé,
//!   indices vus) ;
//! - [`boucle`] : le terminal, les touches, les sauvegardes.

pub mod boucle;
pub mod compilation;
pub mod ecran;
pub mod etat;
pub mod lancement;
pub mod passe;

pub use boucle::{Reglages, suivre, une_fois};
