//! L'outil de charge contre de vrais serveurs (le bar asyncio, le
//! plancher d'écho), contre de faux serveurs qui répondent mal (il doit les
//! démasquer), et face à de mauvais arguments.

mod commun;

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::thread;

use commun::{bilan_json, charge, lancer_python, lancer_sur, port_libre};

#[test]
fn compte_toutes_les_reponses_d_un_vrai_bar() {
    // Le bar asyncio des exemples Python : un vrai bar concurrent, présent
    // aussi dans l'espace de travail des étudiants. (Les corrigés des TP12 et
    // TP13 sont chargés par les tests de l'espace de travail, tests/performances.rs.)
    let serveur = lancer_python("bar_asyncio.py");
    let adresse = serveur.adresse.to_string();
    let sortie = charge(&["-c", "5", "-n", "4", "--format", "json", &adresse]);
    assert!(sortie.status.success(), "{sortie:?}");
    let bilan = bilan_json(&sortie);
    assert_eq!(bilan["requetes_prevues"], 20);
    assert_eq!(bilan["reponses_justes"], 20);
    assert_eq!(bilan["clients_en_erreur"], 0);
    // Avec le rendez-vous, les cinq clients sont servis en même temps.
    assert_eq!(bilan["pic_clients_servis"], 5);
    assert_eq!(bilan["reussi"], true);
}

#[test]
fn compte_toutes_les_reponses_de_l_echo_sur_plusieurs_visites() {
    let port = port_libre();
    let serveur = lancer_sur(
        env!("CARGO_BIN_EXE_plancher-echo").as_ref(),
        &[&port.to_string()],
        port,
    );
    let adresse = serveur.adresse.to_string();
    let sortie = charge(&[
        "--mode",
        "echo",
        "-c",
        "3",
        "-n",
        "5",
        "--visites",
        "2",
        "--format",
        "csv",
        &adresse,
    ]);
    assert!(sortie.status.success(), "{sortie:?}");
    let texte = String::from_utf8_lossy(&sortie.stdout);
    let lignes: Vec<&str> = texte.lines().collect();
    assert_eq!(lignes.len(), 2, "{texte}");
    let champs: Vec<(&str, &str)> = lignes[0].split(',').zip(lignes[1].split(',')).collect();
    let champ = |nom| champs.iter().find(|(n, _)| *n == nom).map(|(_, v)| *v);
    assert_eq!(champ("requetes_prevues"), Some("30"));
    assert_eq!(champ("reponses_justes"), Some("30"));
    assert_eq!(champ("reussi"), Some("true"));
}

#[test]
fn le_bilan_en_texte_dit_la_limite_de_descripteurs() {
    let port = port_libre();
    let serveur = lancer_sur(
        env!("CARGO_BIN_EXE_plancher-echo").as_ref(),
        &[&port.to_string()],
        port,
    );
    let sortie = charge(&[
        "--mode",
        "echo",
        "-c",
        "2",
        "-n",
        "3",
        &serveur.adresse.to_string(),
    ]);
    assert!(sortie.status.success(), "{sortie:?}");
    let texte = String::from_utf8_lossy(&sortie.stdout);
    assert!(texte.contains("limite de descripteurs"), "{texte}");
    assert!(
        texte.contains("Réponses  : 6 justes sur 6 attendues"),
        "{texte}"
    );
}

/// Un faux bar : pour chaque connexion (au plus `connexions`), lit les
/// commandes et répond avec `repondre` ; `None` ferme la connexion.
fn faux_bar(
    connexions: usize,
    repondre: fn(&str) -> Option<String>,
    fermer_apres_fin: bool,
) -> String {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("écoute");
    let adresse = ecoute.local_addr().expect("adresse").to_string();
    thread::spawn(move || {
        let mut gardees = Vec::new();
        for flux in ecoute.incoming().take(connexions) {
            let Ok(flux) = flux else { continue };
            let mut lecteur = BufReader::new(&flux);
            let mut ligne = String::new();
            while matches!(lecteur.read_line(&mut ligne), Ok(n) if n > 0) {
                let commande = ligne.trim_end().to_string();
                ligne.clear();
                let Some(reponse) = repondre(&commande) else {
                    break;
                };
                if (&flux).write_all(reponse.as_bytes()).is_err() {
                    break;
                }
                if commande == "fin" {
                    break;
                }
            }
            if !fermer_apres_fin {
                gardees.push(flux);
            }
        }
        // Les connexions gardées se ferment quand le test se termine.
        thread::park();
    });
    adresse
}

