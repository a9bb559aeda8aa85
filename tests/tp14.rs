//! Le correcteur du TP14 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue échoue à l'étape prévue, avec le
//!   diagnostic prévu.
//!
//! (Le corrigé, lui, passe toutes les étapes : ce sont les tests du paquet
//! `tp14-corrige`, lancés par le même `cargo test`.)

#[macro_use]
mod commun;

use commun::{echec, refuse_avec_usage, reussite, verifier};
use correcteur::tp14;

/// Le squelette n'enfreint aucune règle : il lui reste des étapes à écrire.
#[test]
fn squelette_serveur_echoue_a_l_etape_1() {
    let diagnostic = echec("tp14", tp14::serveur_1_ecoute);
    verifier(
        &diagnostic,
        "TP14 · serveur · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
    assert!(
        !diagnostic.contains("Règle enfreinte"),
        "un todo!() n'enfreint pas de règle :\n{diagnostic}"
    );
}

#[test]
fn squelette_client_echoue_a_l_etape_1() {
    verifier(
        &echec("tp14", tp14::client_1_connexion),
        "TP14 · client · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

/// Un étudiant qui n'a fini que l'étape 1 voit l'étape 1 verte : son
/// serveur annonce son port, puis s'arrête sur le `todo!()` de l'étape 2.
#[test]
fn etape_1_seulement_reussit_l_etape_1() {
    reussite("tp14-etape-1-seulement", tp14::serveur_1_ecoute);
    verifier(
        &echec("tp14-etape-1-seulement", tp14::serveur_5_options),
        "TP14 · serveur · étape 5",
        &["not yet implemented: Étape 2"],
    );
}

solution_fausse!(ecoute_partout: "tp14-ecoute-partout",
    tp14::serveur_1_ecoute, "serveur · étape 1 — démarrage et écoute",
    ["mais à l'adresse 0.0.0.0", "Ipv4Addr::LOCALHOST"]);

solution_fausse!(sans_reutilisation: "tp14-sans-reutilisation",
    tp14::serveur_5_redemarrage, "serveur · étape 5 — relancé aussitôt sur le même port",
    ["Address already in use", "TIME_WAIT", "SO_REUSEADDR"]);

solution_fausse!(petit_boutiste_serveur: "tp14-petit-boutiste",
    tp14::serveur_5_options, "serveur · étape 5 — liste des options (LISTER → OPTIONS)",
    ["Réponse à LISTER", "attendu : 81 00 00 00 4f", "reçu    : 81 4f 00 00 00", "petit-boutiste"]);

solution_fausse!(petit_boutiste_client: "tp14-petit-boutiste",
    tp14::client_3_voter, "client · étape 3 — voter : VOTER, puis le reçu",
    ["Requête envoyée par « client … voter electeur-042 3 »", "petit-boutiste"]);

solution_fausse!(sans_verrou: "tp14-sans-verrou",
    tp14::serveur_6_concurrence, "serveur · étape 6 — 200 électeurs en même temps",
    ["200", "même verrou"]);

solution_fausse!(alloue_avant_de_verifier: "tp14-alloue-avant-de-verifier",
    tp14::serveur_5_longueur_4_gio, "serveur · étape 5 — trame annoncée de 4 Gio refusée avant d'allouer",
    ["pas de refus en 2 s", "VmHWM", "AVANT d'allouer"]);

solution_fausse!(recu_avant_fsync: "tp14-recu-avant-fsync",
    tp14::serveur_6_journal_avant_recu, "serveur · étape 6 — le vote est dans le journal avant le reçu",
    ["Le reçu n° 1 est arrivé", "(0 octet au lieu de 20)", "sync_data", "BufWriter"]);

solution_fausse!(compte_deux_fois_au_rejeu: "tp14-compte-deux-fois-au-rejeu",
    tp14::serveur_7_redemarrage, "serveur · étape 7 — kill -9 puis redémarrage sur le même journal",
    ["Après 5 reçus, un kill -9 et un redémarrage", "une seule fois"]);

solution_fausse!(journal_dechire_apres_un_echec: "tp14-journal-dechire-apres-un-echec",
    tp14::serveur_7_ecriture_du_journal_impossible, "serveur · étape 7 — l'écriture du journal échoue",
    ["taille de fichier maximale de 70 octets", "n'est pas revenu à sa dernière taille valide",
     "(70 octets au lieu de 60)", "set_len"]);

solution_fausse!(compte_avant_le_journal: "tp14-compte-avant-le-journal",
    tp14::serveur_7_ecriture_du_journal_impossible, "serveur · étape 7 — l'écriture du journal échoue",
    ["Après ce refus, réponse à un nouvel essai de « electeur-063 »",
     "attendu : ff 00 00 00 01 08 (6 octets)", "ne marquez pas le jeton"]);

solution_fausse!(accepte_un_jeton_deux_fois: "tp14-accepte-un-jeton-deux-fois",
    tp14::serveur_6_refus, "serveur · étape 6 — votes refusés",
    ["Réponse à un second vote de « electeur-000 »", "attendu : ff 00 00 00 01 06 (6 octets)", "HashSet"]);

// ─── Les entrées invalides : un message clair en français, jamais de panique ───

use std::time::Duration;

use correcteur::processus::Programme;

#[test]
fn mauvais_arguments_code_64_et_usage_en_francais() {
    // main.rs est fourni à l'étudiant : le squelette et le corrigé se comportent pareil.
    for binaire in ["tp14", "tp14-corrige"] {
        let cas: [&[&str]; 6] = [
            &[],
            &["serveur", "--bulletin", "b.txt"],
            &[
                "serveur",
                "pas-un-port",
                "--bulletin",
                "b",
                "--electeurs",
                "e",
                "--journal",
                "j",
            ],
            &["client", "127.0.0.1", "1"],
            &["client", "127.0.0.1", "1", "voter", "jeton"],
            &[
                "client",
                "127.0.0.1",
                "1",
                "voter",
                "jeton",
                "pas-un-numero",
            ],
        ];
        for args in cas {
            refuse_avec_usage(binaire, args);
        }
    }
}

#[test]
fn corrige_fichiers_invalides_sans_panique() {
    let dossier = tempfile::tempdir().expect("dossier");
    let chemin = |nom: &str| dossier.path().join(nom).display().to_string();
    std::fs::write(chemin("b.txt"), "Une question sans options ?\nseule\n").expect("bulletin");
    std::fs::write(chemin("e.txt"), "a\na\n").expect("électeurs");
    let args = [
        "serveur",
        "0",
        "--bulletin",
        &chemin("b.txt"),
        "--electeurs",
        &chemin("e.txt"),
        "--journal",
        &chemin("j.bin"),
    ];
    let mut programme =
        Programme::lancer(&commun::binaire("tp14-corrige"), "serveur", &args).expect("lancement");
    let statut = programme
        .attendre_fin(Duration::from_secs(5))
        .expect("arrêt");
    let erreurs = programme.erreurs();
    assert_eq!(statut.code(), Some(1), "{erreurs}");
    assert!(erreurs.contains("de 2 à 16 options"), "{erreurs}");
}

// ─── Issue 16 : le corrigé ne détruit jamais un vote accepté ───

/// Un scrutin dans un dossier temporaire ; rend le dossier et les arguments
/// du serveur (port 0), avec `en_plus` à la fin.
fn scrutin_du_corrige(journal: &[u8], en_plus: &[&str]) -> (tempfile::TempDir, Vec<String>) {
    let dossier = tempfile::tempdir().expect("dossier");
    let chemin = |nom: &str| dossier.path().join(nom).display().to_string();
    std::fs::write(chemin("b.txt"), "Quelle option ?\nune\ndeux\n").expect("bulletin");
    let electeurs: String = (0..10).map(|i| format!("e{i}\n")).collect();
    std::fs::write(chemin("e.txt"), electeurs).expect("électeurs");
    std::fs::write(chemin("j.bin"), journal).expect("journal");
    let mut args: Vec<String> = ["serveur", "0", "--bulletin", &chemin("b.txt")]
        .into_iter()
        .map(String::from)
        .collect();
    args.extend(["--electeurs".into(), chemin("e.txt")]);
    args.extend(["--journal".into(), chemin("j.bin")]);
    args.extend(en_plus.iter().map(|a| a.to_string()));
    (dossier, args)
}

/// Dix enregistrements de 10 octets chacun (jetons e0 … e9) : 100 octets.
fn dix_votes() -> Vec<u8> {
    (0..10)
        .flat_map(|i| tp14::trames::enregistrement(&format!("e{i}"), 1 + (i % 2) as u16))
        .collect()
}

#[test]
fn corrige_refuse_un_journal_abime_au_milieu_sans_y_toucher() {
    let mut journal = dix_votes();
    assert_eq!(journal.len(), 100);
    journal[14] ^= 0x20; // un octet du jeton de l'enregistrement n° 2
    let (dossier, args) = scrutin_du_corrige(&journal, &[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut programme =
        Programme::lancer(&commun::binaire("tp14-corrige"), "serveur", &args).expect("lancement");
    let statut = programme
        .attendre_fin(Duration::from_secs(5))
        .expect("le serveur doit refuser de démarrer");
    let erreurs = programme.erreurs();
    assert_eq!(statut.code(), Some(1), "{erreurs}");
    for attendu in ["enregistrement n° 2", "octet 10", "--reparer-journal"] {
        assert!(
            erreurs.contains(attendu),
            "« {attendu} » manque : {erreurs}"
        );
    }
    let apres = std::fs::read(dossier.path().join("j.bin")).expect("journal");
    assert_eq!(apres, journal, "le journal ne doit pas changer");
}

#[test]
fn corrige_repare_sur_ordre_en_mettant_de_cote() {
    let mut journal = dix_votes();
    journal[14] ^= 0x20;
    let (dossier, args) = scrutin_du_corrige(&journal, &["--reparer-journal"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let programme =
        Programme::lancer(&commun::binaire("tp14-corrige"), "serveur", &args).expect("lancement");
    let rejoue = programme.attendre_lignes(&["Journal rejoué : 1 vote(s)"], Duration::from_secs(5));
    assert!(rejoue.is_ok(), "{rejoue:?} {}", programme.erreurs());
    let garde = std::fs::read(dossier.path().join("j.bin")).expect("journal");
    let cote = std::fs::read(dossier.path().join("j.bin.endommage")).expect("copie");
    assert_eq!(garde, journal[..10], "la partie valide reste");
    assert_eq!(
        cote,
        journal[10..],
        "le reste est mis de côté, octet pour octet"
    );
}

#[test]
fn corrige_coupe_une_fin_dechiree() {
    let mut journal = dix_votes();
    journal.truncate(95); // le 10e enregistrement à moitié écrit
    let (dossier, args) = scrutin_du_corrige(&journal, &[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let programme =
        Programme::lancer(&commun::binaire("tp14-corrige"), "serveur", &args).expect("lancement");
    let rejoue = programme.attendre_lignes(&["Journal rejoué : 9 vote(s)"], Duration::from_secs(5));
    assert!(rejoue.is_ok(), "{rejoue:?} {}", programme.erreurs());
    let garde = std::fs::read(dossier.path().join("j.bin")).expect("journal");
    assert_eq!(garde, journal[..90]);
}

#[test]
fn client_option_zero_refusee_localement() {
    for binaire in ["tp14", "tp14-corrige"] {
        refuse_avec_usage(
            binaire,
            &["client", "127.0.0.1", "1", "voter", "jeton", "0"],
        );
    }
}

// ─── Le journal abîmé, les connexions bornées, l'inactivité ───

solution_fausse!(coupe_au_premier_defaut: "tp14-coupe-au-premier-defaut",
    tp14::serveur_7_journal_abime, "serveur · étape 7 — journal abîmé au milieu",
    ["un octet changé dans l'enregistrement n° 2", "a démarré quand même"]);

solution_fausse!(dernier_crc_faux_pris_pour_dechire: "tp14-dernier-crc-faux-pris-pour-dechire",
    tp14::serveur_7_journal_abime, "serveur · étape 7 — journal abîmé au milieu",
    ["10 enregistrements complets, le CRC-32 du dernier faux", "a démarré quand même"]);

solution_fausse!(sans_crc: "tp14-sans-crc",
    tp14::serveur_7_journal_abime, "serveur · étape 7 — journal abîmé au milieu",
    ["a démarré quand même", "fin plus courte"]);

solution_fausse!(sans_limite_de_connexions: "tp14-sans-limite-de-connexions",
    tp14::serveur_5_connexions_max, "serveur · étape 5 — au plus --connexions-max",
    ["une quatrième a reçu une réponse", "file du noyau"]);

solution_fausse!(delai_par_lecture: "tp14-delai-par-lecture",
    tp14::serveur_5_inactivite, "serveur · étape 5 — connexion inactive fermée",
    ["un octet toutes les 200 ms", "échéance"]);

solution_fausse!(option_zero_au_serveur: "tp14-option-zero-au-serveur",
    tp14::client_3_option_zero, "client · étape 3 — voter : option 0 refusée sur place",
    ["tourne encore après", "code 64"]);

// ─── Une solution fausse par règle vérifiable ───

solution_fausse!(ecoute_ailleurs: "tp14-ecoute-ailleurs",
    tp14::serveur_1_ecoute, "serveur · étape 1 — démarrage et écoute", ["écouter sur le port"]);

solution_fausse!(options_sans_leur_nombre: "tp14-options-sans-leur-nombre",
    tp14::serveur_5_options, "serveur · étape 5 — liste des options", ["Réponse à LISTER", "attendu : 81"]);

solution_fausse!(recus_a_partir_de_zero: "tp14-recus-a-partir-de-zero",
    tp14::serveur_6_vote, "serveur · étape 6", ["attendu : 82 00 00 00 04 00 00 00 01"]);

solution_fausse!(ferme_apres_un_refus: "tp14-ferme-apres-un-refus",
    tp14::serveur_6_refus, "serveur · étape 6 — votes refusés", ["a fermé la connexion"]);

solution_fausse!(reste_ouvert_apres_type_inconnu: "tp14-reste-ouvert-apres-type-inconnu",
    tp14::serveur_5_trames_invalides, "serveur · étape 5", ["type inconnu 0x42"]);

solution_fausse!(type_inconnu_avec_charge_malforme: "tp14-type-inconnu-avec-charge-malforme",
    tp14::serveur_5_trames_invalides, "serveur · étape 5", ["type inconnu 0x42 avec une charge de 3 octets", "R6"]);

solution_fausse!(lister_avec_charge: "tp14-lister-avec-charge",
    tp14::serveur_5_trames_invalides, "serveur · étape 5", ["LISTER avec une charge d'un octet", "R6"]);

solution_fausse!(crc_sans_la_longueur: "tp14-crc-sans-la-longueur",
    tp14::serveur_6_journal_avant_recu, "serveur · étape 6 — le vote est dans le journal avant le reçu",
    ["(20 octets au lieu de 20)"]);

solution_fausse!(fin_dechiree_laissee: "tp14-fin-dechiree-laissee",
    tp14::serveur_7_journal_dechire, "serveur · étape 7 — fin de journal déchirée", ["Règle enfreinte : R14", "est restée dans le journal"]);

solution_fausse!(options_a_partir_de_zero: "tp14-options-a-partir-de-zero",
    tp14::client_3_options, "client · étape 3", ["  1. Rust"]);

solution_fausse!(refus_affiche_comme_un_succes: "tp14-refus-affiche-comme-un-succes",
    tp14::client_3_refus, "client · étape 3 — voter : refus du serveur", ["code"]);

solution_fausse!(client_port_ignore: "tp14-client-port-ignore",
    tp14::client_1_connexion, "client · étape 1", ["connect"]);

solution_fausse!(client_ipv4_seulement: "tp14-client-ipv4-seulement",
    tp14::client_1_ipv6, "client · étape 1 — hôte IPv6 (::1)",
    ["s'est arrêté", "essaie chaque adresse"]);

// ─── Des programmes justes, écrits autrement que le corrigé ───

variante_correcte!(correct_compact: "tp14-correct-compact", TP14);

variante_correcte!(correct_charge_progressive: "tp14-correct-charge-progressive", TP14);
