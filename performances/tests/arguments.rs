//! La ligne de commande de `charge`, `banc` et `plancher-echo` : aide en
//! français sur la sortie standard (code 0), `--version`, erreurs
//! d'utilisation en français sur la sortie d'erreur (code 64), jamais de
//! panique ; et l'aide que montre le chapitre « Performances mesurées » est
//! bien celle de l'outil. Ces tests lancent les exécutables déjà construits,
//! sans serveur ni mesure.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Les mots de `clap` (en anglais) qui ne doivent jamais paraître.
const ANGLAIS: [&str; 9] = [
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Print help",
    "Print version",
    "[default:",
    "error:",
    "For more information",
];

/// Les outils du paquet : l'exécutable, son nom, et comment on le lance.
const OUTILS: [(&str, &str, &str); 3] = [
    (env!("CARGO_BIN_EXE_charge"), "charge", "cargo charge"),
    (env!("CARGO_BIN_EXE_banc"), "banc", "cargo banc"),
    (
        env!("CARGO_BIN_EXE_plancher-echo"),
        "plancher-echo",
        "plancher-echo",
    ),
];

fn lancer(binaire: &str, arguments: &[&str]) -> Output {
    Command::new(binaire)
        .args(arguments)
        .stdin(Stdio::null())
        // La largeur de l'aide ne dépend pas du terminal de qui lance le test.
        .env_remove("COLUMNS")
        .output()
        .expect("lancement")
}

fn sans_anglais(texte: &str) {
    for mot in ANGLAIS {
        assert!(!texte.contains(mot), "« {mot} » dans :\n{texte}");
    }
    assert!(!texte.contains("panicked"), "{texte}");
}

/// Une erreur d'utilisation : code 64, rien sur la sortie standard, le
/// message en français, l'utilisation et le renvoi à l'aide. Aucune mesure
/// n'est lancée : l'analyse échoue avant.
fn refuse(binaire: &str, commande: &str, arguments: &[&str], debut: &str) {
    let sortie = lancer(binaire, arguments);
    let erreurs = String::from_utf8_lossy(&sortie.stderr);
    assert_eq!(
        sortie.status.code(),
        Some(64),
        "{commande} {arguments:?} : {erreurs}"
    );
    assert!(sortie.stdout.is_empty(), "{commande} {arguments:?}");
    assert!(
        erreurs.starts_with(&format!("erreur : {debut}")),
        "{commande} {arguments:?} : « erreur : {debut} » attendu, reçu :\n{erreurs}"
    );
    assert!(
        erreurs.contains(&format!("\nUtilisation : {commande}"))
            && erreurs.contains(&format!("Pour en savoir plus : {commande} --help")),
        "{commande} {arguments:?} :\n{erreurs}"
    );
    sans_anglais(&erreurs);
}

#[test]
fn l_aide_est_en_francais_sur_la_sortie_standard() {
    for (binaire, _, commande) in OUTILS {
        for drapeau in ["--help", "-h"] {
            let sortie = lancer(binaire, &[drapeau]);
            let aide = String::from_utf8_lossy(&sortie.stdout);
            assert_eq!(sortie.status.code(), Some(0), "{commande} {drapeau}");
            assert!(sortie.stderr.is_empty(), "{commande} {drapeau}");
            sans_anglais(&aide);
            for attendu in [
                &format!("Utilisation : {commande}"),
                "Options :",
                "-h, --help",
                "Affiche cette aide",
                "-V, --version",
            ] {
                assert!(
                    aide.contains(attendu),
                    "{commande} {drapeau} : « {attendu} » manque :\n{aide}"
                );
            }
        }
    }
}

#[test]
fn la_version_donne_le_nom_de_l_outil_et_celle_du_paquet() {
    for (binaire, nom, _) in OUTILS {
        for drapeau in ["--version", "-V"] {
            let sortie = lancer(binaire, &[drapeau]);
            assert_eq!(sortie.status.code(), Some(0), "{nom} {drapeau}");
            assert_eq!(
                String::from_utf8_lossy(&sortie.stdout),
                format!("{nom} {}\n", env!("CARGO_PKG_VERSION"))
            );
        }
    }
}