fn echoue_avec(sortie: &std::process::Output, extraits: &[&str]) {
    let erreurs = String::from_utf8_lossy(&sortie.stderr);
    assert_eq!(sortie.status.code(), Some(1), "{erreurs}");
    for extrait in extraits {
        assert!(
            erreurs.contains(extrait),
            "« {extrait} » absent de :\n{erreurs}"
        );
    }
    assert!(!erreurs.contains("panicked"), "{erreurs}");
}

#[test]
fn detecte_une_reponse_fausse() {
    // Un seul octet diffère : « recu » sans accent.
    let adresse = faux_bar(
        1,
        |c| Some(format!("vous m'avez demandé : {c} bien recu 5 / 5\n")),
        true,
    );
    let sortie = charge(&["-c", "1", "-n", "3", &adresse]);
    echoue_avec(
        &sortie,
        &[
            "1 client(s) en erreur",
            "client 0, commande 1 « café n°0 pour la table 0 » : réponse fausse",
            "attendu : \"vous m'avez demandé : café n°0 pour la table 0 bien reçu 5 / 5\\n\"",
            "reçu    : \"vous m'avez demandé : café n°0 pour la table 0 bien recu 5 / 5\\n\"",
        ],
    );
}

#[test]
fn detecte_un_echo_a_la_place_du_bar() {
    let adresse = faux_bar(2, |c| Some(format!("{c}\n")), true);
    let sortie = charge(&["-c", "2", "-n", "2", "--format", "json", &adresse]);
    echoue_avec(&sortie, &["2 client(s) en erreur", "réponse fausse"]);
    assert_eq!(bilan_json(&sortie)["reponses_justes"], 0);
}

#[test]
fn detecte_un_serveur_qui_ferme_sans_repondre() {
    let adresse = faux_bar(1, |_| None, true);
    let sortie = charge(&["-c", "1", "-n", "2", &adresse]);
    echoue_avec(&sortie, &["le serveur a fermé la connexion sans répondre"]);
}

#[test]
fn s_arrete_seul_si_le_serveur_ne_ferme_pas_apres_fin() {
    let adresse = faux_bar(
        1,
        |c| Some(format!("vous m'avez demandé : {c} bien reçu 5 / 5\n")),
        false,
    );
    let sortie = charge(&["-c", "1", "-n", "2", "--delai", "1", &adresse]);
    echoue_avec(
        &sortie,
        &[
            "délai de 1 s dépassé",
            "1 client(s) sur 1 n'avaient pas fini",
        ],
    );
}

#[test]
fn detecte_un_serveur_absent() {
    let sortie = charge(&["-c", "2", "-n", "2", &port_libre().to_string()]);
    echoue_avec(&sortie, &["2 client(s) en erreur", "connexion impossible"]);
}

#[test]
fn refuse_une_adresse_hors_de_la_boucle_locale() {
    for adresse in ["192.0.2.1:1664", "0.0.0.0:1664", "exemple.fr:80"] {
        let sortie = charge(&["-c", "1", "-n", "1", adresse]);
        let erreurs = String::from_utf8_lossy(&sortie.stderr);
        assert_eq!(sortie.status.code(), Some(64), "{adresse} : {erreurs}");
        assert!(erreurs.contains("boucle locale"), "{adresse} : {erreurs}");
    }
}

#[test]
fn de_mauvais_arguments_donnent_64_et_le_mode_d_emploi() {
    for args in [
        &[][..],
        &["-c", "0", "1664"],
        &["-c", "cent", "1664"],
        &["--mode", "http", "1664"],
        &["--inconnue", "1664"],
        &["1664", "1665"],
        &["-c", "50000", "-n", "1000", "1664"],
    ] {
        let sortie = charge(args);
        let erreurs = String::from_utf8_lossy(&sortie.stderr);
        assert_eq!(sortie.status.code(), Some(64), "{args:?} : {erreurs}");
        assert!(erreurs.starts_with("erreur : "), "{args:?} : {erreurs}");
        assert!(
            erreurs.contains("Utilisation : cargo charge"),
            "{args:?} : {erreurs}"
        );
    }
}
