//! Le correcteur du TP08 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue échoue à l'étape prévue, avec le
//!   diagnostic prévu.
//!
//! (Le corrigé, lui, passe toutes les étapes : ce sont les tests du paquet
//! `tp08-corrige`, lancés par le même `cargo test`.)

#[macro_use]
mod commun;

use commun::{echec, executer, refuse_avec_usage, reussite, sans_panique, verifier};
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

solution_fausse!(chemin_en_dur: "tp08-chemin-en-dur",
    tp08::serveur_1_fichier_socket, "serveur · étape 1 — une socket au chemin donné",
    ["Aucune socket ma_socket", "le dossier du serveur contient : socket_serveur", "pas à un chemin écrit en dur"]);

solution_fausse!(ne_supprime_pas_la_socket_perimee: "tp08-ne-supprime-pas-la-socket-perimee",
    tp08::serveur_1_fichier_perime, "serveur · étape 1 — démarrage sur une socket périmée",
    ["socket périmée", "s'est arrêté (code 1)", "Address already in use", "le fichier existe déjà"]);

solution_fausse!(supprime_n_importe_quel_fichier: "tp08-supprime-n-importe-quel-fichier",
    tp08::serveur_1_refuse_un_fichier_ordinaire, "serveur · étape 1 — refus d'un fichier ordinaire",
    ["fichier ordinaire", "l'a supprimé ou remplacé", "is_socket()"]);

solution_fausse!(suit_les_liens: "tp08-suit-les-liens",
    tp08::serveur_1_refuse_un_lien, "serveur · étape 1 — refus d'un lien symbolique",
    ["lien symbolique", "a supprimé ou remplacé le lien", "symlink_metadata"]);

solution_fausse!(refus_avec_le_code_0: "tp08-refus-avec-le-code-0",
    tp08::serveur_1_refuse_un_fichier_ordinaire, "serveur · étape 1 — refus d'un fichier ordinaire",
    ["fichier ordinaire", "code 0, comme si tout allait bien"]);

solution_fausse!(laisse_le_fichier_a_l_arret: "tp08-laisse-le-fichier-a-l-arret",
    tp08::serveur_2_signaux, "serveur · étape 2 — arrêt propre sur SIGTERM et SIGINT",
    ["Après SIGTERM", "tué par le signal 15", "le fichier ma_socket est resté", "signal_hook"]);

solution_fausse!(un_seul_client: "tp08-un-seul-client",
    tp08::serveur_3_cinq_clients, "serveur · étape 3 — cinq clients",
    ["s'est arrêté (code 0) après avoir servi 1 client,", "loop"]);

solution_fausse!(renvoie_le_meme_octet: "tp08-renvoie-le-meme-octet",
    tp08::serveur_3_cinq_clients, "serveur · étape 3 — cinq clients",
    ["Le client n° 1 a envoyé A", "il a renvoyé A", "attendu : \"B\"", "reçu    : \"A\"", "wrapping_add"]);

solution_fausse!(serveur_ajoute_un_retour_a_la_ligne: "tp08-serveur-ajoute-un-retour-a-la-ligne",
    tp08::serveur_3_cinq_clients, "serveur · étape 3 — cinq clients",
    ["Le client n° 1 a reçu B puis des octets en trop", "reçu    : \"B\\n\""]);

solution_fausse!(affiche_l_octet_brut: "tp08-affiche-l-octet-brut",
    tp08::serveur_3_cinq_clients, "serveur · étape 3 — cinq clients",
    ["attendu : \"Le serveur a lu : \\\\xff\"", "lisible()"]);

solution_fausse!(ne_ferme_pas_les_sockets_de_service: "tp08-ne-ferme-pas-les-sockets-de-service",
    tp08::serveur_3_descripteurs, "serveur · étape 3 — fermeture des sockets de service",
    ["descripteurs ouverts", "après 20 clients de plus, il en a", "socket:[", "Too many open files"]);

