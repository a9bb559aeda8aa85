//! Le correcteur du TP12 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue échoue à l'étape prévue, avec le
//!   diagnostic prévu.
//!
//! (Le corrigé, lui, passe toutes les étapes : ce sont les tests du paquet
//! `tp12-corrige`, lancés par le même `cargo test`.)

#[macro_use]
mod commun;

use commun::{echec, executer, refuse_avec_usage, reussite, verifier};
use correcteur::tp12;

#[test]
fn squelette_serveur_echoue_a_l_etape_1() {
    verifier(
        &echec("tp12", tp12::serveur_1_ouverture),
        "TP12 · serveur · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

#[test]
fn squelette_client_echoue_a_l_etape_1() {
    verifier(
        &echec("tp12", tp12::client_1_connexion),
        "TP12 · client · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

/// Un étudiant qui n'a fini que l'étape 1 voit l'ouverture du bar verte :
/// son serveur annonce son port, puis s'arrête sur le `todo!()` de l'étape 2.
#[test]
fn etape_1_seulement_reussit_l_ouverture() {
    reussite("tp12-etape-1-seulement", tp12::serveur_1_ouverture);
    verifier(
        &echec("tp12-etape-1-seulement", tp12::serveur_4_un_client),
        "TP12 · serveur · étape 4 — un client",
        &["not yet implemented: Étape 2"],
    );
}

/// Un étudiant qui a fini les étapes 1 et 2 du client les voit vertes, même
/// si son client s'arrête sur le `todo!()` de l'étape 3 juste après avoir
/// affiché la première réponse.
#[test]
fn client_etapes_1_et_2_seulement_reussit_les_etapes_1_et_2() {
    let binaire = "tp12-client-etapes-1-et-2-seulement";
    reussite(binaire, tp12::client_1_connexion);
    reussite(binaire, tp12::client_2_commandes);
    verifier(
        &echec(binaire, tp12::client_3_fin),
        "TP12 · client · étape 3",
        &["not yet implemented: Étape 3"],
    );
}

solution_fausse!(veilleur_arrete_sur_erreur: "tp12-veilleur-arrete-sur-erreur",
    tp12::serveur_4_descripteurs_epuises,
    "serveur · étape 4 — plus de descripteurs libres : le veilleur continue",
    ["accept() échoue (EMFILE)", "s'est arrêté (code 1)",
     "n'arrête pas le veilleur"]);

solution_fausse!(serveur_iteratif: "tp12-serveur-iteratif",
    tp12::serveur_4_vingt_clients, "serveur · étape 4 — vingt clients à la fois",
    ["client n°2 n'a reçu aucune réponse", "le deuxième client attend que le premier parte",
     "serveur itératif", "thread::spawn"]);

solution_fausse!(serveur_iteratif_et_client_silencieux: "tp12-serveur-iteratif",
    tp12::serveur_4_client_silencieux,
    "serveur · étape 4 — un client silencieux ne retarde pas les autres",
    ["le premier client, entré avant lui et servi une fois, se tait",
     "le deuxième client attend que le premier parte"]);

solution_fausse!(verrou_pendant_toute_la_session: "tp12-verrou-pendant-toute-la-session",
    tp12::serveur_4_vingt_clients, "serveur · étape 4 — vingt clients à la fois",
    ["Le serveur a accepté le client n°2 (« Client connecté : 127.0.0.1:",
     "chacun attend que le précédent ait fini", "Mutex"]);

solution_fausse!(ne_ferme_pas_les_sockets_de_service: "tp12-ne-ferme-pas-les-sockets-de-service",
    tp12::serveur_4_descripteurs, "serveur · étape 4 — cent sessions, aucune socket oubliée",
    ["Après 100 sessions terminées", "ses sockets de service ne sont pas fermées", "try_clone"]);

solution_fausse!(meurt_sur_un_reset: "tp12-meurt-sur-un-reset",
    tp12::serveur_4_reinitialisation, "serveur · étape 4 — un client part brutalement (RST)",
    ["Le serveur s'est arrêté (code 1) : le client sage n'a pas été servi",
     "Connection reset by peer", "process::exit"]);

solution_fausse!(ignore_fin: "tp12-ignore-fin",
    tp12::serveur_4_un_client, "serveur · étape 4 — un client, de l'arrivée au départ",
    ["Le serveur n'a pas fermé la connexion", "la commande « fin »"]);

solution_fausse!(sans_limite_de_clients: "tp12-sans-limite-de-clients",
    tp12::serveur_5_limite_de_clients, "serveur · étape 5 — --max-clients : bar complet",
    ["Le client n°4 n'a rien reçu", "--max-clients 3", "attendu : \"bar complet, revenez plus tard\\n\""]);

solution_fausse!(fin_de_flux_commande_vide: "tp12-fin-de-flux-commande-vide",
    tp12::serveur_4_fin_de_flux_sans_fin, "serveur · étape 4 — fin de flux sans « fin »",
    ["n'a pas fermé la connexion", "Et un dernier ver bien reçu 5 / 5\\nvous m'avez demandé :  bien reçu 5 / 5",
     "Ce n'est pas une commande vide"]);

solution_fausse!(une_lecture_par_commande: "tp12-une-lecture-par-commande",
    tp12::serveur_4_commande_en_morceaux, "serveur · étape 4 — commande en morceaux, commandes collées",
    ["reçu    : \"vous m'avez demandé : Un c bien reçu 5 / 5\\n\"", "plusieurs read()"]);

solution_fausse!(ligne_non_bornee: "tp12-ligne-non-bornee",
    tp12::serveur_4_ligne_trop_longue, "serveur · étape 4 — une ligne d'un mégaoctet",
    ["devait fermer la connexion de ce client sans répondre", "Read::take"]);

solution_fausse!(panique_sur_utf8: "tp12-panique-sur-utf8",
    tp12::serveur_4_utf8_invalide, "serveur · étape 4 — une commande qui n'est pas de l'UTF-8",
    ["a fait paniquer l'exécutant", "[serveur · erreur] called `Result::unwrap()`"]);

solution_fausse!(client_sans_fin_de_ligne: "tp12-client-sans-fin-de-ligne",
    tp12::client_2_commandes, "client · étape 2 — commandes tapées, réponses affichées",
    ["Ligne incomplète", "reçu    : \"Je veux une bière ^^\"", "suivie de « \\n »"]);

solution_fausse!(client_une_seule_lecture: "tp12-client-une-seule-lecture",
    tp12::client_2_commandes, "client · étape 2 — commandes tapées, réponses affichées",
    ["reçu    : \"vous m'avez demandé\"", "BufReader::read_line"]);

solution_fausse!(client_ipv4_seulement: "tp12-client-ipv4-seulement",
    tp12::client_1_ipv6, "client · étape 1 — hôte IPv6 (::1)",
    ["s'est arrêté", "essaie chaque adresse"]);

solution_fausse!(client_continue_apres_fin: "tp12-client-continue-apres-fin",
    tp12::client_3_fin, "client · étape 3 — « fin » termine la visite",
    ["Le client n'a pas fermé la connexion", "sans attendre d'autres lignes au clavier"]);

solution_fausse!(client_panique_en_fin_d_entree: "tp12-client-panique-en-fin-d-entree",
    tp12::client_3_fin_de_l_entree, "client · étape 3 — fin de l'entrée standard",
    ["code 101", "[client · erreur] called `Option::unwrap()` on a `None` value"]);

solution_fausse!(client_fin_en_fin_d_entree: "tp12-client-fin-en-fin-d-entree",
    tp12::client_3_fin_de_l_entree, "client · étape 3 — fin de l'entrée standard",
    ["a envoyé des octets en trop avant de fermer", "\"fin\\n\"", "sans envoyer « fin »"]);

solution_fausse!(ecoute_sur_toutes_les_interfaces: "tp12-ecoute-sur-toutes-les-interfaces",
    tp12::serveur_1_ouverture, "serveur · étape 1 — le bar ouvre",
    ["à l'adresse 0.0.0.0", "/proc/net/tcp", "Ipv4Addr::LOCALHOST"]);

solution_fausse!(sans_reutilisation_d_adresse: "tp12-sans-reutilisation-d-adresse",
    tp12::serveur_4_redemarrage, "serveur · étape 4 — relancé aussitôt sur le même port",
    ["TIME_WAIT", "SO_REUSEADDR"]);

solution_fausse!(oublie_le_depart: "tp12-oublie-le-depart",
    tp12::serveur_4_un_client, "serveur · étape 4 — un client, de l'arrivée au départ",
    ["Client parti : 127.0.0.1:"]);

solution_fausse!(fin_en_prefixe: "tp12-fin-en-prefixe",
    tp12::serveur_4_un_client, "serveur · étape 4 — un client, de l'arrivée au départ",
    ["Un dernier verre", "« finale »"]);

solution_fausse!(limite_decalee: "tp12-limite-decalee",
    tp12::serveur_4_ligne_de_1024_octets, "serveur · étape 4 — une ligne de 1024 octets tout juste",
    ["1023 octets et son « \\n »", "pas 1023"]);

solution_fausse!(sans_delai_d_inactivite: "tp12-sans-delai-d-inactivite",
    tp12::serveur_4_inactivite, "serveur · étape 4 — --inactivite : le client muet est congédié",
    ["Lancé avec --inactivite 1", "set_read_timeout"]);

solution_fausse!(panique_port_pris: "tp12-panique-port-pris",
    tp12::serveur_1_port_pris, "serveur · étape 1 — port déjà pris",
    ["Une autre socket écoute déjà sur le port", "a paniqué au lieu d'expliquer le problème",
     "ne faites pas unwrap() sur un appel réseau"]);

solution_fausse!(client_sans_serveur_code_0: "tp12-client-sans-serveur-code-0",
    tp12::client_1_sans_serveur, "client · étape 1 — aucun bar à l'écoute",
    ["Personne n'écoute sur le port", "s'est terminé avec le code 0, comme si tout allait bien",
     "ExitCode::FAILURE"]);

variante_correcte!(correct_pool_atomique: "tp12-correct-pool-atomique", TP12);

variante_correcte!(correct_std_fil_par_client: "tp12-correct-std-fil-par-client", TP12);

// ─── Les entrées invalides : un message clair en français, jamais de panique ───

use std::net::TcpListener;

use correcteur::reseau;

#[test]
fn mauvais_arguments_code_64_et_usage_en_francais() {
    // main.rs est fourni à l'étudiant : le squelette et le corrigé se comportent pareil.
    for binaire in ["tp12", "tp12-corrige"] {
        let cas: [&[&str]; 10] = [
            &[],
            &["inconnu"],
            &["serveur", "pas-un-port"],
            &["serveur", "1664", "--max-clients", "0"],
            &["serveur", "--max-clients", "beaucoup"],
            &["serveur", "--max-clients"],
            &["serveur", "1664", "--inconnue"],
            &["serveur", "--inactivite", "0"],
            &["serveur", "1664", "--inactivite"],
            &["client", "localhost", "1", "de-trop"],
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
                .any(|l| l.contains("--max-clients") && l.contains("--inactivite"))
        );
    }
}

#[test]
fn corrige_port_deja_pris() {
    let occupant = TcpListener::bind((reseau::BOUCLE_LOCALE, 0)).expect("bind");
    let port = occupant.local_addr().expect("adresse").port().to_string();
    let (code, erreurs, _) = executer("tp12-corrige", &["serveur", &port]);
    assert_eq!(code, Some(1));
    assert!(
        erreurs.contains(&format!("impossible d'attacher la socket au port {port}")),
        "{erreurs}"
    );
    assert!(!erreurs.contains("panicked"), "{erreurs}");
}

#[test]
fn corrige_client_sans_serveur() {
    let (_reserve, port) = reseau::port_sans_serveur().expect("réservation");
    let (code, erreurs, _) = executer("tp12-corrige", &["client", "127.0.0.1", &port.to_string()]);
    assert_eq!(code, Some(1));
    assert!(erreurs.contains("le bar est-il ouvert ?"), "{erreurs}");
    assert!(!erreurs.contains("panicked"), "{erreurs}");
}
