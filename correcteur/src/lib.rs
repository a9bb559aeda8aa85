//! # Le correcteur
//!
//! Bibliothèque qui note les TP : elle lance le programme de l'étudiant,
//! joue elle-même le rôle de l'autre extrémité (client ou serveur de
//! référence) et compare, octet par octet, ce qui passe sur la socket avec ce
//! que le chapitre demande.
//!
//! Chaque TP a son module (`tp09`, …) : une fonction publique par étape, qui
//! renvoie `Ok(())` ou un [`Diagnostic`] en français. Le fichier de tests d'un
//! TP tient en une ligne — l'appel d'une macro (`correcteur::tp09!`) qui
//! produit un `#[test]` par étape.
//!
//! Les modules communs :
//! - [`processus`] : lancer un programme, lire sa sortie ligne à ligne, le
//!   tuer et le récolter quoi qu'il arrive ;
//! - [`reseau`] : ports libres, connexions avec relances bornées, lectures
//!   avec délai ;
//! - [`resolution`] : lancer un programme avec une résolution de noms
//!   choisie (bubblewrap), pour les règles « chaque adresse, dans l'ordre » ;
//! - [`udp`] : ports UDP libres, attente d'un `bind`, socket de test bornée ;
//! - [`etape`] : ce qu'une étape fait souvent (lancer, se connecter, lire une
//!   ligne attendue), avec le diagnostic qui va avec en cas d'échec ;
//! - [`diagnostic`] et [`indices`] : la mise en forme des échecs.

// Un échec d'étape porte tout son diagnostic (textes, octets, sortie du
// programme) : il est gros, mais il est rare et n'est produit qu'une fois par
// test. Le mettre en boîte n'apporterait que du bruit.
#![allow(clippy::result_large_err)]

pub mod aide;
pub mod arret_explique;
pub mod caracteres_de_controle;
pub mod diagnostic;
pub mod echange;
pub mod etape;
pub mod garde;
pub mod indices;
pub mod lancement;
pub mod non_verifiable;
pub mod processus;
pub mod reseau;
pub mod resolution;
pub mod table_des_sockets;
pub mod tp08;
pub mod tp09;
pub mod tp10;
pub mod tp11;
pub mod tp12;
pub mod tp13;
pub mod tp14;
pub mod tp15;
pub mod udp;
pub mod verrou_de_port;

pub mod etapes;

pub use diagnostic::Diagnostic;
pub use etape::{Cote, Etape};

/// Signature commune des étapes : le chemin du binaire à corriger en entrée.
pub type Verification = fn(&std::path::Path) -> Result<(), Diagnostic>;

/// Lance une étape en notant l'échange observé par les pairs du correcteur
/// ([`echange`]) : un échec porte son diagramme de séquence.
pub fn verifier(verification: Verification, binaire: &std::path::Path) -> Result<(), Diagnostic> {
    let journal = echange::commencer();
    let resultat = verification(binaire);
    echange::terminer();
    resultat.map_err(|mut diagnostic| {
        diagnostic.echange = journal.rendu();
        diagnostic
    })
}

/// Exécute une étape dans un `#[test]`. En cas d'échec, le diagnostic est
/// écrit (cargo test l'affiche sous le nom du test), puis le test échoue
/// sans message de panique ni trace de pile : seul le diagnostic compte.
pub fn executer(verification: Verification, binaire: &str) {
    if let Err(diagnostic) = verifier(verification, std::path::Path::new(binaire)) {
        eprintln!("{diagnostic}");
        std::panic::resume_unwind(Box::new(diagnostic.titre));
    }
}
