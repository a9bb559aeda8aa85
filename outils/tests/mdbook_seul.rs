//! Un simple `mdbook build` (sans `cargo livre`) ne publie aucun corrigé :
//! le `book.toml` déclare le préprocesseur du livre (`livre pretraiter`) de
//! façon que mdBook ne puisse ni le sauter, ni construire sans lui.
//!
//! Les constructions passent par `mdbook-driver`, la bibliothèque dont
//! l'exécutable `mdbook` n'est qu'une façade : mêmes règles de chargement des
//! préprocesseurs, même protocole. Le dernier test (ignoré par `cargo test`,
//! lancé par `.ci/run`) refait la preuve avec le vrai exécutable `mdbook`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use mdbook_driver::MDBook;
use mdbook_driver::config::Config;
use outils::{Edition, verifier_publication};

/// La commande que le `book.toml` doit déclarer.
const COMMANDE_DECLAREE: &str = "cargo run -p outils --bin livre -- pretraiter";

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// La table `[preprocessor.livre]` du vrai `book.toml`.
fn table_du_pretraitement() -> toml::Table {
    let texte = fs::read_to_string(racine().join("book.toml")).unwrap();
    let livre: toml::Table = texte.parse().unwrap();
    livre["preprocessor"]["livre"].as_table().unwrap().clone()
}

/// Le vrai `book.toml`, avec une autre commande pour le préprocesseur (et
/// l'exécutable déjà compilé pour la typographie).
fn config_avec_commande(commande: &str) -> Config {
    let mut config = Config::from_disk(racine().join("book.toml")).unwrap();
    config.set("preprocessor.livre.command", commande).unwrap();
    config
        .set("preprocessor.typographie.command", commande_typographie())
        .unwrap();
    config
}

/// La commande de typographie, sur l'exécutable déjà compilé.
fn commande_typographie() -> String {
    format!("'{}' typographier", env!("CARGO_BIN_EXE_livre"))
}

/// La commande qui lance l'exécutable `livre` déjà compilé (ce que
/// `cargo run` lancerait après compilation).
fn commande_du_binaire() -> String {
    format!("'{}' pretraiter", env!("CARGO_BIN_EXE_livre"))
}

/// Construit le livre comme le ferait `mdbook build` avec `config`.
fn construire_comme_mdbook(config: Config, sortie: &Path) -> anyhow::Result<()> {
    let mut config = config;
    config.build.build_dir = sortie.to_path_buf();
    MDBook::load_with_config(racine(), config)?.build()
}

