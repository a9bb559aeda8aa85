//! Le correcteur du TP10 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue échoue à l'étape prévue, avec le
//!   diagnostic prévu.
//!
//! (Le corrigé, lui, passe toutes les étapes : ce sont les tests du paquet
//! `tp10-corrige`, lancés par le même `cargo test`.)

#[macro_use]
mod commun;

use commun::{echec, executer, refuse_avec_usage, verifier};
use correcteur::tp10;

#[test]
fn squelette_serveur_echoue_a_l_etape_1() {
    verifier(
        &echec("tp10", tp10::serveur_1_attache),
        "TP10 · serveur · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

#[test]
fn squelette_client_echoue_a_l_etape_1() {
    verifier(
        &echec("tp10", tp10::client_1_envoi),
        "TP10 · client · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

solution_fausse!(petit_boutiste: "tp10-petit-boutiste",
    tp10::serveur_3_reponse_gros_boutiste, "serveur · étape 3 — réponse : le compte sur 4 octets",
    ["ordre des octets", "attendu : 00 00 00 25", "reçu    : 25 00 00 00", "to_be_bytes"]);

solution_fausse!(adresse_de_reponse_figee: "tp10-adresse-de-reponse-figee",
    tp10::serveur_3_trois_clients, "serveur · étape 3 — trois clients, chacun sa réponse",
    ["n'a pas répondu au client 2", "Le client 1 (127.0.0.1:", "de plus que la sienne",
     "l'adresse que recv_from vient de rendre"]);

solution_fausse!(serveur_un_seul_datagramme: "tp10-serveur-un-seul-datagramme",
    tp10::serveur_3_trois_clients, "serveur · étape 3 — trois clients, chacun sa réponse",
    ["Le serveur s'est arrêté (code 0) sans répondre au client 2", "boucle sans fin"]);

solution_fausse!(petit_tampon: "tp10-petit-tampon",
    tp10::serveur_4_grands_datagrammes, "serveur · étape 4 — grands datagrammes",
    ["annonce 1024 octets", "datagramme de 2000 octets", "tronqué", "65507 octets"]);

solution_fausse!(zero_octet_fin_de_flux: "tp10-zero-octet-fin-de-flux",
    tp10::serveur_4_datagramme_vide, "serveur · étape 4 — datagramme vide",
    ["sans répondre au datagramme vide", "pas « fin de flux »"]);

solution_fausse!(client_sans_delai: "tp10-client-sans-delai",
    tp10::client_3_relance, "client · étape 3 — requête perdue, puis relance",
    ["n'a toujours rien renvoyé et tourne encore", "set_read_timeout"]);

solution_fausse!(client_sans_relance: "tp10-client-sans-relance",
    tp10::client_3_relance, "client · étape 3 — requête perdue, puis relance",
    ["s'est arrêté (code 1) sans la renvoyer", "renvoyez la requête (3 essais en tout)"]);

solution_fausse!(client_accepte_tout_le_monde: "tp10-client-accepte-tout-le-monde",
    tp10::client_4_datagramme_etranger, "client · étape 4 — datagramme étranger ignoré",
    ["attendu : \"réponse : 36\"", "reçu    : \"réponse : 4242\"", "comparez l'adresse rendue par recv_from"]);

solution_fausse!(client_toujours_ipv4: "tp10-client-toujours-ipv4",
    tp10::client_1_ipv6, "client · étape 1 — serveur en IPv6 (::1)",
    ["s'est arrêté (code 1) sans envoyer de datagramme", "HÔTE vaut ici ::1", "Ipv6Addr::UNSPECIFIED"]);

solution_fausse!(client_premiere_adresse_seulement: "tp10-client-premiere-adresse-seulement",
    tp10::client_2_chaque_adresse, "client · étape 2 — chaque adresse du serveur, dans l'ordre",
    ["donne ici ::1 puis 127.0.0.1", "3 requête(s) à [::1]:", "et aucune à 127.0.0.1:",
     "il n'a pas essayé la seconde adresse", "passez à la suivante"]);

solution_fausse!(client_prefere_ipv4: "tp10-client-prefere-ipv4",
    tp10::client_2_chaque_adresse, "client · étape 2 — chaque adresse du serveur, dans l'ordre",
    ["mais aucune sur [::1]:", "la première adresse", "n'a pas suivi l'ordre de la résolution",
     "n'écartez ni ne triez"]);

solution_fausse!(client_delai_ignore: "tp10-client-delai-ignore",
    tp10::client_3_delai_respecte, "client · étape 3 — --delai est obéi",
    ["Lancé avec --delai 2500", "il n'a pas attendu les 2500 ms demandées", "pas avec une constante"]);

solution_fausse!(affiche_les_controles: "tp10-affiche-les-controles",
    tp10::serveur_2_caracteres_de_controle, "serveur · étape 2 — caractères de contrôle reçus, affichés échappés",
    ["tels quels des caractères de contrôle", "ESC (\\u{1b}), BEL (\\u{7})", "retour chariot (\\r)",
     "Titre\\u{1b}]0;titre volé\\u{7}", "affichable"]);

// ─── Les entrées invalides : un message clair en français, jamais de panique ───

use std::net::UdpSocket;

#[test]
fn mauvais_arguments_code_64_et_usage_en_francais() {
    // main.rs est fourni à l'étudiant : le squelette et le corrigé se comportent pareil.
    for binaire in ["tp10", "tp10-corrige"] {
        let cas: [&[&str]; 7] = [
            &[],
            &["inconnu"],
            &["serveur", "70000"],
            &["serveur", "1", "de-trop"],
            &["client", "localhost", "1"],
            &["client", "localhost", "1", "message", "de-trop"],
            &["client", "--delai", "zéro", "localhost", "1", "message"],
        ];
        for args in cas {
            refuse_avec_usage(binaire, args);
        }
    }
}

#[test]
fn corrige_port_deja_pris() {
    let occupant = UdpSocket::bind(("127.0.0.1", 0)).expect("bind");
    let port = occupant.local_addr().expect("adresse").port().to_string();
    let (code, erreurs, _) = executer("tp10-corrige", &["serveur", &port]);
    assert_eq!(code, Some(1));
    assert!(
        erreurs.contains(&format!(
            "impossible d'attacher la socket au port UDP {port}"
        )),
        "{erreurs}"
    );
}

// ─── Les règles que seules ces solutions fausses enfreignent ───

solution_fausse!(sans_adresse_affichee: "tp10-sans-adresse-affichee",
    tp10::serveur_2_affichage, "serveur · étape 2 — affichage du datagramme reçu",
    ["reçu de ADRESSE : TEXTE"]);

solution_fausse!(utf8_strict: "tp10-utf8-strict",
    tp10::serveur_4_utf8_invalide, "serveur · étape 4 — octets qui ne sont pas de l'UTF-8",
    ["from_utf8_lossy"]);

solution_fausse!(client_ajoute_fin_de_ligne: "tp10-client-ajoute-fin-de-ligne",
    tp10::client_1_envoi, "client · étape 1 — envoi de la requête",
    ["n'est pas le message demandé"]);

solution_fausse!(client_affiche_autrement: "tp10-client-affiche-autrement",
    tp10::client_2_reponse, "client · étape 2 — réception et affichage de la réponse",
    ["réponse : "]);

solution_fausse!(client_abandon_silencieux: "tp10-client-abandon-silencieux",
    tp10::client_3_sans_serveur, "client · étape 3 — aucune réponse : abandon",
    ["code 0"]);

solution_fausse!(toutes_les_interfaces: "tp10-toutes-les-interfaces",
    tp10::serveur_1_attache, "serveur · étape 1 — socket UDP attachée au port donné",
    ["mais sur 0.0.0.0 (toutes les interfaces)", "pas à 0.0.0.0"]);

// ─── Des programmes corrects écrits autrement que le corrigé ───

variante_correcte!(correct_socket2_connecte: "tp10-correct-socket2-connecte", TP10);
variante_correcte!(correct_attente_par_poll: "tp10-correct-attente-par-poll", TP10);
