//! Outils du livre « Programmation réseau par sockets ».
//!
//! Cette bibliothèque sert à l'exécutable `livre` (lancé par `cargo livre`) et
//! aux tests de l'espace de travail :
//!
//! - [`construire`] construit le livre avec mdBook et transforme toute erreur
//!   signalée en cours de route (inclusion cassée, chapitre absent…) en `Err` ;
//! - [`verifier_liens`] vérifie que les liens internes du HTML produit mènent
//!   à des fichiers qui existent ;
//! - [`Reconstructeur`] reconstruit le livre quand ses sources ont changé ;
//! - [`Serveur`] est un petit serveur HTTP/1.1 de fichiers statiques écrit
//!   avec `std::net` seulement : c'est aussi un exemple commenté du cours.

mod ancres;
mod construction;
mod journal;
mod liens;
mod serveur;
mod sources;

pub use construction::construire;
pub use liens::{LienCasse, RapportLiens, verifier_liens};
pub use serveur::{Reconstruction, Serveur};
pub use sources::{Reconstructeur, date_des_sources};
