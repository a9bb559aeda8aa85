//! Outils du livre « Programmation réseau par sockets ».
//!
//! Cette bibliothèque sert à l'exécutable `livre` (lancé par `cargo livre`) et
//! aux tests de l'espace de travail :
//!
//! - [`construire_edition`] construit l'édition étudiante (sans les blocs de
//!   l'enseignant) ou celle de l'enseignant ; [`construire`] construit
//!   l'édition étudiante avec mdBook et transforme toute erreur
//!   signalée en cours de route (inclusion cassée, chapitre absent…) en `Err` ;
//! - [`verifier_liens`] vérifie que les liens internes du HTML produit mènent
//!   à des fichiers qui existent ;
//! - [`Reconstructeur`] reconstruit le livre quand ses sources ont changé ;
//! - [`suivi`] est le mode suivi des étudiants (`cargo suivre`) ;
//! - [`Serveur`] est un petit serveur HTTP/1.1 de fichiers statiques écrit
//!   avec `std::net` seulement : c'est aussi un exemple commenté du cours.

mod ancres;
mod construction;
mod edition;
mod export;
#[cfg(unix)]
pub mod fil;
mod journal;
mod liens;
#[cfg(unix)]
pub mod notation;
mod pdf;
mod pretraitement;
#[cfg(unix)]
pub mod progression;
mod publication;
mod serveur;
mod sources;
#[cfg(unix)]
pub mod suivi;
pub mod tps;
mod typographie;

pub use construction::{construire, construire_edition};
pub use edition::{
    Bloc, DEBUT_CORRIGE, DEBUT_ENSEIGNANT, Edition, FIN_CORRIGE, FIN_ENSEIGNANT, retirer_blocs,
    retirer_blocs_enseignant,
};
#[cfg(unix)]
pub use export::workflow_classroom;
pub use export::{BilanExport, exporter, exporter_edition};
pub use liens::{LienCasse, RapportLiens, verifier_liens};
pub use pdf::imprimer_pdf;
pub use pretraitement::{NOM_PRETRAITEMENT, Pretraitement, pretraiter_flux};
pub use publication::{Fuite, RapportPublication, verifier_publication};
pub use serveur::{Reconstruction, Serveur};
pub use sources::{Reconstructeur, date_des_sources};
pub use typographie::{
    FauteTypographique, NOM_TYPOGRAPHIE, Typographie, typographier_markdown, typographier_texte,
    verifier_typographie,
};
