//! Le correcteur du TP11 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue échoue à l'étape prévue, avec le
//!   diagnostic prévu.
//!
//! (Le corrigé, lui, passe toutes les étapes : ce sont les tests du paquet
//! `tp11-corrige`, lancés par le même `cargo test`.)

#[macro_use]
mod commun;

use commun::{echec, executer, refuse_avec_usage, reussite, verifier};
use correcteur::tp11;

#[test]
fn squelette_echoue_a_l_etape_1() {
    verifier(
        &echec("tp11", tp11::pair_1_nom_du_pair),
        "TP11 · pair · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

/// Un étudiant qui n'a fini que l'étape 1 voit l'étape 1 verte : son
/// programme s'arrête aussitôt après la résolution, sur le `todo!()` suivant.
#[test]
fn etape_1_seulement_reussit_l_etape_1() {
    reussite("tp11-etape-1-seulement", tp11::pair_1_nom_du_pair);
    verifier(
        &echec("tp11-etape-1-seulement", tp11::pair_2_attache),
        "TP11 · pair · étape 2",
        &["not yet implemented: Étape 2"],
    );
}

/// Un étudiant qui a fini les étapes 1 et 2 voit l'étape 2 verte (IPv6
/// compris), alors que son programme s'arrête sur le `todo!()` de l'étape 3.
#[test]
fn etape_2_seulement_reussit_l_etape_2() {
    reussite("tp11-etape-2-seulement", tp11::pair_2_attache);
    reussite("tp11-etape-2-seulement", tp11::pair_2_ipv6);
    reussite("tp11-etape-2-seulement", tp11::pair_2_ordre_des_adresses);
    verifier(
        &echec("tp11-etape-2-seulement", tp11::pair_3_envoi),
        "TP11 · pair · étape 3",
        &["not yet implemented: Étape 3"],
    );
}

solution_fausse!(port_ephemere: "tp11-port-ephemere",
    tp11::pair_2_attache, "pair · étape 2 — socket attachée au port local",
    ["Aucune socket UDP n'est attachée au port local", "bind"]);

solution_fausse!(panique_sur_port_pris: "tp11-panique-sur-port-pris",
    tp11::pair_2_port_pris, "pair · étape 2 — port local déjà pris",
    ["déjà attachée à 127.0.0.1:", "a paniqué au lieu d'expliquer le problème"]);

solution_fausse!(attache_partout: "tp11-attache-partout",
    tp11::pair_2_attache, "pair · étape 2 — socket attachée au port local",
    ["mais sur 0.0.0.0 (toutes les interfaces)", "boucle locale de la famille du pair"]);

solution_fausse!(adresse_sans_resolution: "tp11-adresse-sans-resolution",
    tp11::pair_1_nom_du_pair, "pair · étape 1 — un nom d'hôte pour le pair (localhost)",
    ["HÔTE_DISTANT = « localhost » (un nom, pas une adresse)", "s'est arrêté (code 1)",
     "to_socket_addrs"]);

solution_fausse!(garde_les_adresses_ipv4: "tp11-garde-les-adresses-ipv4",
    tp11::pair_2_ipv6, "pair · étape 2 — un pair en IPv6 (::1)",
    ["HÔTE_DISTANT = « ::1 »", "s'est arrêté (code 1) sans attacher de socket",
     "pas d'adresse IPv4", "pas de filtre is_ipv4", "Domain::for_address"]);

solution_fausse!(prefere_ipv4: "tp11-prefere-ipv4",
    tp11::pair_2_ordre_des_adresses, "pair · étape 2 — plusieurs adresses : la première est gardée",
    ["donne ici ::1 puis 127.0.0.1", "garder la première adresse, ::1",
     "a attaché sa socket à 127.0.0.1:", "attendu : \"[::1]:", "ni préférence pour une famille"]);

solution_fausse!(prefere_ipv6: "tp11-prefere-ipv6",
    tp11::pair_2_ordre_des_adresses, "pair · étape 2 — plusieurs adresses : la première est gardée",
    ["donne ici 127.0.0.1 puis ::1", "garder la première adresse, 127.0.0.1",
     "a attaché sa socket à [::1]:", "attendu : \"127.0.0.1:", "ni préférence pour une famille"]);

solution_fausse!(envoi_d_une_autre_socket: "tp11-envoi-d-une-autre-socket",
    tp11::pair_3_envoi, "pair · étape 3 — une ligne tapée, un datagramme parti du port local",
    ["pas du port local", "attendu : \"127.0.0.1:", "intrus", "une seule socket"]);

solution_fausse!(envoie_la_fin_de_ligne: "tp11-envoie-la-fin-de-ligne",
    tp11::pair_3_envoi, "pair · étape 3 — une ligne tapée, un datagramme parti du port local",
    ["reçu    : \"Bonjour, pair ! Je parle le premier.\\n\"", "retirez la fin de ligne"]);

solution_fausse!(lecture_a_tour_de_role: "tp11-lecture-a-tour-de-role",
    tp11::pair_4_reception_sans_saisie, "pair · étape 4 — réception pendant que le clavier se tait",
    ["n'a pas affiché « << Message du pair", "interblocage", "deux fils"]);

solution_fausse!(affiche_les_intrus: "tp11-affiche-les-intrus",
    tp11::pair_4_intrus, "pair · étape 4 — datagramme d'un intrus",
    ["a affiché le datagramme de l'intrus", "[programme] << Je suis un intrus", "IP et port"]);

solution_fausse!(socket_connectee: "tp11-socket-connectee",
    tp11::pair_4_intrus, "pair · étape 4 — datagramme d'un intrus",
    ["n'a pas été affiché, mais aucun avertissement", "Avec connect()"]);

solution_fausse!(ignore_fin: "tp11-ignore-fin",
    tp11::pair_3_fin_tapee, "pair · étape 3 — « fin » tapée",
    ["tourne encore 2 s après avoir lu et envoyé « fin »"]);

solution_fausse!(attend_le_clavier_pour_finir: "tp11-attend-le-clavier-pour-finir",
    tp11::pair_4_fin_recue, "pair · étape 4 — « fin » reçue",
    ["tourne encore 2 s après avoir reçu « fin »", "[programme] << fin", "mpsc"]);

solution_fausse!(panique_en_fin_de_saisie: "tp11-panique-en-fin-de-saisie",
    tp11::pair_3_fin_de_saisie, "pair · étape 3 — fin de l'entrée standard",
    ["a paniqué (code 101) à la fin de son entrée standard", "Option::unwrap()", "Ok(0)"]);

solution_fausse!(affiche_les_controles: "tp11-affiche-les-controles",
    tp11::pair_4_caracteres_de_controle, "pair · étape 4 — caractères de contrôle reçus, affichés échappés",
    ["tels quels des caractères de contrôle", "ESC (\\u{1b}), BEL (\\u{7})",
     "« << Titre\\u{1b}]0;titre volé\\u{7}", "affichable"]);

// ─── Les entrées invalides : un message clair en français, jamais de panique ───

use std::net::UdpSocket;

#[test]
fn mauvais_arguments_code_64_et_usage_en_francais() {
    // main.rs est fourni à l'étudiant : le squelette et le corrigé se comportent pareil.
    for binaire in ["tp11", "tp11-corrige"] {
        let cas: [&[&str]; 5] = [
            &[],
            &["client"],
            &["pair", "1", "localhost"],
            &["pair", "pas-un-port", "localhost", "1"],
            &["pair", "1", "localhost", "70000"],
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
                .any(|l| l.contains("usage : "))
        );
    }
}

#[test]
fn corrige_port_local_deja_pris() {
    let occupant = UdpSocket::bind(("127.0.0.1", 0)).expect("bind");
    let port = occupant.local_addr().expect("adresse").port().to_string();
    let (code, erreurs, _) = executer("tp11-corrige", &["pair", &port, "127.0.0.1", "9"]);
    assert_eq!(code, Some(1));
    assert!(
        erreurs.contains(&format!(
            "impossible d'attacher la socket à 127.0.0.1:{port}"
        )),
        "{erreurs}"
    );
    assert!(!erreurs.contains("panicked"), "{erreurs}");
}

// ─── Des programmes corrects écrits autrement que le corrigé ───

variante_correcte!(correct_une_seule_attente: "tp11-correct-une-seule-attente", TP11);
variante_correcte!(correct_clavier_dans_un_fil: "tp11-correct-clavier-dans-un-fil", TP11);
