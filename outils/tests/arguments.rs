//! `corriger` et `progression` refusent un argument qui n'est pas de
//! l'UTF-8 : message en français, code 64 (EX_USAGE), pas de panique.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Stdio};

fn refuse_l_argument_illisible(binaire: &str) {
    let illisible = OsStr::from_bytes(b"classe-\xff\xfe");
    let sortie = Command::new(binaire)
        .arg(illisible)
        .stdin(Stdio::null())
        .output()
        .expect("lancement");
    let erreurs = String::from_utf8_lossy(&sortie.stderr);
    assert_eq!(sortie.status.code(), Some(64), "{erreurs}");
    assert!(
        erreurs.starts_with("erreur : argument illisible") && erreurs.contains("Usage : "),
        "{erreurs}"
    );
    assert!(!erreurs.contains("panicked"), "{erreurs}");
}

#[test]
fn corriger_refuse_un_argument_non_utf8() {
    refuse_l_argument_illisible(env!("CARGO_BIN_EXE_corriger"));
}

#[test]
fn progression_refuse_un_argument_non_utf8() {
    refuse_l_argument_illisible(env!("CARGO_BIN_EXE_progression"));
}
