//! Chaque solution fausse du catalogue enfreint sa règle, et elle seule.
//!
//! `tests/tpNN.rs` prouve qu'une solution fausse est refusée à l'étape
//! prévue. Ce test-ci regarde les autres : il passe la solution fausse à
//! toutes les étapes de son rôle (serveur, client, pair… : celui des étapes
//! où `tests/tpNN.rs` la met à l'épreuve) et exige que chaque étape ratée
//! nomme la règle que le programme déclare enfreindre (« Règle enfreinte :
//! Rn »). Une étape qui en nomme une autre montre soit un programme qui fait
//! deux erreurs, soit une étape qui attribue un défaut à la mauvaise règle.
//!
//! Les étapes « croisées » (`croise_…`) lancent le même binaire dans les deux
//! rôles ; un programme du catalogue n'en joue qu'un : elles ne comptent que
//! pour un TP à un seul rôle (TP11, deux pairs).
//!
//! Long (chaque solution fausse passe une vingtaine d'étapes) : ignoré par
//! `cargo test`, lancé par `.ci/run` :
//! `cargo test --test une_seule_regle -- --ignored`.

#[macro_use]
#[allow(dead_code, unused_macros)]
mod commun;

use commun::regles::{self, Nature};
use correcteur::resolution::Ordre;
use std::collections::BTreeSet;

/// Les étapes qu'une solution fausse rate sans que le correcteur puisse y
/// reconnaître sa règle : (binaire, étape, pourquoi). Une ligne n'est admise
/// que si l'observation de l'étape ne peut pas distinguer cette erreur d'une
/// autre ; une ligne qui ne sert plus (l'étape réussit, ou nomme la règle) est
/// signalée.
const CONSEQUENCES: &[(&str, &str, &str)] = &[
    (
        "tp11-garde-les-adresses-ipv4",
        "pair_2_ordre_des_adresses",
        "avec « localhost » (::1 puis 127.0.0.1), écarter ::1 (R12) ou ranger 127.0.0.1 en \
         premier (R13, tp11-prefere-ipv4) donnent la même socket sur 127.0.0.1 : l'étape ne voit \
         que l'adresse gardée, pas la liste que le programme a jetée ; pair_2_ipv6 nomme R12",
    ),
    (
        "tp10-client-toujours-ipv4",
        "client_2_chaque_adresse",
        "sa socket IPv4 ne sait pas écrire à ::1 : l'envoi échoue sur place et, comme R18 le \
         demande, le client passe à 127.0.0.1 ; du réseau, rien n'arrive sur [::1], comme pour un \
         client qui saute ::1 (R18, tp10-client-prefere-ipv4) ; client_1_ipv6 nomme R17",
    ),
    (
        "tp09-client-port-par-defaut",
        "client_1_ipv6",
        "le client vise toujours le port 65432 : il ne joint pas le serveur IPv6 du correcteur, \
         et l'étape, qui ne voit qu'un client arrêté sans s'être connecté, ne peut pas savoir si \
         c'est le port ou la famille d'adresses qui manque",
    ),
    (
        "tp14-client-port-ignore",
        "client_1_ipv6",
        "comme tp09-client-port-par-defaut : le client ne joint pas le serveur IPv6 du \
         correcteur, et l'étape ne peut pas savoir si c'est le port ou la famille qui manque",
    ),
    (
        "tp14-crc-sans-la-longueur",
        "serveur_7_ecriture_du_journal_impossible",
        "un serveur qui calcule le CRC-32 autrement refuse, au démarrage, le journal valide que \
         l'étape a écrit : elle voit un serveur arrêté avant d'écouter",
    ),
    (
        "tp14-crc-sans-la-longueur",
        "serveur_7_journal_abime",
        "même cause : aucun enregistrement écrit par le correcteur n'a le CRC-32 qu'attend ce \
         serveur ; il refuse dès le premier, pas au n° 2",
    ),
    (
        "tp14-crc-sans-la-longueur",
        "serveur_7_journal_dechire",
        "même cause : le journal valide écrit par l'étape est refusé au démarrage",
    ),
    (
        "tp14-recu-avant-fsync",
        "serveur_7_ecriture_du_journal_impossible",
        "les votes restent dans un tampon du processus : l'écriture qui devait échouer (EFBIG) \
         n'a pas lieu avant le reçu ; c'est ce que R11 interdit, vu depuis une autre étape",
    ),
    (
        "tp14-sans-verrou",
        "serveur_6_meme_jeton",
        "le verrou unique protège à la fois le compte (R8) et le jeton (R9) : sans lui, vingt \
         votes simultanés du même jeton passent aussi",
    ),
    (
        "tp15-verrou-pendant-l-attente",
        "serveur_3_client_qui_ne_lit_pas",
        "le client gourmand, arrivé le premier, garde le verrou : le client pressé n'est jamais \
         servi. C'est ce que l'étape voit d'un bar dont le client qui ne lit pas gêne les autres \
         (R6 : « ne gêne personne ») ; les deux bars annoncent le pressé et se taisent. \
         serveur_3_client_silencieux nomme R4",
    ),
    (
        "tp12-une-lecture-par-commande",
        "serveur_4_fin_de_flux_sans_fin",
        "un read() pris pour une commande sert aussi le bout de ligne envoyé juste avant la fin \
         du flux : le serveur répond « vous m'avez demandé : Et un dernier ver… », les octets \
         mêmes qu'enverrait un serveur qui lit par lignes mais sert ce dernier bout (R6) ; l'étape \
         ne voit que ces octets",
    ),
];

