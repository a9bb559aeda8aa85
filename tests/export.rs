//! L'export étudiant (`cargo livre exporter DOSSIER`) produit un espace de
//! travail autonome : on l'écrit dans un dossier temporaire, on vérifie qu'il
//! ne contient rien de réservé à l'enseignant, que son livre se construit
//! et que `cargo test -p tp09` y corrige le squelette (échec dès l'étape 1).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use outils::{DEBUT_ENSEIGNANT, construire, exporter, verifier_liens};

fn racine() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn l_export_ne_contient_rien_de_reserve_et_son_livre_se_construit() {
    let dossier = tempfile::tempdir().unwrap();
    let export = dossier.path().join("etudiants");
    let bilan = exporter(racine(), &export).unwrap_or_else(|e| panic!("export raté : {e:#}"));
    assert!(bilan.tps.contains(&"tp09".to_string()), "{bilan:?}");

    for reserve in ["solutions", "catalogue", "tests", "livre", "target"] {
        assert!(!export.join(reserve).exists(), "{reserve}/ a été exporté");
    }
    for present in [
        "exercises/tp09/src/main.rs",
        "correcteur/Cargo.toml",
        "outils/Cargo.toml",
        "book.toml",
        ".cargo/config.toml",
        "README.md",
        "Cargo.lock",
        ".github/workflows/classroom.yml",
    ] {
        assert!(
            export.join(present).is_file(),
            "{present} manque à l'export"
        );
    }
    // Les chapitres (l'outil du livre, lui, cite les marques dans son code).
    let chapitres = tous_les_fichiers(&export.join("src"));
    assert!(
        chapitres
            .iter()
            .any(|f| f.ends_with("tp09-client-serveur-tcp.md"))
    );
    for fichier in chapitres {
        let texte = fs::read_to_string(&fichier).unwrap_or_default();
        assert!(
            !texte.contains(DEBUT_ENSEIGNANT),
            "{} garde un bloc enseignant",
            fichier.display()
        );
        assert!(
            !texte.contains("../solutions/"),
            "{} cite un corrigé",
            fichier.display()
        );
    }
    let manifeste = fs::read_to_string(export.join("Cargo.toml")).unwrap();
    for absent in [
        "solutions/",
        "\"catalogue\"",
        "[package]",
        "dev-dependencies",
    ] {
        assert!(
            !manifeste.contains(absent),
            "Cargo.toml exporté contient {absent} :\n{manifeste}"
        );
    }

    // Le verrou de l'export ne nomme aucun paquet de l'enseignant, et il est
    // déjà d'accord avec l'espace de travail exporté (--locked passe).
    let verrou = fs::read_to_string(export.join("Cargo.lock")).unwrap();
    for reserve in [
        "\"tp09-corrige\"",
        "\"catalogue\"",
        "\"programmation-reseau\"",
    ] {
        assert!(
            !verrou.contains(reserve),
            "Cargo.lock exporté nomme {reserve}"
        );
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let verifie = Command::new(&cargo)
        .current_dir(&export)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .output()
        .unwrap();
    assert!(
        verifie.status.success(),
        "--locked échoue dans l'export :\n{}",
        String::from_utf8_lossy(&verifie.stderr)
    );

    // Le livre des étudiants se construit depuis l'export, liens valides.
    let html = dossier.path().join("html");
    let sortie = construire(&export, Some(&html)).unwrap_or_else(|e| panic!("{e:#}"));
    let rapport = verifier_liens(&sortie).unwrap();
    assert!(rapport.casses.is_empty(), "{rapport:?}");

    // Exporter deux fois au même endroit est refusé : rien n'est écrasé.
    assert!(exporter(racine(), &export).is_err());
}

#[test]
fn dans_l_export_cargo_test_corrige_le_squelette() {
    let dossier = tempfile::tempdir().unwrap();
    let export = dossier.path().join("etudiants");
    exporter(racine(), &export).unwrap_or_else(|e| panic!("export raté : {e:#}"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let verrou_avant = fs::read(export.join("Cargo.lock")).unwrap();
    let sortie = Command::new(cargo)
        .current_dir(&export)
        .args(["test", "-p", "tp09", "--target-dir"])
        .arg(cible_partagee())
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap();
    let texte = format!(
        "{}{}",
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    );
    assert!(!sortie.status.success(), "le squelette passe ?\n{texte}");
    for attendu in [
        "TP09 · serveur · étape 1",
        "not yet implemented: Étape 1",
        "serveur_1_ecoute ... FAILED",
    ] {
        assert!(texte.contains(attendu), "« {attendu} » absent :\n{texte}");
    }
    assert!(
        !texte.contains("error[E"),
        "l'export ne compile pas :\n{texte}"
    );
    // Le dépôt des étudiants reste propre : la compilation n'a pas touché
    // au verrou.
    assert_eq!(
        fs::read(export.join("Cargo.lock")).unwrap(),
        verrou_avant,
        "cargo test a modifié le Cargo.lock de l'export"
    );
}

/// Un dossier cible à part, mais durable, à côté de celui de ces tests : les
/// dépendances n'y sont compilées qu'une fois, et les binaires de l'export
/// n'écrasent pas ceux de l'espace de travail (même noms : `tp09`…).
fn cible_partagee() -> PathBuf {
    let executable = std::env::current_exe().unwrap();
    let cible = executable.ancestors().nth(3).unwrap();
    cible.join("export-etudiant")
}

fn tous_les_fichiers(dossier: &Path) -> Vec<PathBuf> {
    let mut fichiers = Vec::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(courant) = a_voir.pop() {
        for entree in fs::read_dir(&courant).unwrap() {
            let chemin = entree.unwrap().path();
            if chemin.is_dir() {
                a_voir.push(chemin);
            } else {
                fichiers.push(chemin);
            }
        }
    }
    fichiers
}

/// L'export porte un workflow GitHub Classroom : un test par étape de chaque
/// TP, tiré de `correcteur::etapes` ; l'exemple `classroom/autograding.yml`
/// du dépôt est ce même fichier.
#[test]
fn le_workflow_classroom_a_un_test_par_etape_de_chaque_tp() {
    let tps: Vec<String> = outils::tps::decouvrir(racine(), false)
        .unwrap()
        .into_iter()
        .map(|tp| tp.nom)
        .collect();
    let workflow = outils::workflow_classroom(&tps);
    let mut attendues = 0;
    for tp in &tps {
        let etapes = correcteur::etapes::du_tp(tp).unwrap_or_default();
        for (etape, _) in etapes {
            assert!(
                workflow.contains(&format!(
                    "      - id: {tp}_{etape}\n        uses: classroom-resources/autograding-command-grader@v1\n"
                )) && workflow.contains(&format!(
                    "command: cargo test -q -p {tp} --test correcteur -- --exact {etape}\n"
                )),
                "{tp} · {etape} manque au workflow"
            );
        }
        attendues += etapes.len();
    }
    assert!(attendues > 60, "{attendues} étapes seulement");
    assert_eq!(workflow.matches("      - id: ").count(), attendues);
    assert_eq!(workflow.matches("max-score: 1\n").count(), attendues);
    assert!(workflow.contains("uses: actions/cache@v4"), "pas de cache");
    // `RECOPIER_CLASSROOM=1 cargo test --test export` réécrit l'exemple
    // (après un changement des listes d'étapes).
    let chemin = racine().join("classroom/autograding.yml");
    if std::env::var_os("RECOPIER_CLASSROOM").is_some() {
        fs::write(&chemin, &workflow).unwrap();
    }
    let exemple = fs::read_to_string(&chemin).unwrap();
    assert!(
        exemple == workflow,
        "classroom/autograding.yml a dérivé des listes d'étapes : relancez ce test avec \
         RECOPIER_CLASSROOM=1 pour le réécrire"
    );
}
