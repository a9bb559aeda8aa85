//! La ligne de commande des outils du paquet (`livre`, `corriger`,
//! `progression`, `suivre`, `fil`) : aide en français sur la sortie standard
//! (code 0), `--version`, erreurs d'utilisation en français sur la sortie
//! d'erreur (code 64, EX_USAGE), jamais de panique. Ces tests lancent les
//! exécutables déjà construits par cargo, sans rien reconstruire.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
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

/// Les outils du paquet : l'exécutable et son nom dans `cargo NOM`.
const OUTILS: [(&str, &str); 5] = [
    (env!("CARGO_BIN_EXE_livre"), "livre"),
    (env!("CARGO_BIN_EXE_corriger"), "corriger"),
    (env!("CARGO_BIN_EXE_progression"), "progression"),
    (env!("CARGO_BIN_EXE_suivre"), "suivre"),
    (env!("CARGO_BIN_EXE_fil"), "fil"),
];

fn lancer(binaire: &str, arguments: &[&OsStr]) -> Output {
    Command::new(binaire)
        .args(arguments)
        .stdin(Stdio::null())
        // La largeur de l'aide ne dépend pas du terminal de qui lance le test.
        .env_remove("COLUMNS")
        .output()
        .expect("lancement")
}

fn texte(octets: &[u8]) -> String {
    String::from_utf8_lossy(octets).into_owned()
}

fn sans_anglais(texte: &str) {
    for mot in ANGLAIS {
        assert!(!texte.contains(mot), "« {mot} » dans :\n{texte}");
    }
    assert!(!texte.contains("panicked"), "{texte}");
}

/// Une erreur d'utilisation : code 64, rien sur la sortie standard, le
/// message en français puis l'utilisation et le renvoi à l'aide.
fn refuse(binaire: &str, nom: &str, arguments: &[&str], debut: &str) {
    let arguments: Vec<&OsStr> = arguments.iter().map(OsStr::new).collect();
    let sortie = lancer(binaire, &arguments);
    let erreurs = texte(&sortie.stderr);
    assert_eq!(
        sortie.status.code(),
        Some(64),
        "{nom} {arguments:?} : {erreurs}"
    );
    assert!(sortie.stdout.is_empty(), "{nom} {arguments:?}");
    assert!(
        erreurs.starts_with(&format!("erreur : {debut}")),
        "{nom} {arguments:?} : « erreur : {debut} » attendu, reçu :\n{erreurs}"
    );
    assert!(
        erreurs.contains(&format!("\nUtilisation : cargo {nom}"))
            && erreurs.contains(&format!("Pour en savoir plus : cargo {nom}")),
        "{nom} {arguments:?} :\n{erreurs}"
    );
    sans_anglais(&erreurs);
}

#[test]
fn l_aide_est_en_francais_sur_la_sortie_standard() {
    for (binaire, nom) in OUTILS {
        for drapeau in ["--help", "-h"] {
            let sortie = lancer(binaire, &[OsStr::new(drapeau)]);
            let aide = texte(&sortie.stdout);
            assert_eq!(sortie.status.code(), Some(0), "{nom} {drapeau} : {aide}");
            assert!(sortie.stderr.is_empty(), "{nom} {drapeau}");
            sans_anglais(&aide);
            for attendu in [
                format!("Utilisation : cargo {nom}"),
                "Options :".to_string(),
                "-h, --help".to_string(),
                "Affiche cette aide".to_string(),
                "-V, --version".to_string(),
            ] {
                assert!(
                    aide.contains(&attendu),
                    "{nom} {drapeau} : « {attendu} » manque :\n{aide}"
                );
            }
        }
    }
}

#[test]
fn l_aide_de_chaque_commande_de_livre_est_en_francais() {
    let livre = env!("CARGO_BIN_EXE_livre");
    let aide = texte(&lancer(livre, &[OsStr::new("--help")]).stdout);
    assert!(aide.contains("Commandes :"), "{aide}");
    for commande in [
        "servir",
        "construire",
        "tester",
        "pdf",
        "verifier",
        "exporter",
        "pretraiter",
        "typographier",
    ] {
        assert!(
            aide.contains(&format!("  {commande}  ")),
            "{commande} :\n{aide}"
        );
        let sortie = lancer(livre, &[OsStr::new(commande), OsStr::new("--help")]);
        let aide = texte(&sortie.stdout);
        assert_eq!(sortie.status.code(), Some(0), "{commande} : {aide}");
        sans_anglais(&aide);
        assert!(
            aide.contains(&format!("Utilisation : cargo livre {commande}")),
            "{commande} :\n{aide}"
        );
    }
}