#[test]
fn une_option_inconnue_donne_64_et_un_message_en_francais() {
    for (binaire, _, commande) in OUTILS {
        refuse(
            binaire,
            commande,
            &["--inconnue", "1664"],
            "option inconnue : --inconnue",
        );
    }
    refuse(
        env!("CARGO_BIN_EXE_charge"),
        "cargo charge",
        &["--client", "3", "1664"],
        "option inconnue : --client (vouliez-vous dire « --clients » ?)",
    );
}

#[test]
fn un_argument_obligatoire_absent_donne_64() {
    let charge = env!("CARGO_BIN_EXE_charge");
    refuse(
        charge,
        "cargo charge",
        &[],
        "il manque un argument obligatoire : <ADRESSE>",
    );
    refuse(
        charge,
        "cargo charge",
        &["1664", "-n"],
        "il manque une valeur après --commandes <M>",
    );
    refuse(
        env!("CARGO_BIN_EXE_plancher-echo"),
        "plancher-echo",
        &[],
        "il manque un argument obligatoire : <PORT>",
    );
    refuse(
        env!("CARGO_BIN_EXE_banc"),
        "cargo banc",
        &["--niveaux"],
        "il manque une valeur après --niveaux <LISTE>",
    );
}

#[test]
fn une_valeur_invalide_donne_64_et_dit_ce_qui_est_attendu() {
    let charge = env!("CARGO_BIN_EXE_charge");
    refuse(
        charge,
        "cargo charge",
        &["--fils", "65", "1664"],
        "valeur invalide pour --fils <T> : « 65 » (un entier de 1 à 64 est attendu)",
    );
    refuse(
        charge,
        "cargo charge",
        &["--format", "xml", "1664"],
        "valeur invalide pour --format <FORMAT> : « xml » ; valeurs possibles : texte, json, csv",
    );
    let banc = env!("CARGO_BIN_EXE_banc");
    refuse(
        banc,
        "cargo banc",
        &["--niveaux", "1,0"],
        "valeur invalide pour --niveaux <LISTE> : « 0 » (un entier de 1 à 20000 est attendu)",
    );
    refuse(
        banc,
        "cargo banc",
        &["--serveurs", "tp12,apache"],
        "valeur invalide pour --serveurs <LISTE> : « apache » ; valeurs possibles : echo,",
    );
    refuse(banc, "cargo banc", &["tp12"], "argument inattendu : tp12");
    refuse(
        env!("CARGO_BIN_EXE_plancher-echo"),
        "plancher-echo",
        &["65536"],
        "valeur invalide pour <PORT> : « 65536 » (un entier de 0 à 65535 est attendu)",
    );
}

/// Le chapitre « Performances mesurées » montre `cargo charge --help` : ce
/// doit être, ligne pour ligne, ce qu'affiche l'outil (ses espaces
/// insécables y sont des espaces : le livre n'en veut pas dans le code).
#[test]
fn le_chapitre_montre_la_vraie_aide_de_charge() {
    let chapitre = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src/performances.md");
    let texte = fs::read_to_string(&chapitre).expect("src/performances.md");
    let apres = texte
        .split_once("$ cargo charge --help\n```\n\n```text\n")
        .expect("le chapitre montre `cargo charge --help` suivi d'un bloc text")
        .1;
    let montree = apres.split_once("\n```").expect("bloc text fermé").0;
    let sortie = lancer(env!("CARGO_BIN_EXE_charge"), &["--help"]);
    let aide = String::from_utf8_lossy(&sortie.stdout).replace('\u{a0}', " ");
    assert_eq!(
        montree.trim_end(),
        aide.trim_end(),
        "src/performances.md ne montre plus l'aide de cargo charge : recopiez-la"
    );
}
