//! Sans bubblewrap, `corriger` le dit et refuse de noter (rien n'est
//! écrit), sauf si l'enseignant accepte le risque (`--sans-bac-a-sable`).

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn sans_bac_a_sable_corriger_refuse_de_noter() {
    let dossier = tempfile::tempdir().unwrap();
    // Un PATH où tout est là sauf bwrap.
    let outils = dossier.path().join("bin");
    fs::create_dir(&outils).unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    for rep in std::env::split_paths(&path) {
        for entree in fs::read_dir(&rep).into_iter().flatten().flatten() {
            let nom = entree.file_name();
            if nom != "bwrap" && !outils.join(&nom).exists() {
                let _ = std::os::unix::fs::symlink(entree.path(), outils.join(&nom));
            }
        }
    }
    let classe = dossier.path().join("classe");
    fs::create_dir_all(classe.join("alice/tp09/src")).unwrap();
    fs::write(classe.join("alice/tp09/src/main.rs"), "fn main() {}\n").unwrap();
    let sortie = dossier.path().join("sortie");
    let resultat = Command::new(env!("CARGO_BIN_EXE_corriger"))
        .arg(&classe)
        .arg("--sortie")
        .arg(&sortie)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .env("PATH", &outils)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let erreurs = String::from_utf8_lossy(&resultat.stderr);
    assert_eq!(resultat.status.code(), Some(1), "{erreurs}");
    assert!(
        erreurs.contains("le bac à sable ne peut pas être mis en place")
            && erreurs.contains("bubblewrap")
            && erreurs.contains("--sans-bac-a-sable")
            && erreurs.contains("SECURITE.md"),
        "{erreurs}"
    );
    assert!(!erreurs.contains("panicked"), "{erreurs}");
    assert!(!sortie.join("notes.csv").exists());
}
