//! `corriger` tué (kill -9) en pleine correction : les copies déjà notées
//! restent écrites, rien ne survit de ce qui tournait (le bac à sable meurt
//! avec lui), et la relance ne note que le reste.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corriger(classe: &Path, sortie: &Path) -> Command {
    let mut commande = Command::new(env!("CARGO_BIN_EXE_corriger"));
    commande
        .arg(classe)
        .args(["--tp", "tp09", "--paralleles", "1", "--delai-etape", "2"])
        .args(["--delai-total", "6", "--sortie"])
        .arg(sortie)
        .current_dir(racine())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    commande
}

/// Attend `condition` au plus `delai`.
fn attendre(delai: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let limite = Instant::now() + delai;
    while Instant::now() < limite {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    condition()
}

fn resultats(sortie: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut liste = Vec::new();
    for etudiant in fs::read_dir(sortie.join("resultats"))
        .into_iter()
        .flatten()
        .flatten()
    {
        for f in fs::read_dir(etudiant.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            liste.push((f.path(), f.metadata().unwrap().modified().unwrap()));
        }
    }
    liste.sort();
    liste
}

/// Les processus dont la ligne de commande cite `marque`.
fn processus_citant(marque: &str) -> usize {
    fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            fs::read(e.path().join("cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(marque))
        })
        .count()
}

#[test]
fn corriger_tue_reprend_sans_rien_perdre() {
    let dossier = tempfile::tempdir().unwrap();
    let classe = dossier.path().join("classe");
    let sortie = dossier.path().join("sortie");
    for etudiant in ["a", "b", "c", "d"] {
        let src = classe.join(etudiant).join("tp09/src");
        fs::create_dir_all(&src).unwrap();
        for entree in fs::read_dir(racine().join("exercises/tp09/src")).unwrap() {
            let chemin = entree.unwrap().path();
            fs::copy(&chemin, src.join(chemin.file_name().unwrap())).unwrap();
        }
        // Chaque étape tourne jusqu'au délai : la correction est lente.
        let main = src.join("main.rs");
        let texte = fs::read_to_string(&main).unwrap().replacen(
            "fn main() -> ExitCode {",
            "fn main() -> ExitCode {\n    std::thread::sleep(std::time::Duration::from_secs(60));",
            1,
        );
        fs::write(&main, texte).unwrap();
    }

    // Le bac à sable monte l'atelier, sous la sortie : son chemin est dans
    // la ligne de commande de bwrap.
    let marque = sortie.join("atelier").display().to_string();
    let mut enfant = corriger(&classe, &sortie).spawn().unwrap();
    let une_copie = attendre(Duration::from_secs(600), || {
        !resultats(&sortie).is_empty() && processus_citant(&marque) > 0
    });
    enfant.kill().unwrap();
    enfant.wait().unwrap();
    assert!(une_copie, "aucune copie notée en 600 s");
    let avant = resultats(&sortie);
    assert!(avant.len() < 4, "tout était déjà noté : {avant:?}");
    assert!(
        attendre(Duration::from_secs(10), || processus_citant(&marque) == 0),
        "des processus de la correction survivent à corriger"
    );
    assert!(fs::read_to_string(sortie.join("notes.csv")).is_ok_and(|c| c.lines().count() > 1));

    let statut = corriger(&classe, &sortie).status().unwrap();
    assert!(statut.success());
    let apres = resultats(&sortie);
    assert_eq!(apres.len(), 4, "{apres:?}");
    for deja in &avant {
        assert!(apres.contains(deja), "{} a été renoté", deja.0.display());
    }
    let carnet = fs::read_to_string(sortie.join("notes.csv")).unwrap();
    assert_eq!(carnet.lines().count(), 5, "{carnet}");
    assert!(!sortie.join("atelier").exists());
}
