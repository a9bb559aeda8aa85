//! Le correcteur du TP13 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue échoue à l'étape prévue, avec le
//!   diagnostic prévu ;
//! - le corrigé du TP12 (un thread par client) est refusé par l'étape du
//!   thread unique, et les contrôles repris du TP12 ne parlent plus de threads.
//!
//! (Le corrigé, lui, passe toutes les étapes : ce sont les tests du paquet
//! `tp13-corrige`, lancés par le même `cargo test`.)

#[macro_use]
mod commun;

use commun::{echec, executer, refuse_avec_usage, verifier};
use correcteur::tp13;

#[test]
fn squelette_echoue_a_l_etape_1() {
    verifier(
        &echec("tp13", tp13::serveur_1_ecoute),
        "TP13 · serveur · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

solution_fausse!(socket_de_service_bloquante: "tp13-socket-de-service-bloquante",
    tp13::serveur_2_accueil, "serveur · étape 2 — accueil : accepter sans attendre personne",
    ["la socket de service du client n°1 (descripteur", "est en mode bloquant",
     "pas d'O_NONBLOCK dans /proc/", "set_nonblocking(true)"]);

/// La même socket bloquante, vue de l'étape 3 : le diagnostic dit où le
/// seul thread est bloqué.
#[test]
fn socket_de_service_bloquante_fige_le_bar() {
    verifier(
        &echec(
            "tp13-socket-de-service-bloquante",
            tp13::serveur_3_commandes,
        ),
        "TP13 · serveur · étape 3 — des commandes de deux clients, entremêlées",
        &[
            "Le client A a commandé « Une bière » et n'a reçu aucune réponse en 2 s",
            "le seul thread du serveur est bloqué dans recv() sur son descripteur",
            "la socket de service du client A",
            "un seul appel bloquant fige tout le serveur",
        ],
    );
}

solution_fausse!(ecriture_supposee_complete: "tp13-ecriture-supposee-complete",
    tp13::serveur_6_client_qui_ne_lit_pas,
    "serveur · étape 6 — un client qui ne lit pas ses réponses",
    ["Le client gourmand lit enfin ses réponses", "attendu : ",
     "write() peut n'accepter qu'une partie des octets", "WRITABLE"]);

solution_fausse!(tampon_de_sortie_sans_limite: "tp13-tampon-de-sortie-sans-limite",
    tp13::serveur_6_client_qui_ne_lit_pas,
    "serveur · étape 6 — un client qui ne lit pas ses réponses",
    ["et le serveur n'a jamais cessé de les lire", "la mémoire du serveur a grossi de",
     "VmRSS", "contre-pression"]);

solution_fausse!(pause_sans_reprise: "tp13-pause-sans-reprise",
    tp13::serveur_6_client_qui_ne_lit_pas,
    "serveur · étape 6 — un client qui ne lit pas ses réponses",
    ["plus rien n'arrive pendant 2 s", "le serveur dort dans epoll_wait()",
     "reprendre sa lecture dès que sa sortie repasse sous la limite"]);

solution_fausse!(jeton_du_nombre_de_clients: "tp13-jeton-du-nombre-de-clients",
    tp13::serveur_3_jetons_uniques, "serveur · étape 3 — un jeton par client présent",
    ["Un kir", "compteur qui ne fait que croître"]);

solution_fausse!(garde_les_clients_partis: "tp13-garde-les-clients-partis",
    tp13::serveur_4_descripteurs, "serveur · étape 4 — cent sessions, aucune socket oubliée",
    ["Après 100 sessions terminées", "ses sockets de service ne sont pas fermées",
     "shutdown() termine l'échange, mais ne rend pas le descripteur"]);

solution_fausse!(attente_active: "tp13-attente-active",
    tp13::serveur_7_processeur_au_repos, "serveur · étape 7 — au repos, le processeur aussi",
    ["prêt à y retourner", "il tourne à vide au lieu de dormir",
     "Some(Duration::ZERO)", "attente active"]);

solution_fausse!(reveil_toutes_les_2_ms: "tp13-reveil-toutes-les-2-ms",
    tp13::serveur_7_processeur_au_repos, "serveur · étape 7 — au repos, le processeur aussi",
    ["s'est endormi puis réveillé", "il regarde l'heure", "la prochaine échéance réelle"]);

solution_fausse!(un_accept_par_evenement: "tp13-un-accept-par-evenement",
    tp13::serveur_5_mille_clients, "serveur · étape 5 — mille clients connectés ensemble",
    ["Le client n°2 a commandé", "le serveur suspendu",
     "Le serveur n'en a accepté que 1 (lignes « Client connecté »",
     "appelez accept() en boucle jusqu'à WouldBlock"]);

solution_fausse!(un_thread_par_client: "tp13-un-thread-par-client",
    tp13::serveur_5_un_seul_thread, "serveur · étape 5 — un seul thread pour tous les clients",
    ["le serveur compte 6 threads (/proc/", "un thread par client, c'était le TP12"]);

/// Le corrigé du TP12 (un thread par client) n'est pas un programme du
/// catalogue : il suit les règles du TP12, et enfreint R6 du TP13.
#[test]
fn corrige_du_tp12() {
    verifier(
        &echec("tp12-corrige", tp13::serveur_5_un_seul_thread),
        "TP13 · serveur · étape 5 — un seul thread pour tous les clients",
        &[
            "le serveur compte 6 threads",
            "« exécutant 127. » ×5",
            "Règle enfreinte : R6",
        ],
    );
}

solution_fausse!(ecoute_sur_toutes_les_interfaces: "tp13-ecoute-sur-toutes-les-interfaces",
    tp13::serveur_1_ecoute, "serveur · étape 1 — écoute non bloquante sur le port donné",
    ["à l'adresse 0.0.0.0", "Ipv4Addr::LOCALHOST"]);

solution_fausse!(sans_reutilisation_d_adresse: "tp13-sans-reutilisation-d-adresse",
    tp13::serveur_1_redemarrage, "serveur · étape 1 — relancé aussitôt sur le même port",
    ["TIME_WAIT", "set_reuse_address(true)"]);

solution_fausse!(fin_en_prefixe: "tp13-fin-en-prefixe",
    tp13::serveur_4_un_client, "serveur · étape 4 — un client, de l'arrivée au départ",
    ["Un dernier verre", "« finale »"]);

solution_fausse!(limite_decalee: "tp13-limite-decalee",
    tp13::serveur_4_ligne_de_1024_octets,
    "serveur · étape 4 — une ligne de 1024 octets tout juste, puis de 1025",
    ["1023 octets et son « \\n »"]);

solution_fausse!(sans_limite_de_clients: "tp13-sans-limite-de-clients",
    tp13::serveur_8_limite_de_clients, "serveur · étape 8 — --max-clients : bar complet",
    ["--max-clients 3", "attendu : \"bar complet, revenez plus tard\\n\""]);

solution_fausse!(sans_delai_d_inactivite: "tp13-sans-delai-d-inactivite",
    tp13::serveur_9_inactivite, "serveur · étape 9 — --inactivite : le client muet est congédié",
    ["Lancé avec --inactivite 1", "la prochaine échéance"]);

solution_fausse!(affiche_chaque_commande: "tp13-affiche-chaque-commande",
    tp13::serveur_3_journal_sans_commandes, "serveur · étape 3 — un journal sans les commandes",
    ["il les affiche aussi", "commande : Un chocolat chaud", "println! est une écriture bloquante"]);

solution_fausse!(port_pris_code_0: "tp13-port-pris-code-0",
    tp13::serveur_1_port_pris, "serveur · étape 1 — port déjà pris",
    ["Une autre socket écoute déjà sur le port", "s'est terminé avec le code 0, comme si tout allait bien",
     "[serveur · erreur] erreur : impossible d'écouter sur le port"]);

variante_correcte!(correct_reamorcage: "tp13-correct-reamorcage", TP13);

variante_correcte!(correct_poll_sur_niveau: "tp13-correct-poll-sur-niveau", TP13);

#[test]
fn les_controles_repris_du_tp12_ne_parlent_plus_de_threads() {
    let diagnostic = echec(
        "tp13-socket-de-service-bloquante",
        tp13::serveur_5_vingt_clients,
    );
    verifier(
        &diagnostic,
        "TP13 · serveur · étape 5 — vingt clients à la fois",
        &[
            "Le serveur a accepté le client n°1",
            "la boucle ne doit jamais attendre un client en particulier",
        ],
    );
    // Le seul thread dont il peut parler est celui du TP13 : l'unique thread
    // du serveur, que le correcteur a vu bloqué dans recv().
    let sans_le_blocage = diagnostic.replace("le seul thread du serveur est bloqué", "");
    for mot in ["thread", "exécutant", "Mutex"] {
        assert!(!sans_le_blocage.contains(mot), "« {mot} » :\n{diagnostic}");
    }
}

// ─── Les entrées invalides : un message clair en français, jamais de panique ───

use std::net::TcpListener;

use correcteur::reseau;

#[test]
fn mauvais_arguments_code_64_et_usage_en_francais() {
    // main.rs est fourni à l'étudiant : le squelette et le corrigé se comportent pareil.
    for binaire in ["tp13", "tp13-corrige"] {
        let cas: [&[&str]; 10] = [
            &[],
            &["inconnu"],
            &["client"],
            &["serveur", "pas-un-port"],
            &["serveur", "1664", "--max-clients", "0"],
            &["serveur", "--max-clients"],
            &["serveur", "1664", "--inconnue"],
            &["serveur", "1664", "de-trop"],
            &["serveur", "--inactivite", "0"],
            &["serveur", "1664", "--inactivite"],
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
    let (code, erreurs, _) = executer("tp13-corrige", &["serveur", &port]);
    assert_eq!(code, Some(1));
    assert!(
        erreurs.contains(&format!("impossible d'attacher la socket au port {port}")),
        "{erreurs}"
    );
    assert!(!erreurs.contains("panicked"), "{erreurs}");
}
