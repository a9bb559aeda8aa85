//! L'échange observé, montré par les diagnostics d'échec (module
//! `correcteur::echange`) : pour quelques échecs typiques, le diagramme dit
//! ce qui s'est réellement passé, dans l'ordre.

#[macro_use]
#[allow(dead_code, unused_macros)]
mod commun;

use commun::echec;
use correcteur::{tp08, tp09, tp10, tp12};

/// Les lignes du diagramme (après « L'échange observé »).
fn diagramme(diagnostic: &str) -> Vec<&str> {
    diagnostic
        .lines()
        .skip_while(|l| !l.contains("L'échange observé (temps depuis le début de l'étape) :"))
        .skip(1)
        .collect()
}

/// Vrai si les extraits apparaissent dans cet ordre, chacun sur sa ligne.
fn dans_l_ordre(lignes: &[&str], extraits: &[&[&str]]) -> bool {
    let mut reste = lignes.iter();
    extraits
        .iter()
        .all(|morceaux| reste.any(|l| morceaux.iter().all(|m| l.contains(m))))
}

fn verifier_diagramme(diagnostic: &str, extraits: &[&[&str]]) {
    let lignes = diagramme(diagnostic);
    assert!(
        !lignes.is_empty() && dans_l_ordre(&lignes, extraits),
        "diagramme inattendu, il fallait dans l'ordre {extraits:?} :\n{diagnostic}"
    );
    for ligne in &lignes {
        assert!(
            ligne.trim_start().starts_with('+') || ligne.contains("omis"),
            "{ligne}"
        );
    }
}

/// Le serveur attend qu'on lui parle : le diagramme montre la connexion,
/// puis le silence.
#[test]
fn silence() {
    verifier_diagramme(
        &echec("tp09-lit-avant-bienvenue", tp09::serveur_2_bienvenue),
        &[
            &[
                "+",
                "correcteur → serveur",
                "A connexion établie (127.0.0.1:",
            ],
            &["(rien)", "A le serveur n'a rien envoyé de plus en 2000 ms"],
        ],
    );
}

/// Des octets faux : la ligne reçue, échappée, avec son nombre d'octets.
#[test]
fn octets_faux() {
    verifier_diagramme(
        &echec("tp09-port-en-dur", tp09::serveur_2_bienvenue),
        &[
            &["correcteur → serveur", "connexion établie"],
            &[
                "serveur → correcteur",
                "\"Bonjour Client, je suis le serveur 65432,",
                "(68 octets)",
            ],
        ],
    );
}

/// Le serveur ferme trop tôt et s'arrête : la fin de flux, puis son code.
#[test]
fn fermeture_prematuree() {
    verifier_diagramme(
        &echec("tp12-meurt-sur-un-reset", tp12::serveur_4_reinitialisation),
        &[
            &["correcteur → serveur", "A connexion établie"],
            &["correcteur → serveur", "B connexion établie"],
            &["serveur → correcteur", "fin de flux (le serveur a fermé)"],
            &["serveur", "s'est arrêté (code 1)"],
        ],
    );
}

/// UDP : chaque datagramme avec sa source et sa destination ; l'intrus
/// écrit d'un autre port que le serveur, et avant lui.
#[test]
fn udp_d_une_autre_source() {
    let diagnostic = echec(
        "tp10-client-accepte-tout-le-monde",
        tp10::client_4_datagramme_etranger,
    );
    verifier_diagramme(
        &diagnostic,
        &[
            &[
                "programme → correcteur",
                "datagramme 127.0.0.1:",
                "réponds-moi",
            ],
            &[
                "correcteur → programme",
                "datagramme 127.0.0.1:",
                "[00 00 10 92]",
            ],
            &[
                "correcteur → programme",
                "datagramme 127.0.0.1:",
                "(4 octets, en hexadécimal)",
            ],
        ],
    );
    // Les deux réponses partent de deux ports différents.
    let sources: Vec<&str> = diagramme(&diagnostic)
        .into_iter()
        .filter(|l| l.contains("correcteur → programme"))
        .filter_map(|l| l.split("datagramme ").nth(1)?.split(' ').next())
        .collect();
    assert!(
        sources.len() >= 2 && sources[0] != sources[1],
        "{sources:?}\n{diagnostic}"
    );
}

/// Une socket locale (TP08) : la connexion à son chemin, l'octet envoyé,
/// l'octet reçu en retour (le même, au lieu du suivant), dans l'ordre.
#[test]
fn socket_locale() {
    verifier_diagramme(
        &echec("tp08-renvoie-le-meme-octet", tp08::serveur_3_cinq_clients),
        &[
            &[
                "correcteur → serveur",
                "A connexion établie (socket locale ",
            ],
            &["correcteur → serveur", "A \"A\" (1 octet)"],
            &["serveur → correcteur", "A \"A\" (1 octet)"],
        ],
    );
}
