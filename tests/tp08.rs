//! Le correcteur du TP08 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue échoue à l'étape prévue, avec le
//!   diagnostic prévu.
//!
//! (Le corrigé, lui, passe toutes les étapes : ce sont les tests du paquet
//! `tp08-corrige`, lancés par le même `cargo test`.)

#[macro_use]
mod commun;

use commun::{echec, executer, refuse_avec_usage, sans_panique, verifier};
use correcteur::tp08;

#[test]
fn squelette_serveur_echoue_a_l_etape_1() {
    verifier(
        &echec("tp08", tp08::serveur_1_fichier_socket),
        "TP08 · serveur · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

#[test]
fn squelette_client_echoue_a_l_etape_1() {
    for etape in [tp08::client_1_connexion, tp08::client_1_sans_serveur] {
        verifier(
            &echec("tp08", etape),
            "TP08 · client · étape 1",
            &["todo!()", "not yet implemented: Étape 1"],
        );
    }
}

solution_fausse!(ne_supprime_pas_la_socket_perimee: "tp08-ne-supprime-pas-la-socket-perimee",
    tp08::serveur_1_fichier_perime, "serveur · étape 1 — démarrage sur une socket périmée",
    ["socket périmée", "s'est arrêté (code 1)", "Address already in use", "le fichier existe déjà"]);

solution_fausse!(supprime_n_importe_quel_fichier: "tp08-supprime-n-importe-quel-fichier",
    tp08::serveur_1_refuse_un_fichier_ordinaire, "serveur · étape 1 — refus d'un fichier ordinaire",
    ["fichier ordinaire", "l'a supprimé ou remplacé", "is_socket()"]);

solution_fausse!(laisse_le_fichier_a_l_arret: "tp08-laisse-le-fichier-a-l-arret",
    tp08::serveur_2_signaux, "serveur · étape 2 — arrêt propre sur SIGTERM et SIGINT",
    ["Après SIGTERM", "tué par le signal 15", "le fichier ma_socket est resté", "signal_hook"]);

solution_fausse!(un_seul_client: "tp08-un-seul-client",
    tp08::serveur_3_cinq_clients, "serveur · étape 3 — cinq clients",
    ["s'est arrêté (code 0) après avoir servi 1 client,", "loop"]);

solution_fausse!(renvoie_le_meme_octet: "tp08-renvoie-le-meme-octet",
    tp08::serveur_3_cinq_clients, "serveur · étape 3 — cinq clients",
    ["Le client n° 1 a envoyé A", "il a renvoyé A", "attendu : \"B\"", "reçu    : \"A\"", "wrapping_add"]);

solution_fausse!(ne_ferme_pas_les_sockets_de_service: "tp08-ne-ferme-pas-les-sockets-de-service",
    tp08::serveur_4_descripteurs, "serveur · étape 4 — fermeture des sockets de service",
    ["descripteurs ouverts", "après 20 clients de plus, il en a", "socket:[", "Too many open files"]);

solution_fausse!(client_panique_sans_serveur: "tp08-client-panique-sans-serveur",
    tp08::client_1_sans_serveur, "client · étape 1 — aucun serveur à l'écoute",
    ["Aucun fichier n'existe", "a paniqué", "unwrap()", "code: 2, kind: NotFound"]);

solution_fausse!(client_envoie_un_retour_a_la_ligne: "tp08-client-envoie-un-retour-a-la-ligne",
    tp08::client_2_echange, "client · étape 2 — un octet envoyé",
    ["octets en trop", "reçu    : \"A\\n\"", "write_all(&[octet])"]);

// ─── Les entrées invalides et les situations délicates : un message clair,
//     jamais de panique ───

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::time::Duration;

use correcteur::processus::Programme;

const DELAI: Duration = Duration::from_secs(5);

#[test]
fn mauvais_arguments_code_64_et_usage_en_francais() {
    // main.rs est fourni à l'étudiant : le squelette et le corrigé se comportent pareil.
    for binaire in ["tp08", "tp08-corrige"] {
        let cas: [&[&str]; 6] = [
            &[],
            &["inconnu"],
            &["serveur", "a", "b"],
            &["client", "s", "AB"],
            &["client", "s", "é"],
            &["client", "s", "\\xZZ"],
        ];
        for args in cas {
            refuse_avec_usage(binaire, args);
        }
        let (code, _, programme) = executer(binaire, &["--help"]);
        assert_eq!(code, Some(0));
        assert!(
            programme
                .dernieres_lignes()
                .iter()
                .any(|l| l.contains("\\xNN"))
        );
    }
}

/// Lance le serveur corrigé et attend son fichier de socket.
fn serveur_corrige() -> (Programme, std::path::PathBuf) {
    let mut serveur = Programme::lancer(
        &commun::binaire("tp08-corrige"),
        "serveur",
        &["serveur", "s"],
    )
    .expect("lancement");
    let chemin = serveur.dossier().join("s");
    let limite = std::time::Instant::now() + DELAI;
    while UnixStream::connect(&chemin).is_err() {
        assert!(serveur.statut().is_none(), "le serveur s'est arrêté");
        assert!(
            std::time::Instant::now() < limite,
            "le serveur n'écoute pas"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    (serveur, chemin)
}

#[test]
fn corrige_survit_a_un_client_muet_qui_part() {
    let (mut serveur, chemin) = serveur_corrige();
    // La connexion de sonde de serveur_corrige() est déjà partie sans rien
    // envoyer ; un second client muet part aussi.
    drop(UnixStream::connect(&chemin).expect("connexion"));
    let mut flux = UnixStream::connect(&chemin).expect("connexion");
    flux.set_read_timeout(Some(DELAI)).expect("délai");
    flux.write_all(b"z").expect("envoi");
    let mut reponse = [0u8; 1];
    flux.read_exact(&mut reponse).expect("réponse");
    assert_eq!(&reponse, b"{");
    assert!(serveur.statut().is_none());
    // La sortie d'erreur est recueillie par un fil : on lui laisse un instant.
    let limite = std::time::Instant::now() + DELAI;
    while !serveur
        .erreurs()
        .contains("le client est parti sans envoyer d'octet")
    {
        assert!(std::time::Instant::now() < limite, "{}", serveur.erreurs());
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn corrige_refuse_de_voler_la_socket_d_un_serveur_vivant() {
    let dossier = tempfile::tempdir().expect("dossier");
    let chemin = dossier.path().join("vivante");
    let _vivant = UnixListener::bind(&chemin).expect("bind");
    let (code, erreurs, _) = executer(
        "tp08-corrige",
        &["serveur", chemin.to_str().expect("chemin UTF-8")],
    );
    assert_eq!(code, Some(1));
    assert!(erreurs.contains("un serveur écoute déjà"), "{erreurs}");
    assert!(
        UnixStream::connect(&chemin).is_ok(),
        "la socket vivante doit rester"
    );
    sans_panique(&erreurs);
}

#[test]
fn corrige_chemin_trop_long() {
    let long = "x".repeat(200);
    let (code, erreurs, _) = executer("tp08-corrige", &["serveur", &long]);
    assert_eq!(code, Some(1));
    assert!(erreurs.contains("trop long"), "{erreurs}");
    sans_panique(&erreurs);
}
