//! L'archive Gradescope du TP09, de bout en bout : décompressée dans une
//! racine temporaire rangée comme `/autograder`, son `run_autograder` note
//! une soumission juste, un squelette et une soumission hostile ; chaque
//! `results.json` est vérifié contre les champs documentés par Gradescope
//! (« Autograder Specifications » : score, output, output_format,
//! visibility, tests[] avec name, score, max_score, status, output).

use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const FORMATS: [&str; 5] = ["text", "html", "simple_format", "md", "ansi"];
const VISIBILITES: [&str; 4] = ["hidden", "after_due_date", "after_published", "visible"];

#[test]
fn l_archive_gradescope_note_juste_squelette_et_hostile() {
    let dossier = tempfile::tempdir().unwrap();
    let archives = dossier.path().join("archives");
    let statut = Command::new(env!("CARGO_BIN_EXE_corriger"))
        .args(["gradescope"])
        .arg(&archives)
        .args(["--tp", "tp09"])
        .current_dir(racine())
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(statut.success());
    let archive = archives.join("tp09-gradescope.zip");
    let autograder = dossier.path().join("autograder");
    decompresser(&archive, &autograder.join("source"));
    for requis in [
        "setup.sh",
        "run_autograder",
        "espace/exercises/tp09/Cargo.toml",
    ] {
        assert!(
            autograder.join("source").join(requis).is_file(),
            "{requis} manque"
        );
    }
    assert!(!autograder.join("source/espace/solutions").exists());
    let run = autograder.join("run_autograder");
    fs::copy(autograder.join("source/run_autograder"), &run).unwrap();
    fs::set_permissions(&run, fs::Permissions::from_mode(0o755)).unwrap();
    let total = correcteur::etapes::TP09.len();

    // Juste : les fichiers du corrigé à la racine de la soumission.
    let json = noter(&autograder, |s| {
        copier(&racine().join("solutions/tp09/src"), s)
    });
    valider(&json);
    assert_eq!(json["score"], total, "{json:#}");

    // Squelette : dans un src/.
    let json = noter(&autograder, |s| {
        copier(&racine().join("exercises/tp09/src"), &s.join("src"))
    });
    valider(&json);
    assert_eq!(json["score"], 0, "{json:#}");
    assert!(json.to_string().contains("not yet implemented"), "{json:#}");

    // Hostile : écrit un faux results.json, et un démon le réécrit plus tard.
    let resultats = autograder.join("results/results.json");
    let hostile = |s: &Path| {
        let src = s.join("tp09/src");
        copier(&racine().join("exercises/tp09/src"), &src);
        let main = src.join("main.rs");
        let faux = format!(
            "let faux = r#\"{{\"score\": 99, \"tests\": []}}\"#; \
             let _ = std::fs::write(\"{r}\", faux); \
             let _ = std::process::Command::new(\"setsid\").args([\"-f\", \"sh\", \"-c\", \
             \"sleep 2; echo '{{\\\"score\\\": 98}}' > {r}\"]).spawn();",
            r = resultats.display()
        );
        let texte = fs::read_to_string(&main).unwrap().replacen(
            "fn main() -> ExitCode {",
            &format!("fn main() -> ExitCode {{\n    {faux}"),
            1,
        );
        fs::write(&main, texte).unwrap();
    };
    let json = noter(&autograder, hostile);
    valider(&json);
    assert_eq!(json["score"], 0, "{json:#}");
    std::thread::sleep(Duration::from_secs(3));
    let relu: Value = serde_json::from_str(&fs::read_to_string(&resultats).unwrap()).unwrap();
    assert_eq!(relu, json, "results.json a été réécrit après la correction");

    // Un conteneur sans bubblewrap : la soumission est notée quand même, le
    // hostile toujours à zéro, le juste toujours juste. Gradescope lance
    // run_autograder en root (hors root, cette voie n'a pas d'autre
    // utilisateur sous qui faire tourner les étapes : SECURITE.md).
    // SAFETY: geteuid(2) ne peut pas échouer.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("(pas root : la voie sans bubblewrap n'est pas essayée)");
        return;
    }
    let sans_bwrap = path_sans_bwrap(dossier.path());
    let json = noter_avec_path(&autograder, Some(&sans_bwrap), hostile);
    valider(&json);
    assert_eq!(json["score"], 0, "{json:#}");
    std::thread::sleep(Duration::from_secs(3));
    let relu: Value = serde_json::from_str(&fs::read_to_string(&resultats).unwrap()).unwrap();
    assert_eq!(relu, json, "results.json a été réécrit après la correction");
    let json = noter_avec_path(&autograder, Some(&sans_bwrap), |s| {
        copier(&racine().join("solutions/tp09/src"), s)
    });
    valider(&json);
    assert_eq!(json["score"], total, "{json:#}");
}