solution_fausse!(ne_ferme_pas_les_sockets_de_service_vu_du_client: "tp08-ne-ferme-pas-les-sockets-de-service",
    tp08::serveur_3_cinq_clients, "serveur · étape 3 — cinq clients",
    ["Le client n° 1 a reçu sa réponse, mais le serveur n'a pas fermé la connexion"]);

solution_fausse!(s_arrete_sur_un_client_muet: "tp08-s-arrete-sur-un-client-muet",
    tp08::serveur_3_client_muet, "serveur · étape 3 — un client qui part sans rien envoyer",
    ["sans rien envoyer", "s'est arrêté (code 1) au lieu de servir le client suivant", "eprintln!"]);

solution_fausse!(client_chemin_en_dur: "tp08-client-chemin-en-dur",
    tp08::client_1_connexion, "client · étape 1 — connexion à la socket du serveur",
    ["s'est arrêté (code 1) avant de se connecter à la socket"]);

solution_fausse!(client_panique_sans_serveur: "tp08-client-panique-sans-serveur",
    tp08::client_1_sans_serveur, "client · étape 1 — aucun serveur à l'écoute",
    ["Aucun fichier n'existe", "a paniqué", "unwrap()", "code: 2, kind: NotFound"]);

solution_fausse!(client_envoie_un_retour_a_la_ligne: "tp08-client-envoie-un-retour-a-la-ligne",
    tp08::client_2_echange, "client · étape 2 — un octet envoyé",
    ["octets en trop", "reçu    : \"A\\n\"", "write_all(&[octet])"]);

solution_fausse!(client_affiche_l_octet_brut: "tp08-client-affiche-l-octet-brut",
    tp08::client_2_echange, "client · étape 2 — un octet envoyé",
    ["attendu : \"Le client a écrit : \\\\xff\"", "lisible()"]);

// ─── Un étudiant à mi-parcours : une étape finie est réussie, même si le
//     programme s'arrête ensuite sur le todo!() de la suivante ───

#[test]
fn etape_1_finie_reussie_malgre_le_todo_de_l_etape_2() {
    reussite("tp08-etape-1-seulement", tp08::serveur_1_fichier_socket);
    reussite("tp08-etape-1-seulement", tp08::serveur_1_fichier_perime);
    let diagnostic = echec("tp08-etape-1-seulement", tp08::serveur_2_signaux);
    verifier(
        &diagnostic,
        "TP08 · serveur · étape 2",
        &[
            "a créé sa socket ma_socket, puis s'est arrêté (code 101)",
            "not yet implemented: Étape 2",
        ],
    );
    assert!(!diagnostic.contains("Règle enfreinte"), "{diagnostic}");
}

#[test]
fn etapes_1_et_2_finies_reussies_malgre_le_todo_de_l_etape_3() {
    for etape in [
        tp08::serveur_1_fichier_socket,
        tp08::serveur_1_fichier_perime,
        tp08::serveur_1_refuse_un_fichier_ordinaire,
        tp08::serveur_1_refuse_un_lien,
        tp08::serveur_2_signaux,
    ] {
        reussite("tp08-etapes-1-et-2-seulement", etape);
    }
    let diagnostic = echec("tp08-etapes-1-et-2-seulement", tp08::serveur_3_cinq_clients);
    verifier(
        &diagnostic,
        "TP08 · serveur · étape 3",
        &[
            "s'est arrêté (code 101) en servant son premier client",
            "not yet implemented: Étape 3",
        ],
    );
    assert!(!diagnostic.contains("Règle enfreinte"), "{diagnostic}");
}

// ─── Des programmes corrects écrits autrement que le corrigé ───

variante_correcte!(correct_libc_brut: "tp08-correct-libc-brut", TP08);
variante_correcte!(correct_poll_un_seul_fil: "tp08-correct-poll-un-seul-fil", TP08);

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
