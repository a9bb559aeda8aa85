//! `livre construire --dest DOSSIER` où l'on ne peut rien écrire : une
//! erreur entièrement en français (mdBook, lui, répond « Rendering failed:
//! Unexpected error when constructing destination path… »), sans rien créer
//! ailleurs. (Sous Linux seulement : `/proc` y sert de dossier où rien ne
//! s'écrit.)
#![cfg(target_os = "linux")]

use std::process::{Command, Stdio};

/// Les mots des messages de mdBook et du système qui ne doivent plus passer.
const ANGLAIS: [&str; 5] = [
    "Rendering",
    "failed",
    "Unexpected",
    "No such file",
    "directory",
];

#[test]
fn une_destination_impossible_donne_une_erreur_en_francais() {
    for destination in ["/proc/x", "/proc/self/livre/x"] {
        let sortie = Command::new(env!("CARGO_BIN_EXE_livre"))
            .args(["construire", "--dest", destination])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let erreurs = String::from_utf8_lossy(&sortie.stderr);
        assert_eq!(sortie.status.code(), Some(1), "{erreurs}");
        assert!(
            erreurs.starts_with(&format!(
                "erreur : impossible d'écrire le livre dans {destination} : "
            )),
            "{erreurs}"
        );
        for mot in ANGLAIS {
            assert!(!erreurs.contains(mot), "« {mot} » dans : {erreurs}");
        }
    }
}