/// Un dossier de liens vers tout ce que le PATH contient, sauf bwrap.
fn path_sans_bwrap(dossier: &Path) -> PathBuf {
    let outils = dossier.join("sans-bwrap");
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
    outils
}

/// Range la soumission (`remplir`), lance run_autograder, rend results.json.
fn noter(autograder: &Path, remplir: impl FnOnce(&Path)) -> Value {
    noter_avec_path(autograder, None, remplir)
}

/// Comme [`noter`], avec ce `PATH` (sans bwrap : le conteneur qui l'interdit).
fn noter_avec_path(autograder: &Path, path: Option<&Path>, remplir: impl FnOnce(&Path)) -> Value {
    let soumission = autograder.join("submission");
    let _ = fs::remove_dir_all(&soumission);
    let _ = fs::remove_dir_all(autograder.join("results"));
    fs::create_dir_all(&soumission).unwrap();
    remplir(&soumission);
    let mut commande = Command::new(autograder.join("run_autograder"));
    if let Some(path) = path {
        commande.env("PATH", path);
    }
    let mut enfant = commande
        .current_dir(autograder)
        .env("AUTOGRADER_RACINE", autograder)
        .env("CORRIGER", env!("CARGO_BIN_EXE_corriger"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let limite = Instant::now() + Duration::from_secs(600);
    let statut = loop {
        if let Some(statut) = enfant.try_wait().unwrap() {
            break statut;
        }
        if Instant::now() > limite {
            let _ = enfant.kill();
            panic!("run_autograder tourne encore au bout de 600 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut journal = String::new();
    enfant
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut journal)
        .unwrap();
    assert!(statut.success(), "run_autograder : {statut}\n{journal}");
    let texte = fs::read_to_string(autograder.join("results/results.json"))
        .unwrap_or_else(|e| panic!("pas de results.json ({e}) :\n{journal}"));
    serde_json::from_str(&texte).unwrap_or_else(|e| panic!("JSON invalide ({e}) :\n{texte}"))
}

/// Les champs que Gradescope documente, avec leurs types et valeurs permises.
fn valider(json: &Value) {
    let texte = json.to_string();
    assert!(json["score"].is_number(), "{texte}");
    assert!(json["output"].is_string(), "{texte}");
    assert!(
        FORMATS.contains(&json["output_format"].as_str().unwrap_or("")),
        "{texte}"
    );
    if let Some(v) = json.get("visibility") {
        assert!(VISIBILITES.contains(&v.as_str().unwrap_or("")), "{texte}");
    }
    let tests = json["tests"].as_array().expect("tests[]");
    assert_eq!(
        tests.len(),
        correcteur::etapes::TP09.len(),
        "un test par étape"
    );
    let mut somme = 0.0;
    for test in tests {
        assert!(test["name"].is_string(), "{test}");
        let score = test["score"].as_f64().expect("score");
        assert!(test["max_score"].as_f64().is_some(), "{test}");
        let statut = test["status"].as_str().unwrap_or("");
        assert!(["passed", "failed"].contains(&statut), "{test}");
        assert_eq!(statut == "passed", score > 0.0, "{test}");
        assert!(test["output"].is_string(), "{test}");
        assert!(
            FORMATS.contains(&test["output_format"].as_str().unwrap_or("")),
            "{test}"
        );
        assert!(
            VISIBILITES.contains(&test["visibility"].as_str().unwrap_or("")),
            "{test}"
        );
        somme += score;
    }
    assert_eq!(Some(somme), json["score"].as_f64(), "{texte}");
}

fn decompresser(archive: &Path, dossier: &Path) {
    let mut zip = zip::ZipArchive::new(fs::File::open(archive).unwrap()).unwrap();
    zip.extract(dossier).unwrap();
}

fn copier(source: &Path, cible: &Path) {
    fs::create_dir_all(cible).unwrap();
    for entree in fs::read_dir(source).unwrap() {
        let chemin = entree.unwrap().path();
        fs::copy(&chemin, cible.join(chemin.file_name().unwrap())).unwrap();
    }
}