/// Le rôle d'une étape : ce qui précède son numéro (`serveur_4_un_client` →
/// `serveur`), ou `croise` pour une étape croisée (`croise_deux_pairs`).
fn role(etape: &str) -> &str {
    let mut fin: usize = 0;
    for mot in etape.split('_') {
        if mot.parse::<u32>().is_ok() {
            return &etape[..fin.saturating_sub(1)];
        }
        fin += mot.len() + 1;
    }
    "croise"
}

/// Les rôles que joue une solution fausse : ceux des étapes où
/// `tests/tpNN.rs` la met à l'épreuve (`solution_fausse!(…: "binaire",
/// tpNN::etape, …)`). Une règle peut couvrir deux rôles (« rien d'autre ne
/// circule ») ; le programme, lui, n'en joue qu'un. Les étapes croisées ne
/// comptent que pour un TP à un seul rôle.
fn roles_joues(tp: &str, binaire: &str, etapes: &[&'static str]) -> BTreeSet<&'static str> {
    let preuves = std::fs::read_to_string(regles::racine().join(format!("tests/{tp}.rs")))
        .unwrap_or_else(|e| panic!("tests/{tp}.rs illisible : {e}"));
    let chemin = format!("{tp}::");
    let mut roles = BTreeSet::new();
    for (debut, _) in preuves.match_indices(&format!("\"{binaire}\"")) {
        let Some(decalage) = preuves[debut..].find(&chemin) else {
            continue;
        };
        let reste = &preuves[debut + decalage + chemin.len()..];
        let fin = reste
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(reste.len());
        if let Some(nom) = etapes.iter().find(|e| **e == &reste[..fin]) {
            roles.insert(role(nom));
        }
    }
    let du_tp: BTreeSet<&str> = etapes
        .iter()
        .map(|e| role(e))
        .filter(|r| *r != "croise")
        .collect();
    if du_tp.len() == 1 && roles.iter().any(|r| du_tp.contains(r)) {
        roles.insert("croise");
    } else {
        roles.remove("croise");
    }
    roles
}

fn une_seule_regle(tp: &str) {
    // Une étape qui ne peut pas juger ici (pas de bubblewrap pour choisir la
    // résolution de noms) réussit sans rien conclure : une exception sur
    // elle passerait pour inutile. Le test demande donc une machine où tout
    // se juge.
    if let Err(raison) = correcteur::resolution::Resolution::preparer(Ordre::Ipv6DAbord) {
        panic!("{tp} : ce test demande une machine où toutes les étapes jugent : {raison}");
    }
    let etapes = correcteur::etapes::du_tp(tp)
        .unwrap_or_else(|| panic!("{tp} : pas de liste d'étapes dans correcteur::etapes"));
    let mut problemes: Vec<String> = Vec::new();
    let mut programmes = 0;
    let mut passages = 0;
    for programme in regles::du_catalogue(tp) {
        let Ok(Nature::Enfreint(id)) = &programme.nature else {
            continue;
        };
        let noms: Vec<&'static str> = etapes.iter().map(|(nom, _)| *nom).collect();
        let roles = roles_joues(tp, &programme.binaire, &noms);
        if roles.is_empty() {
            problemes.push(format!(
                "{} : aucune preuve dans tests/{tp}.rs ne dit quel rôle il joue",
                programme.binaire
            ));
        }
        let chemin = commun::binaire(&programme.binaire);
        programmes += 1;
        for (nom, etape) in etapes {
            if !roles.contains(role(nom))
                || correcteur::etapes::non_verifiable_ici(tp, nom).is_some()
            {
                continue;
            }
            passages += 1;
            let admise = CONSEQUENCES
                .iter()
                .any(|(b, e, _)| *b == programme.binaire && e == nom);
            let nomme = match correcteur::verifier(*etape, &chemin) {
                Ok(()) => None,
                Err(diagnostic) => {
                    let texte = diagnostic.to_string();
                    Some((texte.contains(&format!("Règle enfreinte : {id} ")), texte))
                }
            };
            if admise {
                if !matches!(nomme, Some((false, _))) {
                    problemes.push(format!(
                        "{} : l'exception pour `{nom}` ne sert plus (l'étape réussit ou nomme {id})",
                        programme.binaire
                    ));
                }
                continue;
            }
            if let Some((false, texte)) = nomme {
                problemes.push(format!(
                    "{} (enfreint {id}) rate aussi `{nom}`, qui ne nomme pas {id} :\n{texte}",
                    programme.binaire
                ));
            }
        }
    }
    eprintln!("{tp} : {programmes} solutions fausses, {passages} passages d'étape");
    assert!(
        problemes.is_empty(),
        "{tp} : {} étape(s) ratée(s) pour une autre règle que celle enfreinte :\n\n{}",
        problemes.len(),
        problemes.join("\n\n")
    );
}

macro_rules! tp {
    ($($tp:ident),*) => {$(
        #[test]
        #[ignore = "long : chaque solution fausse passe toutes les étapes de son rôle (.ci/run)"]
        fn $tp() {
            une_seule_regle(stringify!($tp));
        }
    )*};
}

tp!(tp08, tp09, tp10, tp11, tp12, tp13, tp14, tp15);

#[test]
fn role_d_une_etape() {
    assert_eq!(role("serveur_4_un_client"), "serveur");
    assert_eq!(role("pair_2_port_pris"), "pair");
    assert_eq!(role("croise_client_et_serveur"), "croise");
}
