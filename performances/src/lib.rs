//! Les mesures du chapitre « Performances mesurées ».
//!
//! - [`charge`] : l'outil de charge. N clients simultanés, chacun passe M
//!   commandes au bar (ou à un serveur d'écho) et vérifie chaque réponse ;
//!   quelques threads seulement, chacun avec sa boucle d'événements `mio`.
//! - [`mesure`] : ce que l'outil rapporte (débit, latences, pic) et ses
//!   trois présentations (texte, JSON, CSV).
//! - [`systeme`] : la limite de descripteurs et la boucle locale.
//! - [`banc`] et [`rendu`] : le banc qui compare les serveurs du cours et
//!   le tableau, le CSV et les graphiques SVG qu'il produit.

pub mod banc;
pub mod charge;
pub mod date;
pub mod mesure;
pub mod rendu;
pub mod systeme;