#[test]
fn la_version_donne_le_nom_de_l_outil_et_celle_du_paquet() {
    for (binaire, nom) in OUTILS {
        for drapeau in ["--version", "-V"] {
            let sortie = lancer(binaire, &[OsStr::new(drapeau)]);
            assert_eq!(sortie.status.code(), Some(0), "{nom} {drapeau}");
            assert_eq!(
                texte(&sortie.stdout),
                format!("{nom} {}\n", env!("CARGO_PKG_VERSION")),
                "{nom} {drapeau}"
            );
        }
    }
}

#[test]
fn une_option_inconnue_donne_64_et_un_message_en_francais() {
    for (binaire, nom) in OUTILS {
        refuse(
            binaire,
            nom,
            &["--inconnue"],
            "option inconnue : --inconnue",
        );
    }
    let livre = env!("CARGO_BIN_EXE_livre");
    refuse(
        livre,
        "livre",
        &["--prot", "3001"],
        "option inconnue : --prot (vouliez-vous dire « --port » ?)",
    );
    refuse(
        livre,
        "livre servir",
        &["servir", "--dest", "x"],
        "option inconnue : --dest",
    );
    refuse(
        livre,
        "livre construire",
        &["construire", "--port", "3001"],
        "option inconnue : --port",
    );
    refuse(
        livre,
        "livre exporter",
        &["exporter", "x", "--enseignant"],
        "option inconnue : --enseignant",
    );
}

#[test]
fn un_argument_obligatoire_absent_donne_64() {
    let livre = env!("CARGO_BIN_EXE_livre");
    refuse(
        livre,
        "livre verifier",
        &["verifier"],
        "il manque un argument obligatoire : <DOSSIER>",
    );
    refuse(
        livre,
        "livre exporter",
        &["exporter", "--corriges"],
        "il manque un argument obligatoire : <DOSSIER>",
    );
    refuse(
        livre,
        "livre pretraiter supports",
        &["pretraiter", "supports"],
        "il manque un argument obligatoire : <MOTEUR>",
    );
    refuse(
        livre,
        "livre",
        &["--port"],
        "il manque une valeur après --port <PORT>",
    );
    let corriger = env!("CARGO_BIN_EXE_corriger");
    refuse(
        corriger,
        "corriger",
        &[],
        "il manque un argument obligatoire : <SOUMISSIONS>",
    );
    refuse(
        corriger,
        "corriger gradescope",
        &["gradescope"],
        "il manque un argument obligatoire : <DOSSIER>",
    );
    refuse(
        corriger,
        "corriger",
        &["classe", "--tp"],
        "il manque une valeur après --tp <TPNN>",
    );
}

#[test]
fn un_argument_en_trop_ou_une_valeur_invalide_donne_64() {
    let livre = env!("CARGO_BIN_EXE_livre");
    refuse(livre, "livre", &["bidule"], "commande inconnue : bidule");
    refuse(
        livre,
        "livre pretraiter",
        &["pretraiter", "en-trop"],
        "commande inconnue : en-trop",
    );
    refuse(
        livre,
        "livre",
        &["--port", "70000"],
        "valeur invalide pour --port <PORT> : « 70000 » (un entier de 0 à 65535",
    );
    refuse(
        livre,
        "livre",
        &["--hote", "zz"],
        "valeur invalide pour --hote <ADRESSE> : « zz »",
    );
    refuse(
        livre,
        "livre construire",
        &["construire", "--edition", "prof"],
        "valeur invalide pour --edition <NOM> : « prof » ; valeurs possibles : etudiante, corriges, enseignant",
    );
    refuse(
        livre,
        "livre verifier",
        &["verifier", "a", "b"],
        "argument inattendu : b",
    );
    refuse(
        livre,
        "livre verifier",
        &["--enseignant", "verifier", "x"],
        "la commande verifier ne va pas avec --enseignant donné avant elle",
    );
    let corriger = env!("CARGO_BIN_EXE_corriger");
    refuse(corriger, "corriger", &["a", "b"], "argument inattendu : b");
    refuse(
        corriger,
        "corriger",
        &["a", "--tp", "9"],
        "valeur invalide pour --tp <TPNN> : « 9 »",
    );
    refuse(
        corriger,
        "corriger",
        &["a", "--delai-etape", "0"],
        "valeur invalide pour --delai-etape <S> : « 0 »",
    );
    refuse(
        env!("CARGO_BIN_EXE_progression"),
        "progression",
        &["tp09"],
        "argument inattendu : tp09",
    );
    refuse(
        env!("CARGO_BIN_EXE_suivre"),
        "suivre",
        &["tp09", "tp10"],
        "argument inattendu : tp10",
    );
    refuse(
        env!("CARGO_BIN_EXE_fil"),
        "fil",
        &["a", "b"],
        "argument inattendu : b",
    );
}