#[test]
fn le_book_toml_declare_le_pretraitement_sans_echappatoire() {
    let table = table_du_pretraitement();
    assert_eq!(
        table["command"].as_str(),
        Some(COMMANDE_DECLAREE),
        "la commande doit lancer l'outil du livre des sources (cargo run), pas un exécutable installé à part"
    );
    assert_ne!(
        table.get("optional").and_then(toml::Value::as_bool),
        Some(true),
        "optional = true laisserait mdBook construire sans le préprocesseur"
    );
    let avant: Vec<&str> = table["before"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(toml::Value::as_str)
        .collect();
    assert!(
        avant.contains(&"links"),
        "le retrait doit précéder le développement des inclusions : {avant:?}"
    );
    // Chaque moteur de rendu du livre est nommé : sinon mdBook pose la
    // question `supports` et saute le préprocesseur si elle échoue (voir
    // mdbook_saute_en_silence_un_pretraitement_sans_renderers).
    let moteurs: Vec<&str> = table["renderers"]
        .as_array()
        .expect("renderers doit être déclaré")
        .iter()
        .filter_map(toml::Value::as_str)
        .collect();
    let texte = fs::read_to_string(racine().join("book.toml")).unwrap();
    let livre: toml::Table = texte.parse().unwrap();
    let sorties = livre["output"].as_table().unwrap();
    assert!(!sorties.is_empty());
    for sortie in sorties.keys() {
        assert!(
            moteurs.contains(&sortie.as_str()),
            "le moteur de rendu {sortie} n'est pas dans renderers = {moteurs:?} : il publierait les corrigés"
        );
    }
}

#[test]
fn le_book_toml_declare_la_typographie_apres_les_inclusions() {
    let texte = fs::read_to_string(racine().join("book.toml")).unwrap();
    let livre: toml::Table = texte.parse().unwrap();
    let table = livre["preprocessor"]["typographie"].as_table().unwrap();
    assert_eq!(
        table["command"].as_str(),
        Some("cargo run -p outils --bin livre -- typographier")
    );
    let apres: Vec<&str> = table["after"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(toml::Value::as_str)
        .collect();
    assert!(apres.contains(&"links"), "{apres:?}");
}

#[test]
fn mdbook_seul_lance_le_pretraitement_et_ne_publie_aucun_corrige() {
    let dossier = tempfile::tempdir().unwrap();
    let sortie = dossier.path().join("html");
    construire_comme_mdbook(config_avec_commande(&commande_du_binaire()), &sortie)
        .unwrap_or_else(|e| panic!("mdBook ne construit pas le livre : {e:#}"));
    let rapport = verifier_publication(&racine(), &sortie, Edition::Etudiant).unwrap();
    assert!(
        rapport.signatures > 100,
        "{} signatures",
        rapport.signatures
    );
    assert!(
        rapport.fichiers > 20 && sortie.join("print.html").is_file(),
        "{} fichiers",
        rapport.fichiers
    );
    assert!(
        fs::read_dir(&sortie).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("searchindex")),
        "pas d'index de recherche"
    );
    let fuites: Vec<String> = rapport.fuites.iter().map(ToString::to_string).collect();
    assert!(fuites.is_empty(), "{}", fuites.join("\n"));
    // La typographie aussi vient de l'outil, pour mdBook seul.
    let fautes = outils::verifier_typographie(&sortie).unwrap();
    assert!(fautes.is_empty(), "{}", fautes[0]);
}

#[test]
fn une_commande_introuvable_arrete_la_construction() {
    let dossier = tempfile::tempdir().unwrap();
    let sortie = dossier.path().join("html");
    let erreur = construire_comme_mdbook(
        config_avec_commande("livre-introuvable-nulle-part pretraiter"),
        &sortie,
    )
    .expect_err("mdBook a construit le livre sans son préprocesseur");
    assert!(format!("{erreur:#}").contains("livre"), "{erreur:#}");
    assert!(!sortie.join("tp09-client-serveur-tcp.html").exists());
}

#[test]
fn une_commande_qui_echoue_arrete_la_construction() {
    let dossier = tempfile::tempdir().unwrap();
    let sortie = dossier.path().join("html");
    // `false` : ce que fait `cargo run` quand l'outil ne compile pas.
    construire_comme_mdbook(config_avec_commande("false"), &sortie)
        .expect_err("mdBook a construit le livre malgré l'échec du préprocesseur");
    assert!(!sortie.join("tp09-client-serveur-tcp.html").exists());
}

/// Pourquoi `renderers` : sans lui, mdBook demande `COMMANDE supports html`
/// et prend un échec pour un « non ». Si ce test échoue un jour, mdBook a
/// changé de comportement ; `renderers` reste sans danger.
#[test]
fn mdbook_saute_en_silence_un_pretraitement_sans_renderers() {
    let mut brut = fs::read_to_string(racine().join("book.toml"))
        .unwrap()
        .parse::<toml::Table>()
        .unwrap();
    brut["preprocessor"]["livre"]
        .as_table_mut()
        .unwrap()
        .remove("renderers");
    brut["preprocessor"]["livre"]["command"] = toml::Value::String("false".into());
    brut["preprocessor"]["typographie"]["command"] = toml::Value::String(commande_typographie());
    let config: Config = toml::to_string(&brut).unwrap().parse().unwrap();
    let dossier = tempfile::tempdir().unwrap();
    let sortie = dossier.path().join("html");
    construire_comme_mdbook(config, &sortie)
        .expect("sans renderers, mdBook construit malgré l'échec (et c'est le danger)");
    let rapport = verifier_publication(&racine(), &sortie, Edition::Etudiant).unwrap();
    assert!(
        !rapport.fuites.is_empty(),
        "le préprocesseur sauté aurait dû laisser passer les blocs réservés"
    );
}

/// Le vrai exécutable `mdbook` (variable `MDBOOK`, sinon celui du PATH) :
/// `.ci/run` l'installe. La commande déclarée est remplacée par l'exécutable
/// déjà compilé (`MDBOOK_PREPROCESSOR__LIVRE__COMMAND`) : un `cargo run`
/// lancé depuis `cargo test` attendrait le verrou du dossier target/.
#[test]
#[ignore = "il faut l'exécutable mdbook (0.5) : .ci/run l'installe"]
fn le_vrai_mdbook_ne_publie_aucun_corrige() {
    let mdbook = std::env::var("MDBOOK").unwrap_or_else(|_| "mdbook".to_string());
    let dossier = tempfile::tempdir().unwrap();
    let lancer = |commande: &str, sortie: &Path| {
        Command::new(&mdbook)
            .args(["build", "--dest-dir"])
            .arg(sortie)
            .current_dir(racine())
            .env("MDBOOK_PREPROCESSOR__LIVRE__COMMAND", commande)
            .env(
                "MDBOOK_PREPROCESSOR__TYPOGRAPHIE__COMMAND",
                commande_typographie(),
            )
            .output()
            .unwrap_or_else(|e| panic!("impossible de lancer {mdbook} : {e}"))
    };
    let bonne = dossier.path().join("bonne");
    let sortie = lancer(&commande_du_binaire(), &bonne);
    assert!(
        sortie.status.success(),
        "{}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    let rapport = verifier_publication(&racine(), &bonne, Edition::Etudiant).unwrap();
    let fuites: Vec<String> = rapport.fuites.iter().map(ToString::to_string).collect();
    assert!(
        rapport.fichiers > 20 && fuites.is_empty(),
        "{}",
        fuites.join("\n")
    );

    let ratee = dossier.path().join("ratee");
    let sortie = lancer("/bin/false", &ratee);
    assert!(!sortie.status.success(), "mdbook a ignoré l'échec");
    assert!(!ratee.join("tp09-client-serveur-tcp.html").exists());
}
