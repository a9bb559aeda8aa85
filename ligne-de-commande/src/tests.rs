//! L'aide et les erreurs d'un outil d'essai : tout en français, les bons
//! codes, aucun mot anglais de `clap`.

use std::ffi::OsString;

use clap::{Parser, Subcommand, ValueEnum};

use crate::{Arret, commande, entier, lire};

/// Outil d'essai.
#[derive(Parser, Debug, PartialEq)]
#[command(name = "essai", bin_name = "cargo essai", version)]
struct Essai {
    #[command(subcommand)]
    commande: Option<Commande>,
}

#[derive(Subcommand, Debug, PartialEq)]
enum Commande {
    /// Sert quelque chose.
    Servir {
        /// port d'écoute
        #[arg(long, default_value_t = 3000, value_parser = entier::<u32>(1, 65_535))]
        port: u32,
        /// protocole
        #[arg(long, value_enum, default_value_t = Mode::Bar)]
        mode: Mode,
    },
    /// Vérifie un dossier.
    #[command(alias = "check")]
    Verifier {
        /// le dossier
        dossier: String,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
enum Mode {
    Bar,
    Echo,
}

fn essai(arguments: &[&str]) -> Result<Essai, Arret> {
    let arguments = std::iter::once("essai")
        .chain(arguments.iter().copied())
        .map(OsString::from);
    lire::<Essai>(arguments)
}

/// Le texte d'une erreur d'utilisation (échoue sinon).
fn erreur(arguments: &[&str]) -> String {
    match essai(arguments) {
        Err(Arret::Usage(texte)) => texte,
        autre => panic!("{arguments:?} : erreur d'utilisation attendue, pas {autre:?}"),
    }
}

/// Le texte affiché sur la sortie standard (échoue sinon).
fn information(arguments: &[&str]) -> String {
    match essai(arguments) {
        // Les espaces insécables de l'aide, lues comme des espaces.
        Err(Arret::Information(texte)) => texte.replace('\u{a0}', " "),
        autre => panic!("{arguments:?} : aide ou version attendue, pas {autre:?}"),
    }
}

/// Les mots de `clap` qui ne doivent jamais paraître.
const ANGLAIS: [&str; 12] = [
    "Usage",
    "Options:",
    "Arguments:",
    "Commands",
    "Print help",
    "Print version",
    "[default",
    "[possible",
    "[alias",
    "error:",
    "For more information",
    "[COMMAND]",
];

fn sans_anglais(texte: &str) {
    for mot in ANGLAIS {
        assert!(!texte.contains(mot), "« {mot} » dans :\n{texte}");
    }
}

#[test]
fn la_commande_est_bien_formee() {
    commande::<Essai>().debug_assert();
}

#[test]
fn l_aide_est_en_francais() {
    let aide = information(&["--help"]);
    sans_anglais(&aide);
    for attendu in [
        "Utilisation : cargo essai [COMMANDE]",
        "Options :",
        "-h, --help",
        "Affiche cette aide",
        "-V, --version",
        "Commandes :",
        "servir",
    ] {
        assert!(
            aide.contains(attendu),
            "« {attendu} » manque dans :\n{aide}"
        );
    }
    let aide = information(&["servir", "-h"]);
    sans_anglais(&aide);
    for attendu in [
        "Utilisation : cargo essai servir [OPTIONS]",
        "port d'écoute [par défaut : 3000]",
        "protocole [valeurs : bar, echo] [par défaut : bar]",
    ] {
        assert!(
            aide.contains(attendu),
            "« {attendu} » manque dans :\n{aide}"
        );
    }
    assert!(!aide.contains("--version"), "{aide}");
    let aide = information(&["verifier", "--help"]);
    assert!(aide.contains("Arguments :\n  <DOSSIER>"), "{aide}");
}

#[test]
fn la_version_donne_le_nom_et_le_numero() {
    assert_eq!(
        information(&["--version"]),
        format!("essai {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(information(&["-V"]), information(&["--version"]));
}

#[test]
fn les_valeurs_sont_lues() {
    assert_eq!(
        essai(&["servir", "--port=8080", "--mode", "echo"]),
        Ok(Essai {
            commande: Some(Commande::Servir {
                port: 8080,
                mode: Mode::Echo
            })
        })
    );
    assert_eq!(
        essai(&["check", "livre"]),
        Ok(Essai {
            commande: Some(Commande::Verifier {
                dossier: "livre".into()
            })
        })
    );
}

#[test]
fn les_erreurs_sont_en_francais_avec_l_utilisation_et_le_renvoi_a_l_aide() {
    for (arguments, attendu) in [
        (
            &["servir", "--prot", "1"][..],
            "option inconnue : --prot (vouliez-vous dire « --port » ?)",
        ),
        (&["servir", "en-trop"][..], "argument inattendu : en-trop"),
        (&["construire"][..], "commande inconnue : construire"),
        (
            &["verifer"][..],
            "commande inconnue : verifer (vouliez-vous dire « servir » ou « verifier » ?)",
        ),
        (
            &["verifier"][..],
            "il manque un argument obligatoire : <DOSSIER>",
        ),
        (
            &["servir", "--port"][..],
            "il manque une valeur après --port <PORT>",
        ),
        (
            &["servir", "--port", "0"][..],
            "valeur invalide pour --port <PORT> : « 0 » (un entier de 1 à 65535 est attendu)",
        ),
        (
            &["servir", "--mode", "http"][..],
            "valeur invalide pour --mode <MODE> : « http » ; valeurs possibles : bar, echo",
        ),
    ] {
        let texte = erreur(arguments);
        sans_anglais(&texte);
        assert!(
            texte.starts_with(&format!("erreur : {attendu}\n")),
            "{arguments:?} :\n{texte}"
        );
        assert!(texte.contains("\nUtilisation : cargo essai"), "{texte}");
        assert!(
            texte.contains("Pour en savoir plus : cargo essai"),
            "{texte}"
        );
    }
    assert!(erreur(&["servir", "--port", "x"]).contains("cargo essai servir --help"));
}

#[test]
fn un_argument_qui_n_est_pas_de_l_utf8_est_refuse() {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        let illisible = OsString::from_vec(b"classe-\xff".to_vec());
        let texte = match lire::<Essai>([OsString::from("essai"), illisible]) {
            Err(Arret::Usage(texte)) => texte,
            autre => panic!("{autre:?}"),
        };
        assert!(texte.starts_with("erreur : argument illisible"), "{texte}");
    }
}

#[test]
fn un_argument_en_trop_n_est_pas_pris_pour_une_commande() {
    // `clap` signale un positionnel en trop, après une commande facultative,
    // comme une « commande » en conflit : c'est un argument inattendu.
    assert!(
        erreur(&["verifier", "a", "b"]).starts_with("erreur : argument inattendu : b\n"),
        "{}",
        erreur(&["verifier", "a", "b"])
    );
}
