//! Le correcteur du TP15 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue (une faute de l'asynchrone chacune)
//!   échoue à l'étape prévue, avec un diagnostic qui nomme la règle ;
//! - deux variantes correctes, écrites autrement que le corrigé (un seul
//!   thread et sans BufReader ; un écrivain nourri par un canal borné),
//!   passent toutes les étapes.
//!
//! La plupart des étapes reprennent celles des TP12 et TP13 : un serveur
//! tokio est jugé par les mêmes contrôles qu'un serveur à threads ou à
//! boucle d'événements.

#[macro_use]
mod commun;

use std::net::TcpListener;

use commun::{echec, executer, refuse_avec_usage, reussite, sans_panique, verifier};
use correcteur::{reseau, tp15};

#[test]
fn squelette_echoue_a_l_etape_1() {
    verifier(
        &echec("tp15", tp15::serveur_1_ecoute),
        "TP15 · serveur · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

/// Un étudiant qui a fini les étapes 1 et 2 les voit vertes, même si
/// chaque tâche s'arrête aussitôt sur le `todo!()` de l'étape 3.
#[test]
fn etapes_1_et_2_seulement_reussissent_les_etapes_1_et_2() {
    reussite("tp15-etape-2-seulement", tp15::serveur_1_ecoute);
    reussite("tp15-etape-2-seulement", tp15::serveur_2_accueil);
    verifier(
        &echec("tp15-etape-2-seulement", tp15::serveur_3_commandes),
        "TP15 · serveur · étape 3",
        &["not yet implemented: Étape 3"],
    );
}

solution_fausse!(ecoute_partout: "tp15-ecoute-partout",
    tp15::serveur_1_ecoute, "serveur · étape 1 — le bar écoute sur 127.0.0.1",
    ["0.0.0.0", "toutes les interfaces"]);

solution_fausse!(accueil_muet: "tp15-accueil-muet",
    tp15::serveur_2_accueil, "serveur · étape 2 — accueil",
    ["attendu : \"Client connecté : 127.0.0.1:"]);

solution_fausse!(fin_de_flux_commande_vide: "tp15-fin-de-flux-commande-vide",
    tp15::serveur_3_fin_de_flux_sans_fin, "serveur · étape 3 — fin de flux sans « fin »",
    ["vous m'avez demandé :  bien reçu"]);

solution_fausse!(verrou_pendant_l_attente: "tp15-verrou-pendant-l-attente",
    tp15::serveur_3_client_silencieux,
    "serveur · étape 3 — un client silencieux ne retarde pas les autres",
    ["verrou gardé pendant un .await"]);

solution_fausse!(appel_bloquant: "tp15-appel-bloquant",
    tp15::serveur_3_cent_clients_silencieux,
    "serveur · étape 3 — cent clients silencieux ne figent pas le bar",
    ["clients silencieux", "spawn_blocking"]);

solution_fausse!(sans_contre_pression: "tp15-sans-contre-pression",
    tp15::serveur_3_client_qui_ne_lit_pas,
    "serveur · étape 3 — un client qui ne lit pas ses réponses",
    ["canal sans limite"]);

solution_fausse!(une_tache_par_ligne: "tp15-une-tache-par-ligne",
    tp15::serveur_3_reponses_dans_l_ordre,
    "serveur · étape 3 — les réponses dans l'ordre des commandes",
    ["n'est pas celle de « commande n°", "elle répond à la commande n°", "une tâche par ligne"]);

solution_fausse!(attente_active: "tp15-attente-active",
    tp15::serveur_3_processeur_au_repos, "serveur · étape 3 — au repos, le processeur aussi",
    ["yield_now"]);

solution_fausse!(sans_limite: "tp15-sans-limite",
    tp15::serveur_4_limite_de_clients, "serveur · étape 4 — au plus N clients à la fois",
    ["bar complet"]);

solution_fausse!(sans_arret_propre: "tp15-sans-arret-propre",
    tp15::serveur_5_arret_propre, "serveur · étape 5 — Ctrl+C ferme le bar proprement",
    ["tué par le signal 2", "tokio::signal::ctrl_c()"]);

variante_correcte!(correct_un_seul_thread: "tp15-correct-un-seul-thread", TP15);

variante_correcte!(correct_canal_borne: "tp15-correct-canal-borne", TP15);

#[test]
fn mauvais_arguments_code_64_et_usage_en_francais() {
    // main.rs est fourni à l'étudiant : le squelette et le corrigé se comportent pareil.
    for binaire in ["tp15", "tp15-corrige"] {
        let cas: [&[&str]; 7] = [
            &[],
            &["inconnu"],
            &["client"],
            &["serveur", "70000"],
            &["serveur", "1664", "--max-clients", "0"],
            &["serveur", "--max-clients"],
            &["serveur", "1664", "--inconnue"],
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
                .any(|l| l.contains("Ctrl+C"))
        );
    }
}

#[test]
fn corrige_port_deja_pris() {
    let occupant = TcpListener::bind((reseau::BOUCLE_LOCALE, 0)).expect("bind");
    let port = occupant.local_addr().expect("adresse").port().to_string();
    let (code, erreurs, _) = executer("tp15-corrige", &["serveur", &port]);
    assert_eq!(code, Some(1));
    assert!(
        erreurs.contains(&format!("impossible d'attacher la socket au port {port}")),
        "{erreurs}"
    );
    sans_panique(&erreurs);
}