/// Un TP que le cours n'a pas : erreur d'utilisation (64), repérée avant
/// toute compilation, avec la liste des TP du cours.
#[test]
fn suivre_un_tp_inconnu_donne_64() {
    refuse(
        env!("CARGO_BIN_EXE_suivre"),
        "suivre",
        &["tp99", "--une-fois"],
        "TP inconnu : tp99 (TP du cours : tp08, tp09",
    );
}

/// `livre pretraiter supports MOTEUR` : la question que mdBook pose à son
/// préprocesseur ; la réponse « oui » est le code 0, sans rien écrire.
#[test]
fn livre_repond_a_mdbook_pour_chaque_moteur() {
    for moteur in ["html", "markdown"] {
        for commande in ["pretraiter", "typographier"] {
            let arguments = [commande, "supports", moteur].map(OsStr::new);
            let sortie = lancer(env!("CARGO_BIN_EXE_livre"), &arguments);
            assert_eq!(
                sortie.status.code(),
                Some(0),
                "{commande} supports {moteur}"
            );
            assert!(sortie.stdout.is_empty() && sortie.stderr.is_empty());
        }
    }
}

#[test]
fn un_argument_qui_n_est_pas_de_l_utf8_donne_64() {
    let illisible = OsStr::from_bytes(b"classe-\xff\xfe");
    for (binaire, nom) in OUTILS {
        let sortie = lancer(binaire, &[illisible]);
        let erreurs = texte(&sortie.stderr);
        assert_eq!(sortie.status.code(), Some(64), "{nom} : {erreurs}");
        assert!(
            erreurs.starts_with("erreur : argument illisible")
                && erreurs.contains("Utilisation : "),
            "{nom} : {erreurs}"
        );
        assert!(!erreurs.contains("panicked"), "{nom} : {erreurs}");
    }
}

/// `cargo livre --help | head -1` : la sortie standard se ferme avant la
/// fin de l'aide. Pas de panique, code 0.
#[test]
fn l_aide_vers_une_sortie_fermee_ne_panique_pas() {
    let (lecture, ecriture) = std::io::pipe().expect("tube");
    drop(lecture);
    let sortie = Command::new(env!("CARGO_BIN_EXE_livre"))
        .arg("--help")
        .stdin(Stdio::null())
        .stdout(ecriture)
        .stderr(Stdio::piped())
        .output()
        .expect("lancement");
    let erreurs = texte(&sortie.stderr);
    assert_eq!(sortie.status.code(), Some(0), "{erreurs}");
    assert!(!erreurs.contains("panicked"), "{erreurs}");
}

/// `cargo progression` dans un espace de travail sans TP, sa sortie
/// standard branchée sur `sortie`.
fn progression_vers(sortie: Stdio) -> Output {
    let espace = tempfile::tempdir().expect("dossier temporaire");
    std::fs::write(
        espace.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\n",
    )
    .expect("Cargo.toml");
    std::fs::create_dir(espace.path().join("exercises")).expect("exercises/");
    Command::new(env!("CARGO_BIN_EXE_progression"))
        .current_dir(espace.path())
        .stdin(Stdio::null())
        .stdout(sortie)
        .stderr(Stdio::piped())
        .output()
        .expect("lancement")
}

/// `cargo progression | head -0` : le lecteur est parti avant le tableau.
/// Pas de panique, rien sur la sortie d'erreur, code 0 (comme SIGPIPE).
#[test]
fn un_tableau_vers_un_lecteur_parti_ne_panique_pas() {
    let (lecture, ecriture) = std::io::pipe().expect("tube");
    drop(lecture);
    let sortie = progression_vers(ecriture.into());
    let erreurs = texte(&sortie.stderr);
    assert_eq!(sortie.status.code(), Some(0), "{erreurs}");
    assert!(!erreurs.contains("panicked"), "{erreurs}");
    assert!(!erreurs.contains("erreur"), "{erreurs}");
}

/// `cargo progression > fichier` sur un disque plein (/dev/full, propre à
/// Linux) : l'erreur est dite en français, code 1, sans panique.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "/dev/full (un disque toujours plein) n'existe que sous Linux"
)]
fn un_tableau_vers_un_disque_plein_est_une_erreur_dite() {
    let plein = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let sortie = progression_vers(plein.into());
    let erreurs = texte(&sortie.stderr);
    assert_eq!(sortie.status.code(), Some(1), "{erreurs}");
    assert!(!erreurs.contains("panicked"), "{erreurs}");
    assert!(
        erreurs.contains("erreur : écriture sur la sortie standard impossible"),
        "{erreurs}"
    );
}
