//! Le correcteur du TP09 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue échoue à l'étape prévue, avec le
//!   diagnostic prévu.
//!
//! (Le corrigé, lui, passe toutes les étapes : ce sont les tests du paquet
//! `tp09-corrige`, lancés par le même `cargo test`.)

mod commun;

use correcteur::{Verification, tp09};

/// Lance une étape sur un binaire et rend son diagnostic, qui doit exister.
fn echec(binaire: &str, etape: Verification) -> String {
    match etape(&commun::binaire(binaire)) {
        Ok(()) => panic!("{binaire} passe l'étape alors qu'il devrait échouer"),
        Err(diagnostic) => diagnostic.to_string(),
    }
}

fn verifier(diagnostic: &str, titre: &str, extraits: &[&str]) {
    let premiere = diagnostic.lines().next().unwrap_or_default();
    assert!(
        premiere.contains(titre),
        "titre inattendu : « {premiere} », attendu « {titre} »\n{diagnostic}"
    );
    for extrait in extraits {
        assert!(
            diagnostic.contains(extrait),
            "le diagnostic ne contient pas « {extrait} » :\n{diagnostic}"
        );
    }
}

#[test]
fn squelette_serveur_echoue_a_l_etape_1() {
    verifier(
        &echec("tp09", tp09::serveur_1_ecoute),
        "TP09 · serveur · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

#[test]
fn squelette_client_echoue_a_l_etape_1() {
    verifier(
        &echec("tp09", tp09::client_1_connexion),
        "TP09 · client · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

/// Une solution fausse du catalogue : son binaire, l'étape qu'elle doit
/// rater, le titre de cette étape et ce que le diagnostic doit dire.
macro_rules! solution_fausse {
    ($test:ident : $binaire:literal, $etape:path, $titre:literal, [$($extrait:literal),+ $(,)?]) => {
        #[test]
        fn $test() {
            verifier(&echec($binaire, $etape), $titre, &[$($extrait),+]);
        }
    };
}

solution_fausse!(une_seule_lecture: "tp09-une-seule-lecture",
    tp09::serveur_3_lignes_octet_par_octet, "serveur · étape 3 — deux lignes reçues octet par octet",
    ["reçu    : \"B\"", "premier octet différent (octet 2)", "flux d'octets"]);

solution_fausse!(bufreader_a_chaque_ligne: "tp09-bufreader-a-chaque-ligne",
    tp09::serveur_3_lignes_d_un_bloc, "serveur · étape 3 — deux lignes reçues d'un seul bloc",
    ["attendu : \"Serveur ", "je vous dis au revoir\"", "un seul BufReader"]);

solution_fausse!(port_en_dur: "tp09-port-en-dur",
    tp09::serveur_2_bienvenue, "serveur · étape 2 — message de bienvenue",
    ["reçu    : \"Bonjour Client, je suis le serveur 65432,", "premier octet différent (octet 3", "port"]);

solution_fausse!(lit_avant_bienvenue: "tp09-lit-avant-bienvenue",
    tp09::serveur_2_bienvenue, "serveur · étape 2 — message de bienvenue",
    ["interblocage", "avant toute lecture"]);

solution_fausse!(oublie_le_retour_a_la_ligne: "tp09-oublie-le-retour-a-la-ligne",
    tp09::client_3_envoi, "client · étape 3 — envoi des deux lignes",
    ["transfertServeur", "se termine par « \\n »"]);

solution_fausse!(client_une_seule_lecture: "tp09-client-une-seule-lecture",
    tp09::client_2_bienvenue, "client · étape 2 — réception de la bienvenue en plusieurs morceaux",
    ["reçu    : \"Bonjour Client", "trois morceaux"]);

solution_fausse!(client_ne_ferme_pas: "tp09-client-ne-ferme-pas",
    tp09::client_4_fermeture, "client · étape 4 — fermeture de la connexion",
    ["n'a pas fermé la connexion", "fin de flux"]);

solution_fausse!(panique_sans_serveur: "tp09-panique-sans-serveur",
    tp09::client_1_sans_serveur, "client · étape 1 — aucun serveur à l'écoute",
    ["a paniqué", "unwrap()"]);
