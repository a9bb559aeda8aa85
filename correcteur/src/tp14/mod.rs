//! TP14 — projet : application de vote (protocole binaire).
//!
//! Le correcteur parle le protocole du chapitre : il fabrique lui-même les
//! trames attendues ([`trames`]) et compare les réponses octet par octet.
//! Côté serveur, il prépare un scrutin (bulletin, électeurs, journal) dans
//! un dossier à lui, envoie des trames entières, fragmentées, collées,
//! tronquées ou absurdes, fait voter 200 électeurs à la fois, tue le
//! serveur (`kill -9`) et le relance sur le même journal. Côté client, il
//! joue un serveur de référence.

mod journal_en_echec;
mod redemarrage;
mod scrutin;
pub mod trames;

use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::etape::{Cote, DELAI_DEMARRAGE, DELAI_REPONSE, Etape, statut_en_clair};
use crate::processus::Programme;
use crate::reseau::{self, BOUCLE_LOCALE, Lecteur, LectureIncomplete, Raison, ServeurDeReference};
use scrutin::{OPTIONS, QUESTION, Scrutin, jeton, memoire_max};
use trames::code;

pub use journal_en_echec::serveur_7_ecriture_du_journal_impossible;
pub use redemarrage::serveur_5_redemarrage;

const TP: &str = "TP14";

/// Pause entre deux octets, dans les envois octet par octet.
const PAUSE_ENTRE_OCTETS: Duration = Duration::from_millis(1);
/// Nombre d'électeurs qui votent en même temps.
const FOULE: usize = 200;
/// Le temps laissé au serveur pour servir toute la foule (journal compris).
const DELAI_FOULE: Duration = Duration::from_secs(15);
/// Attente d'une trame de réponse. Un reçu suit l'écriture du journal et
/// son fsync, qui peut prendre plusieurs secondes sur un disque occupé (une
/// preuve sous charge a vu passer 2 s) ; l'attente s'arrête dès la trame
/// arrivée : elle ne coûte qu'à un programme qui ne répond pas.
const DELAI_TRAME: Duration = Duration::from_secs(10);
/// Croissance de mémoire tolérée pendant la trame de 4 Gio (en Kio).
const CROISSANCE_TOLEREE: u64 = 16 * 1024;
/// Charge envoyée à un serveur qui attend la suite d'une trame de 4 Gio.
const CHARGE_INSISTANTE: usize = 32 << 20;

fn serveur(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Serveur,
        numero,
        nom,
    }
}

fn client(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Client,
        numero,
        nom,
    }
}

// ─── Les gestes communs ────────────────────────────────────────────────────

/// La règle que vérifie une étape, pour les échecs qui n'en nomment pas
/// une plus précise à l'endroit de l'observation.
fn regle_par_defaut(
    resultat: Result<(), Diagnostic>,
    regle: &'static str,
) -> Result<(), Diagnostic> {
    resultat.map_err(|d| d.enfreint_par_defaut(regle))
}

fn nouveau_scrutin(etape: &Etape) -> Result<Scrutin, Diagnostic> {
    Scrutin::nouveau().map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu écrire les fichiers du scrutin : {e}."
        ))
    })
}

/// Attend que le serveur écoute sur `port`. Un serveur qui tourne sans
/// écouter là n'a pas pris le port reçu en argument : c'est R1 qu'il
/// enfreint, quelle que soit l'étape qui l'a lancé.
fn attendre_ecoute(etape: &Etape, programme: &mut Programme, port: u16) -> Result<(), Diagnostic> {
    etape.attendre_ecoute(programme, port).map_err(|d| {
        if programme.statut().is_none() {
            d.enfreint("R1")
        } else {
            d
        }
    })
}

/// Lance le serveur sur le scrutin et attend qu'il écoute.
fn demarrer(
    etape: &Etape,
    binaire: &Path,
    scrutin: &Scrutin,
) -> Result<(Programme, u16), Diagnostic> {
    let port = reseau::port_libre();
    let arguments = scrutin.arguments(port);
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let mut programme = etape.lancer(binaire, "serveur", &arguments)?;
    attendre_ecoute(etape, &mut programme, port)?;
    Ok((programme, port))
}

/// Un nouveau scrutin, son serveur, et une connexion à ce serveur.
fn serveur_connecte(
    etape: &Etape,
    binaire: &Path,
) -> Result<(Scrutin, Programme, u16, TcpStream), Diagnostic> {
    let scrutin = nouveau_scrutin(etape)?;
    let (mut programme, port) = demarrer(etape, binaire, &scrutin)?;
    let flux = etape.connecter(&mut programme, port)?;
    Ok((scrutin, programme, port, flux))
}

/// Envoie des octets, d'un bloc ou octet par octet.
fn envoyer(
    etape: &Etape,
    programme: &Programme,
    flux: &mut TcpStream,
    octets: &[u8],
    octet_par_octet: bool,
) -> Result<(), Diagnostic> {
    let envoi = if octet_par_octet {
        reseau::ecrire_en_morceaux(flux, octets, 1, PAUSE_ENTRE_OCTETS)
    } else {
        reseau::envoyer(flux, octets)
    };
    // Face au client de l'étudiant, le correcteur joue le serveur : ce qu'il
    // envoie est une réponse.
    let quoi = match etape.cote {
        Cote::Client => "sa réponse",
        _ => "sa requête",
    };
    envoi.map_err(|e| {
        etape.echec_de(
            programme,
            format!("Le correcteur n'a pas pu envoyer {quoi} : {e}."),
        )
    })
}

/// Lit une trame et la compare, octet par octet, à `attendue`. `quoi` dit
/// à quoi elle répond.
fn attendre_trame(
    etape: &Etape,
    programme: &Programme,
    flux: &mut TcpStream,
    attendue: &[u8],
    quoi: &str,
) -> Result<(), Diagnostic> {
    let qui = &programme.role;
    let (pourquoi, recue) = match trames::lire(flux, DELAI_TRAME) {
        Ok(recue) if recue == attendue => return Ok(()),
        Ok(recue) => (
            format!("{quoi} : la trame reçue n'est pas celle du protocole."),
            recue,
        ),
        Err(LectureIncomplete { recu, raison }) => {
            let pourquoi = match (raison, recu.is_empty()) {
                (Raison::Delai, true) => {
                    format!("{quoi} : rien reçu en {} s.", DELAI_TRAME.as_secs())
                }
                (Raison::Fin, true) => {
                    format!("{quoi} : le {qui} a fermé la connexion sans rien envoyer.")
                }
                // Fermée avant que la requête arrive, la socket du serveur
                // répond à celle-ci par un RST : c'est une fermeture aussi.
                (Raison::Erreur(e), true) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                    format!(
                        "{quoi} : le {qui} a fermé la connexion sans rien envoyer (réinitialisée \
                         par un RST : elle était déjà fermée de son côté)."
                    )
                }
                (Raison::Erreur(e), true) => format!("{quoi} : erreur de lecture : {e}."),
                _ => format!(
                    "{quoi} : trame incomplète, la longueur annoncée dans l'en-tête ne \
                     correspond pas aux octets envoyés."
                ),
            };
            (pourquoi, recu)
        }
    };
    let diagnostic = etape.echec_de(programme, pourquoi);
    let diagnostic = match etape.cote {
        Cote::Serveur => regle_de_la_reponse(diagnostic, attendue, &recue),
        _ => diagnostic,
    };
    Err(ecart_de_trame(diagnostic, attendue, recue))
}

/// La règle qu'enfreint une réponse fausse du serveur, d'après ce qu'elle
/// devait être, quelle que soit l'étape qui l'a demandée : un OPTIONS mal
/// formé, R3 ; un RECU au mauvais numéro, R4. (Une réponse absente ou d'un
/// autre type reste l'affaire de l'étape.)
fn regle_de_la_reponse(diagnostic: Diagnostic, attendue: &[u8], recue: &[u8]) -> Diagnostic {
    match (attendue.first(), recue.first()) {
        (Some(&trames::OPTIONS), Some(&trames::OPTIONS)) => diagnostic.enfreint("R3"),
        (Some(&trames::RECU), Some(&trames::RECU)) => diagnostic
            .indice("un RECU porte le rang du vote dans le journal, à partir de 1.")
            .enfreint("R4"),
        _ => diagnostic,
    }
}

const INDICE_PETIT_BOUTISTE: &str = "la longueur de l'en-tête est écrite en petit-boutiste : \
     le protocole veut l'ordre réseau, gros-boutiste (u32::to_be_bytes, u32::from_be_bytes).";

/// Le diagnostic d'une trame fausse : les deux suites d'octets, et ce que
/// l'écart suggère.
fn ecart_de_trame(mut diagnostic: Diagnostic, attendue: &[u8], recue: Vec<u8>) -> Diagnostic {
    if let (Some(attendues), Some(recues)) = (
        trames::voix_du_decompte(attendue),
        trames::voix_du_decompte(&recue),
    ) {
        diagnostic.explication += &format!(
            "\nVoix attendues : {attendues:?} ; voix reçues : {recues:?} (options 1 à {})",
            attendues.len()
        );
    }
    if recue.len() >= 5 && recue[1..5] != attendue[1..5] {
        let mut inverse = attendue[1..5].to_vec();
        inverse.reverse();
        // La longueur lue à l'envers vaut ce qu'on attendait, ou ce qui a
        // réellement suivi l'en-tête.
        if recue[1..5] == inverse[..] || trames::longueur_en_petit_boutiste(&recue) {
            diagnostic = diagnostic.regle("R2").indice(INDICE_PETIT_BOUTISTE);
        }
    }
    if let Some(&genre) = recue.first()
        && genre != attendue[0]
    {
        diagnostic = diagnostic.indice(format!(
            "le premier octet est le type de la trame : 0x{:02X} attendu, 0x{genre:02X} reçu.",
            attendue[0]
        ));
    }
    diagnostic.ecart(attendue, recue)
}

/// Envoie une requête et compare la réponse.
fn echanger(
    etape: &Etape,
    programme: &Programme,
    flux: &mut TcpStream,
    requete: &[u8],
    attendue: &[u8],
    quoi: &str,
) -> Result<(), Diagnostic> {
    envoyer(etape, programme, flux, requete, false)?;
    attendre_trame(etape, programme, flux, attendue, quoi)
}

/// Le décompte attendu après les votes donnés (numéros d'option à partir de 1).
fn decompte_de(votes: impl IntoIterator<Item = u16>) -> Vec<u8> {
    let mut voix = [0u32; OPTIONS.len()];
    for option in votes {
        voix[option as usize - 1] += 1;
    }
    trames::decompte(&OPTIONS, &voix)
}

/// Après un démarrage sur un journal écrit d'avance : un DECOMPTE qui donne
/// à chaque option le double des voix du journal montre un rejeu qui compte
/// chaque enregistrement deux fois (R13), quelle que soit l'étape.
fn rejeu_compte_double(diagnostic: Diagnostic) -> Diagnostic {
    let double = diagnostic.ecart.as_ref().is_some_and(|(attendue, recue)| {
        match (
            trames::voix_du_decompte(attendue),
            trames::voix_du_decompte(recue),
        ) {
            (Some(attendues), Some(recues)) => {
                attendues.iter().any(|&v| v > 0)
                    && attendues.len() == recues.len()
                    && attendues.iter().zip(&recues).all(|(a, r)| 2 * a == *r)
            }
            _ => false,
        }
    });
    if !double {
        return diagnostic;
    }
    diagnostic
        .indice(
            "chaque voix du journal compte deux fois : au démarrage, relisez le journal une \
             seule fois, et comptez chaque enregistrement une fois.",
        )
        .enfreint("R13")
}

const INDICE_DECOMPTE: &str = "DECOMPTE = 0x83, longueur, le nombre d'options (u16), puis pour \
     chacune son texte (u16 + UTF-8) et ses voix (u32), dans l'ordre du bulletin.";

// ─── Le serveur de l'étudiant ──────────────────────────────────────────────

/// Étape 1 : le serveur lit ses fichiers et écoute sur le port donné.
///
/// Un programme qui n'a fini que l'étape 1 annonce son port puis s'arrête
/// sur le `todo!()` de l'étape 2 : l'étape est acquise (voir
/// [`Etape::ecoute_au_demarrage`]).
pub fn serveur_1_ecoute(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_1_ecoute_observe(binaire), "R1")
}

fn serveur_1_ecoute_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "démarrage et écoute");
    let scrutin = nouveau_scrutin(&etape)?;
    let port = reseau::port_libre();
    let arguments = scrutin.arguments(port);
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let mut programme = etape.lancer(binaire, "serveur", &arguments)?;
    etape.ecoute_au_demarrage(&mut programme, port)?;
    crate::tp12::ecoute_sur_la_boucle_locale(
        &etape,
        &programme,
        port,
        "les jetons voyagent en clair et le serveur n'a aucune limite de débit : attachez la \
         socket à Ipv4Addr::LOCALHOST (127.0.0.1), pas à 0.0.0.0.",
    )
}

/// Étape 5 : LISTER → OPTIONS, exacte ; une seconde fois, requête envoyée
/// octet par octet sur la même connexion.
pub fn serveur_5_options(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_5_options_observe(binaire), "R3")
}

fn serveur_5_options_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(5, "liste des options (LISTER → OPTIONS)");
    let (_scrutin, programme, _, mut flux) = serveur_connecte(&etape, binaire)?;
    let attendue = trames::options(QUESTION, &OPTIONS);
    let indice = "OPTIONS = 0x81, longueur de la charge (u32 gros-boutiste), puis la question \
                  (u16 + UTF-8), le nombre d'options (u16) et chaque option (u16 + UTF-8).";
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::lister(),
        &attendue,
        "Réponse à LISTER",
    )
    .map_err(|d| d.indice(indice))?;
    envoyer(&etape, &programme, &mut flux, &trames::lister(), true)?;
    attendre_trame(
        &etape,
        &programme,
        &mut flux,
        &attendue,
        "Réponse à un second LISTER, reçu octet par octet sur la même connexion",
    )
    .map_err(|d| {
        d.indice(
            "lisez l'en-tête entier (5 octets), puis exactement la charge annoncée \
             (read_exact) : un read() peut ne rendre qu'un morceau de trame.",
        )
    })
}

/// Étape 6 : un vote reçoit son reçu ; deux requêtes collées dans un même
/// envoi reçoivent leurs deux réponses, dans l'ordre.
pub fn serveur_6_vote(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_6_vote_observe(binaire), "R4")
}

fn serveur_6_vote_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(6, "vote et reçu (VOTER → RECU, RESULTATS → DECOMPTE)");
    let (_scrutin, programme, _, mut flux) = serveur_connecte(&etape, binaire)?;
    let indice_recu = "RECU = 0x82, longueur 4, puis le numéro du reçu (u32) : le rang du vote \
                       dans le journal, à partir de 1.";
    envoyer(
        &etape,
        &programme,
        &mut flux,
        &trames::voter(&jeton(0), 1),
        true,
    )?;
    attendre_trame(
        &etape,
        &programme,
        &mut flux,
        &trames::recu(1),
        &format!(
            "Réponse à VOTER(« {} », option 1), reçu octet par octet",
            jeton(0)
        ),
    )
    .map_err(|d| d.indice(indice_recu))?;
    let collees = [trames::voter(&jeton(1), 3), trames::resultats()].concat();
    envoyer(&etape, &programme, &mut flux, &collees, false)?;
    let collees = "les deux requêtes sont arrivées d'un seul bloc : lisez trame par trame \
                   (un BufReader gardé pour toute la connexion), sans rien jeter.";
    attendre_trame(
        &etape,
        &programme,
        &mut flux,
        &trames::recu(2),
        &format!("Réponse à VOTER(« {} », option 3)", jeton(1)),
    )
    .map_err(|d| d.indice(indice_recu).indice(collees))?;
    attendre_trame(
        &etape,
        &programme,
        &mut flux,
        &decompte_de([1, 3]),
        "Réponse à RESULTATS, envoyé collé au vote précédent",
    )
    .map_err(|d| d.indice(INDICE_DECOMPTE).indice(collees))
}

/// Étape 6 : double vote, jeton inconnu, option hors du bulletin : une
/// trame ERREUR chacun, et la connexion reste ouverte.
pub fn serveur_6_refus(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_6_refus_observe(binaire), "R5")
}

fn serveur_6_refus_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(6, "votes refusés (ERREUR 5, 6 et 7)");
    let (_scrutin, programme, _, mut flux) = serveur_connecte(&etape, binaire)?;
    let (premier, second) = (jeton(0), jeton(1));
    let cas: [(Vec<u8>, Vec<u8>, String, &str); 6] = [
        (
            trames::voter(&premier, 1),
            trames::recu(1),
            format!("Réponse au vote de « {premier} »"),
            "un vote valide reçoit RECU.",
        ),
        (
            trames::voter(&premier, 2),
            trames::erreur(code::DEJA_VOTE),
            format!("Réponse à un second vote de « {premier} »"),
            "un jeton ne vote qu'une fois : gardez l'ensemble des jetons qui ont voté \
             (HashSet), sous le même verrou que les comptes ; ERREUR = 0xFF, puis le code 6.",
        ),
        (
            trames::voter("inconnu-au-bataillon", 1),
            trames::erreur(code::JETON_INCONNU),
            "Réponse au vote d'un jeton absent de la liste des électeurs".into(),
            "un jeton absent du fichier des électeurs est refusé : code 5.",
        ),
        (
            trames::voter(&second, 0),
            trames::erreur(code::OPTION_INCONNUE),
            "Réponse à un vote pour l'option 0".into(),
            "les options sont numérotées à partir de 1 : l'option 0 n'existe pas (code 7).",
        ),
        (
            trames::voter(&second, OPTIONS.len() as u16 + 1),
            trames::erreur(code::OPTION_INCONNUE),
            format!("Réponse à un vote pour l'option {}", OPTIONS.len() + 1),
            "un numéro au-delà de la dernière option est refusé : code 7.",
        ),
        (
            trames::resultats(),
            decompte_de([1]),
            "Réponse à RESULTATS après ces refus, sur la même connexion".into(),
            "un refus n'est pas compté, et il ne ferme pas la connexion (codes 5 à 8).",
        ),
    ];
    for (requete, attendue, quoi, indice) in cas {
        // Le second vote du même jeton, c'est R9 ; les autres refus, R5.
        let regle = if attendue == trames::erreur(code::DEJA_VOTE) {
            "R9"
        } else {
            "R5"
        };
        echanger(&etape, &programme, &mut flux, &requete, &attendue, &quoi)
            .map_err(|d| d.indice(indice).enfreint_par_defaut(regle))?;
    }
    Ok(())
}

/// Vérifie qu'une connexion du serveur est fermée (fin de flux).
fn fermee(
    etape: &Etape,
    programme: &Programme,
    flux: TcpStream,
    quoi: &str,
) -> Result<(), Diagnostic> {
    etape
        .fin_de_flux(&mut Lecteur::new(flux), programme)
        .map_err(|d| {
            Diagnostic {
                explication: format!("{quoi} : {}", d.explication),
                ..d
            }
            .indice(
                "après une erreur de protocole (codes 1 à 4), on ne sait plus où commence la \
                 trame suivante : le serveur envoie ERREUR puis ferme la connexion.",
            )
        })
}

/// Étape 5 : des trames invalides reçoivent une ERREUR, puis la connexion
/// est fermée ; le serveur continue de servir les autres.
pub fn serveur_5_trames_invalides(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_5_trames_invalides_observe(binaire), "R6")
}

fn serveur_5_trames_invalides_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(5, "trames invalides (ERREUR 1, 3 et 4, puis fermeture)");
    let (_scrutin, mut programme, port, mut temoin) = serveur_connecte(&etape, binaire)?;
    let options = trames::options(QUESTION, &OPTIONS);
    let mut en_trop = trames::voter(&jeton(0), 1);
    en_trop.push(0);
    en_trop[4] += 1;
    let cas: [(&str, Vec<u8>, bool, u8); 8] = [
        (
            "type inconnu 0x42",
            trames::trame(0x42, &[]),
            false,
            code::TYPE_INCONNU,
        ),
        (
            "type inconnu 0x42 avec une charge de 3 octets",
            trames::trame(0x42, b"abc"),
            false,
            code::TYPE_INCONNU,
        ),
        (
            "LISTER avec une charge d'un octet",
            trames::trame(trames::LISTER, &[0]),
            false,
            code::MALFORMEE,
        ),
        (
            "VOTER dont le jeton annonce 200 octets, 3 présents",
            trames::trame(trames::VOTER, &[0, 200, b'a', b'b', b'c']),
            false,
            code::MALFORMEE,
        ),
        (
            "VOTER avec un octet de trop",
            en_trop,
            false,
            code::MALFORMEE,
        ),
        (
            "VOTER dont le jeton n'est pas de l'UTF-8",
            trames::trame(trames::VOTER, &[0, 2, 0xFF, 0xFE, 0, 1]),
            false,
            code::MALFORMEE,
        ),
        (
            "en-tête annonçant 10 octets, 4 envoyés, puis fin d'émission",
            vec![trames::VOTER, 0, 0, 0, 10, 0, 3, b'a', b'b'],
            true,
            code::TRONQUEE,
        ),
        (
            "en-tête coupé après 3 octets, puis fin d'émission",
            vec![trames::VOTER, 0, 0],
            true,
            code::TRONQUEE,
        ),
    ];
    for (description, octets, fin_d_emission, code) in cas {
        let quoi = format!("Réponse à une trame invalide ({description})");
        let mut flux = etape.connecter(&mut programme, port)?;
        envoyer(&etape, &programme, &mut flux, &octets, false)?;
        if fin_d_emission {
            // shutdown(Write) : le serveur lira la fin de flux au milieu de la trame.
            let _ = flux.shutdown(Shutdown::Write);
        }
        attendre_trame(&etape, &programme, &mut flux, &trames::erreur(code), &quoi).map_err(
            |d| {
                d.indice(format!(
                    "ERREUR = 0xFF, longueur 1, puis le code : {code} ici. Un serveur qui \
                     panique ou se bloque sur une trame invalide arrête tout le scrutin."
                ))
            },
        )?;
        fermee(&etape, &programme, flux, &quoi)?;
        echanger(
            &etape,
            &programme,
            &mut temoin,
            &trames::lister(),
            &options,
            &format!("Après la trame invalide ({description}), LISTER sur une autre connexion"),
        )
        .map_err(|d| d.indice("une trame invalide ne ferme que sa propre connexion."))?;
    }
    Ok(())
}

/// Étape 5 : un en-tête annonçant 4 Gio est refusé aussitôt, sans que
/// la mémoire du serveur grossisse.
pub fn serveur_5_longueur_4_gio(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_5_longueur_4_gio_observe(binaire), "R7")
}

fn serveur_5_longueur_4_gio_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(
        5,
        "trame annoncée de 4 Gio refusée avant d'allouer (ERREUR 2)",
    );
    let (_scrutin, mut programme, port, mut flux) = serveur_connecte(&etape, binaire)?;
    let avant = memoire_max(programme.pid()).unwrap_or(0);
    let quoi = "Réponse à un en-tête VOTER annonçant 4 294 967 295 octets";
    envoyer(
        &etape,
        &programme,
        &mut flux,
        &[trames::VOTER, 0xFF, 0xFF, 0xFF, 0xFF],
        false,
    )?;
    let indice = "comparez la longueur annoncée à LONGUEUR_MAX (4096) dès la lecture de \
                  l'en-tête, AVANT d'allouer le tampon de la charge (vec![0; longueur]) : \
                  la longueur vient du réseau, n'importe qui peut y écrire 4 Gio.";
    let reponse = trames::lire(&mut flux, DELAI_REPONSE);
    if let Some(statut) = programme.statut() {
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "{quoi} : le serveur s'est arrêté ({}).",
                    statut_en_clair(statut)
                ),
            )
            .indice(indice));
    }
    let attendue = trames::erreur(code::TROP_LONGUE);
    if reponse.as_ref().is_ok_and(|r| *r == attendue) {
        let apres = memoire_max(programme.pid()).unwrap_or(0);
        if apres.saturating_sub(avant) > CROISSANCE_TOLEREE {
            return Err(etape
                .echec_de(
                    &programme,
                    format!(
                        "{quoi} : la réponse est juste, mais la mémoire résidente maximale du \
                         serveur (VmHWM) est passée de {avant} Kio à {apres} Kio."
                    ),
                )
                .indice(indice));
        }
        fermee(&etape, &programme, flux, quoi)?;
        let mut autre = etape.connecter(&mut programme, port)?;
        return echanger(
            &etape,
            &programme,
            &mut autre,
            &trames::lister(),
            &trames::options(QUESTION, &OPTIONS),
            "Après la trame de 4 Gio, LISTER sur une autre connexion",
        );
    }
    // Pas de refus : le serveur attend-il la charge annoncée ? On lui en
    // envoie une partie et on regarde sa mémoire.
    let _ = flux.set_write_timeout(Some(DELAI_REPONSE));
    let _ = flux.write_all(&vec![0u8; CHARGE_INSISTANTE]);
    thread::sleep(Duration::from_millis(300));
    let apres = memoire_max(programme.pid()).unwrap_or(0);
    let constat = format!(
        "Le correcteur a ensuite envoyé {} Mio de charge : la mémoire résidente maximale du \
         serveur (VmHWM) est passée de {avant} Kio à {apres} Kio.",
        CHARGE_INSISTANTE >> 20
    );
    let diagnostic = match reponse {
        Ok(recue) => ecart_de_trame(
            etape.echec_de(
                &programme,
                format!("{quoi} : réponse inattendue. {constat}"),
            ),
            &attendue,
            recue,
        ),
        Err(LectureIncomplete { recu, .. }) => ecart_de_trame(
            etape.echec_de(
                &programme,
                format!(
                    "{quoi} : pas de refus en {} s, le serveur attend la suite de la trame. \
                     {constat}",
                    DELAI_REPONSE.as_secs()
                ),
            ),
            &attendue,
            recu,
        ),
    };
    Err(diagnostic.indice(indice))
}

/// Le vote d'un électeur de la foule : connexion, attente du signal, vote,
/// réponse.
fn electeur(adresse: SocketAddr, depart: &Barrier, requete: &[u8]) -> Result<Vec<u8>, String> {
    let connexion = TcpStream::connect_timeout(&adresse, DELAI_DEMARRAGE);
    // Tous attendent le signal, même ceux dont la connexion a échoué :
    // sinon la barrière ne s'ouvrirait jamais.
    depart.wait();
    let mut flux = connexion.map_err(|e| format!("connexion impossible : {e}"))?;
    flux.write_all(requete)
        .map_err(|e| format!("envoi impossible : {e}"))?;
    match trames::lire(&mut flux, DELAI_FOULE) {
        Ok(reponse) => Ok(reponse),
        // Une trame entière si on lit sa longueur à l'envers : rendue telle
        // quelle, pour que le diagnostic nomme l'ordre des octets (R2).
        Err(e) if trames::longueur_en_petit_boutiste(&e.recu) => Ok(e.recu),
        Err(e) => Err(match e.raison {
            Raison::Delai => format!("pas de réponse en {} s", DELAI_FOULE.as_secs()),
            Raison::Fin => "connexion fermée sans réponse".to_string(),
            Raison::Erreur(e) => format!("erreur de lecture : {e}"),
        }),
    }
}

/// Fait voter `requetes.len()` électeurs au même instant ; rend leurs réponses.
fn foule(port: u16, requetes: Vec<Vec<u8>>) -> Vec<Result<Vec<u8>, String>> {
    let adresse = SocketAddr::from((BOUCLE_LOCALE, port));
    let depart = Arc::new(Barrier::new(requetes.len() + 1));
    let fils: Vec<_> = requetes
        .into_iter()
        .map(|requete| {
            let depart = Arc::clone(&depart);
            thread::spawn(move || electeur(adresse, &depart, &requete))
        })
        .collect();
    depart.wait();
    fils.into_iter()
        .map(|fil| fil.join().unwrap_or_else(|_| Err("fil paniqué".into())))
        .collect()
}

const INDICE_VERROU: &str = "vérifier le jeton, écrire le journal et compter doivent se faire \
     sous un même verrou (Mutex), pris une seule fois : avec un « lire le compte, puis écrire \
     compte + 1 » non protégé, deux fils lisent la même valeur et une voix est perdue.";

/// Étape 6 : 200 électeurs votent au même instant ; chacun reçoit un reçu
/// distinct, et le décompte est exact.
pub fn serveur_6_concurrence(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_6_concurrence_observe(binaire), "R8")
}

fn serveur_6_concurrence_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(6, "200 électeurs en même temps");
    let (_scrutin, programme, port, mut flux) = serveur_connecte(&etape, binaire)?;
    let choix = |i: usize| (i % OPTIONS.len()) as u16 + 1;
    let requetes = (0..FOULE)
        .map(|i| trames::voter(&jeton(i), choix(i)))
        .collect();
    let mut numeros = Vec::new();
    for (i, reponse) in foule(port, requetes).into_iter().enumerate() {
        let quoi = format!(
            "Réponse au vote de « {} », l'un des {FOULE} électeurs simultanés",
            jeton(i)
        );
        match reponse {
            Ok(r) if r.len() == 9 && r[..5] == [trames::RECU, 0, 0, 0, 4] => {
                numeros.push(u32::from_be_bytes([r[5], r[6], r[7], r[8]]));
            }
            Ok(r) => {
                return Err(ecart_de_trame(
                    etape.echec_de(&programme, format!("{quoi} : ce n'est pas un RECU.")),
                    &trames::recu(i as u32 + 1),
                    r,
                )
                .indice("chaque connexion est servie par son propre fil : servir un client ne doit pas bloquer les autres."));
            }
            Err(e) => {
                return Err(etape
                    .echec_de(&programme, format!("{quoi} : {e}."))
                    .indice("un fil par connexion ; une file d'écoute (listen) assez longue pour 200 connexions arrivant ensemble."));
            }
        }
    }
    numeros.sort_unstable();
    if numeros == (0..FOULE as u32).collect::<Vec<_>>() {
        // Tous comptés, chacun son numéro : seule la numérotation est fausse.
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Les {FOULE} votes ont chacun leur reçu, mais numérotés de 0 à {} au lieu \
                     de 1 à {FOULE}.",
                    FOULE - 1
                ),
            )
            .indice("un RECU porte le rang du vote dans le journal, à partir de 1.")
            .enfreint("R4"));
    }
    if numeros != (1..=FOULE as u32).collect::<Vec<_>>() {
        numeros.dedup();
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Les {FOULE} votes ont reçu un reçu, mais leurs numéros ne sont pas 1 à \
                     {FOULE}, chacun une fois : seulement {} numéros distincts.",
                    numeros.len()
                ),
            )
            .indice(INDICE_VERROU));
    }
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::resultats(),
        &decompte_de((0..FOULE).map(choix)),
        &format!("Réponse à RESULTATS après {FOULE} votes simultanés, tous acceptés"),
    )
    .map_err(|d| d.indice(INDICE_VERROU))
}

/// Étape 6 : vingt connexions votent au même instant avec le même
/// jeton ; une seule est acceptée.
pub fn serveur_6_meme_jeton(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_6_meme_jeton_observe(binaire), "R9")
}

fn serveur_6_meme_jeton_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(6, "un même jeton sur 20 connexions simultanées");
    let (_scrutin, programme, port, mut flux) = serveur_connecte(&etape, binaire)?;
    let reponses = foule(port, vec![trames::voter(&jeton(7), 2); 20]);
    let acceptes = reponses
        .iter()
        // Un reçu, quel que soit son numéro : la numérotation est l'affaire de R4.
        .filter(|r| {
            r.as_ref()
                .is_ok_and(|r| r.len() == 9 && r[..5] == [trames::RECU, 0, 0, 0, 4])
        })
        .count();
    let refuses = reponses
        .iter()
        .filter(|r| {
            r.as_ref()
                .is_ok_and(|r| *r == trames::erreur(code::DEJA_VOTE))
        })
        .count();
    if (acceptes, refuses) != (1, 19) {
        let petit_boutiste = reponses.iter().any(|r| {
            r.as_ref()
                .is_ok_and(|r| trames::longueur_en_petit_boutiste(r))
        });
        if petit_boutiste {
            return Err(etape
                .echec_de(
                    &programme,
                    "Les réponses aux 20 votes annoncent des longueurs que seul l'ordre \
                     petit-boutiste explique.",
                )
                .regle("R2")
                .indice(INDICE_PETIT_BOUTISTE));
        }
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Le jeton « {} » a voté sur 20 connexions au même instant : {acceptes} \
                     reçu(s) RECU et {refuses} ERREUR 6, au lieu de 1 et 19.",
                    jeton(7)
                ),
            )
            .indice(INDICE_VERROU));
    }
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::resultats(),
        &decompte_de([2]),
        "Réponse à RESULTATS après ces 20 tentatives",
    )
    .map_err(|d| d.indice(INDICE_VERROU))
}

/// Les votes d'essai des étapes du journal : (jeton, option).
fn votes_d_essai() -> Vec<(String, u16)> {
    (0..5)
        .map(|i| (jeton(10 + i), (i % 3) as u16 + 1))
        .collect()
}

/// Fait voter la liste sur une connexion ; après chaque reçu, appelle `apres`.
fn voter_tous(
    etape: &Etape,
    programme: &Programme,
    flux: &mut TcpStream,
    votes: &[(String, u16)],
    premier_recu: u32,
    mut apres: impl FnMut(usize) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    for (rang, (jeton, option)) in votes.iter().enumerate() {
        echanger(
            etape,
            programme,
            flux,
            &trames::voter(jeton, *option),
            &trames::recu(premier_recu + rang as u32),
            &format!("Réponse à VOTER(« {jeton} », option {option})"),
        )?;
        apres(rang + 1)?;
    }
    Ok(())
}

/// Étape 6 : quand le reçu arrive, le vote est déjà dans le journal, au
/// format du chapitre.
pub fn serveur_6_journal_avant_recu(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_6_journal_avant_recu_observe(binaire), "R11")
}

fn serveur_6_journal_avant_recu_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(6, "le vote est dans le journal avant le reçu");
    let (scrutin, programme, _, mut flux) = serveur_connecte(&etape, binaire)?;
    let votes = votes_d_essai();
    voter_tous(&etape, &programme, &mut flux, &votes, 1, |n| {
        let attendu: Vec<u8> = votes[..n]
            .iter()
            .flat_map(|(j, o)| trames::enregistrement(j, *o))
            .collect();
        let present = std::fs::read(scrutin.journal()).unwrap_or_default();
        if present == attendu {
            return Ok(());
        }
        // Autant d'octets que prévu, mais pas les bons : le format (R10) ;
        // moins d'octets : le reçu est parti trop tôt (R11).
        let regle = if present.len() == attendu.len() {
            "R10"
        } else {
            "R11"
        };
        Err(etape
            .echec_de(
                &programme,
                format!(
                    "Le reçu n° {n} est arrivé, mais le journal ne contient pas les {n} \
                     enregistrement(s) attendus ({} au lieu de {}).",
                    crate::diagnostic::octets(present.len()),
                    attendu.len()
                ),
            )
            .ecart(attendu, present)
            .indice(
                "écrivez l'enregistrement (write_all sur le fichier ouvert en ajout) puis \
                 sync_data() AVANT d'envoyer le reçu. Un BufWriter garde les octets dans \
                 votre processus : un kill -9 les perdrait.",
            )
            .indice(
                "un enregistrement : longueur (u16 = 2 + taille du jeton), option (u16), \
                 jeton, puis le CRC-32 (u32) de tout ce qui précède, en gros-boutiste.",
            )
            .regle(regle))
    })
}

/// Après `recus` reçus, avant le `kill -9` de l'étape : le journal doit déjà
/// tenir au moins `minimum` octets, ceux des votes reçus (R11). Rend son
/// contenu.
fn journal_apres_les_recus(
    etape: &Etape,
    programme: &Programme,
    scrutin: &Scrutin,
    recus: usize,
    minimum: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let present = std::fs::read(scrutin.journal()).unwrap_or_default();
    if present.len() >= minimum {
        return Ok(present);
    }
    Err(etape
        .echec_de(
            programme,
            format!(
                "Après {recus} reçu(s), juste avant le kill -9, le journal ne fait que {} : \
                 les votes reçus en demandent au moins {minimum}. Le reçu est parti avant \
                 l'écriture du vote : le kill -9 l'effacerait.",
                crate::diagnostic::octets(present.len()),
            ),
        )
        .indice(
            "écrivez l'enregistrement (write_all) puis sync_data() AVANT d'envoyer le reçu ; \
             un BufWriter garde les octets dans votre processus.",
        )
        .regle("R11"))
}

/// Tue le serveur d'un SIGKILL (le `kill -9` : aucun code du programme ne
/// s'exécute plus) et le relance sur le même scrutin.
fn tuer_et_relancer(
    etape: &Etape,
    binaire: &Path,
    scrutin: &Scrutin,
    programme: Programme,
) -> Result<(Programme, TcpStream), Diagnostic> {
    drop(programme); // SIGKILL au groupe, puis récolte
    let (mut programme, port) = demarrer(etape, binaire, scrutin)?;
    let flux = etape.connecter(&mut programme, port)?;
    Ok((programme, flux))
}

/// Un second vote du `jeton`, qui doit être refusé (ERREUR 6, déjà voté).
fn second_vote(
    etape: &Etape,
    programme: &Programme,
    flux: &mut TcpStream,
    jeton: &str,
    quand: &str,
) -> Result<(), Diagnostic> {
    echanger(
        etape,
        programme,
        flux,
        &trames::voter(jeton, 1),
        &trames::erreur(code::DEJA_VOTE),
        &format!("{quand}, réponse à un second vote de « {jeton} »"),
    )
}

/// Étape 7 : `kill -9` après N reçus, redémarrage sur le même journal :
/// les N votes sont comptés, une seule fois chacun, et leurs jetons restent
/// épuisés.
pub fn serveur_7_redemarrage(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_7_redemarrage_observe(binaire), "R13")
}

fn serveur_7_redemarrage_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(7, "kill -9 puis redémarrage sur le même journal");
    let (scrutin, programme, _, mut flux) = serveur_connecte(&etape, binaire)?;
    let votes = votes_d_essai();
    let n = votes.len();
    voter_tous(&etape, &programme, &mut flux, &votes, 1, |_| Ok(()))?;
    let octets_votes = votes
        .iter()
        .map(|(j, o)| trames::enregistrement(j, *o).len())
        .sum();
    journal_apres_les_recus(&etape, &programme, &scrutin, n, octets_votes)?;
    // Le même second vote, avant le kill -9 : refusé ici, il doit l'être
    // encore après le rejeu. Accepté ici, c'est R9, pas le rejeu.
    second_vote(
        &etape,
        &programme,
        &mut flux,
        &votes[0].0,
        "Avant le kill -9",
    )
    .map_err(|d| {
        let recu_accorde = d
            .ecart
            .as_ref()
            .is_some_and(|(_, recue)| recue.first() == Some(&trames::RECU));
        if recu_accorde { d.enfreint("R9") } else { d }
    })?;
    let (programme, mut flux) = tuer_et_relancer(&etape, binaire, &scrutin, programme)?;
    let indice = "au démarrage, relisez le journal une seule fois : chaque enregistrement \
                  compte une voix et marque son jeton comme ayant voté.";
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::resultats(),
        &decompte_de(votes.iter().map(|v| v.1)),
        &format!("Après {n} reçus, un kill -9 et un redémarrage, réponse à RESULTATS"),
    )
    .map_err(|d| d.indice(indice))?;
    // Le vote neuf avant le vote refusé : après un refus, la connexion reste
    // ouverte (R5), mais ce n'est pas ce que vérifie cette étape.
    voter_tous(
        &etape,
        &programme,
        &mut flux,
        &[(jeton(30), 2)],
        n as u32 + 1,
        |_| Ok(()),
    )
    .map_err(|d| d.indice("le numéro du reçu continue après les votes rejoués."))?;
    second_vote(
        &etape,
        &programme,
        &mut flux,
        &votes[0].0,
        "Après le redémarrage",
    )
    .map_err(|d| d.indice(indice))
}

/// Étape 7 : un journal dont le dernier enregistrement est déchiré (arrêt
/// pendant l'écriture) : les enregistrements complets comptent, le reste
/// est ignoré avec un avertissement, et retiré du fichier.
pub fn serveur_7_journal_dechire(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(serveur_7_journal_dechire_observe(binaire), "R14")
}

fn serveur_7_journal_dechire_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(7, "fin de journal déchirée");
    let scrutin = nouveau_scrutin(&etape)?;
    let complets = [(jeton(20), 1), (jeton(21), 2), (jeton(22), 2)];
    let dechire = (jeton(23), 3u16);
    let mut octets: Vec<u8> = complets
        .iter()
        .flat_map(|(j, o)| trames::enregistrement(j, *o))
        .collect();
    octets.extend_from_slice(&trames::enregistrement(&dechire.0, dechire.1)[..7]);
    std::fs::write(scrutin.journal(), &octets)
        .map_err(|e| etape.echec(format!("Le correcteur n'a pas pu écrire le journal : {e}.")))?;
    let (mut programme, port) = demarrer(&etape, binaire, &scrutin)?;
    let mut flux = etape.connecter(&mut programme, port)?;
    let indice = "relisez les enregistrements un à un ; le premier incomplet (moins d'octets \
                  que sa longueur annonce) ou dont le CRC-32 est faux marque la fin : \
                  ignorez-le, avec un avertissement, et coupez le fichier à cet endroit \
                  (set_len) pour que les votes suivants s'écrivent à sa place.";
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::resultats(),
        &decompte_de(complets.iter().map(|v| v.1)),
        "Journal de 3 enregistrements complets suivis de 7 octets d'un quatrième : réponse à RESULTATS",
    )
    .map_err(|d| rejeu_compte_double(d).indice(indice))?;
    if !programme.attendre_erreur("avertissement", DELAI_REPONSE) {
        return Err(etape
            .echec_de(
                &programme,
                "Le serveur a ignoré la fin déchirée du journal sans le signaler : aucune \
                 ligne contenant « avertissement » sur sa sortie d'erreur.",
            )
            .indice(
                "prévenez l'exploitant : eprintln!(\"avertissement : journal : fin incomplète \
                 ignorée (…)\").",
            ));
    }
    voter_tous(
        &etape,
        &programme,
        &mut flux,
        std::slice::from_ref(&dechire),
        4,
        |_| Ok(()),
    )
    .map_err(|d| d.indice("le vote déchiré n'a jamais reçu de reçu : son jeton peut voter."))?;
    // Le vote doit s'être écrit à la place de la fin déchirée, coupée au
    // démarrage : le fichier vaut les enregistrements complets, puis lui.
    let complet = trames::enregistrement(&dechire.0, dechire.1);
    let debut = octets.len() - 7;
    let present = journal_apres_les_recus(&etape, &programme, &scrutin, 1, debut + complet.len())?;
    if present.len() == octets.len() + complet.len() && present.starts_with(&octets) {
        let mut attendu = octets[..debut].to_vec();
        attendu.extend_from_slice(&complet);
        return Err(etape
            .echec_de(
                &programme,
                "La fin déchirée (7 octets) est restée dans le journal : le vote suivant \
                 s'est écrit derrière elle, et le prochain démarrage la trouvera au milieu \
                 du fichier.",
            )
            .ecart(attendu, present)
            .indice(indice)
            .regle("R14"));
    }
    let (programme, mut flux) = tuer_et_relancer(&etape, binaire, &scrutin, programme)?;
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::resultats(),
        &decompte_de(complets.iter().chain([&dechire]).map(|v| v.1)),
        "Après un vote, un kill -9 et un second redémarrage, réponse à RESULTATS",
    )
    .map_err(|d| d.indice(indice))
}

/// Dix votes en règle (jetons electeur-040 à electeur-049) : 10
/// enregistrements de 20 octets.
fn dix_enregistrements() -> Vec<u8> {
    (40..50)
        .flat_map(|i| trames::enregistrement(&jeton(i), 1 + (i % 4) as u16))
        .collect()
}

/// Étape 7 : un journal abîmé ailleurs qu'en fin déchirée (un octet
/// changé au milieu, ou un dernier enregistrement complet au CRC faux) :
/// le serveur refuse de démarrer, dit où (numéro et octet), et ne touche pas
/// au fichier ; avec `--reparer-journal`, la partie abîmée va dans
/// `JOURNAL.endommage` et le serveur repart de la partie valide.
pub fn serveur_7_journal_abime(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(
        7,
        "journal abîmé au milieu : refus, puis réparation sur ordre",
    );
    let sain = dix_enregistrements();
    let mut milieu = sain.clone();
    milieu[20 + 6] ^= 0x01; // le jeton de l'enregistrement n° 2
    let mut fin = sain.clone();
    let dernier = fin.len() - 1;
    fin[dernier] ^= 0x01; // le CRC-32 de l'enregistrement n° 10
    let cas = [
        (
            "un octet changé dans l'enregistrement n° 2, suivi de 8 enregistrements valides",
            milieu,
            2,
            20,
        ),
        (
            "10 enregistrements complets, le CRC-32 du dernier faux",
            fin,
            10,
            180,
        ),
    ];
    let indice = "seule une fin plus courte que l'enregistrement qu'elle annonce (ou des zéros) \
                  est la trace d'un arrêt pendant une écriture ; tout autre défaut peut cacher \
                  des votes qui ont reçu un reçu. Journal::ouvrir (fourni) refuse alors de \
                  démarrer : votre rejouer doit s'arrêter au premier enregistrement abîmé et \
                  rendre sa position, sans rien couper lui-même.";
    for (description, octets, numero, octet) in cas {
        let scrutin = nouveau_scrutin(&etape)?;
        std::fs::write(scrutin.journal(), &octets).map_err(|e| {
            etape.echec(format!("Le correcteur n'a pas pu écrire le journal : {e}."))
        })?;
        let arguments = scrutin.arguments(reseau::port_libre());
        let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
        let mut programme = etape.lancer(binaire, "serveur", &arguments)?;
        let quoi = format!("Journal de 200 octets ({description})");
        match programme.attendre_fin(DELAI_DEMARRAGE) {
            None => {
                return Err(etape
                    .echec_de(
                        &programme,
                        format!(
                            "{quoi} : le serveur a démarré quand même (il tourne encore après {} s).",
                            DELAI_DEMARRAGE.as_secs()
                        ),
                    )
                    .regle("R15")
                    .indice(indice));
            }
            Some(statut) if statut.success() || programme.erreurs().contains("panicked") => {
                return Err(etape
                    .echec_de(
                        &programme,
                        format!(
                            "{quoi} : le serveur devait refuser de démarrer avec un message \
                             d'erreur ; il s'est arrêté ({}).",
                            statut_en_clair(statut)
                        ),
                    )
                    .regle("R15")
                    .indice(indice));
            }
            Some(_) => {}
        }
        let erreurs = programme.erreurs();
        let lieu = [format!("n° {numero}"), format!("octet {octet}")];
        if lieu.iter().any(|l| !erreurs.contains(l.as_str())) {
            return Err(etape
                .echec_de(
                    &programme,
                    format!(
                        "{quoi} : le refus ne dit pas où est le défaut ; attendu dans la sortie \
                         d'erreur : « {} » et « {} ».",
                        lieu[0], lieu[1]
                    ),
                )
                .regle("R15")
                .indice(indice));
        }
        let apres = std::fs::read(scrutin.journal()).unwrap_or_default();
        if apres != octets {
            return Err(etape
                .echec_de(
                    &programme,
                    format!(
                        "{quoi} : le serveur a refusé de démarrer mais a modifié le journal \
                         ({} au lieu de {}).",
                        crate::diagnostic::octets(apres.len()),
                        octets.len()
                    ),
                )
                .regle("R15")
                .indice("sans --reparer-journal, on ne touche à rien : c'est à l'exploitant de décider."));
        }
        // La réparation, sur ordre : rien n'est effacé.
        let mut arguments = arguments.clone();
        arguments.push("--reparer-journal");
        let port: u16 = arguments[1].parse().unwrap_or(0);
        let mut programme = etape.lancer(binaire, "serveur", &arguments)?;
        attendre_ecoute(&etape, &mut programme, port)?;
        let mut flux = etape.connecter(&mut programme, port)?;
        let lisibles = (40..40 + numero - 1).map(|i| 1 + (i % 4) as u16);
        echanger(
            &etape,
            &programme,
            &mut flux,
            &trames::resultats(),
            &decompte_de(lisibles),
            &format!("{quoi}, relancé avec --reparer-journal : réponse à RESULTATS"),
        )
        .map_err(|d| rejeu_compte_double(d).enfreint_par_defaut("R15"))?;
        let mut cote = scrutin.journal().into_os_string();
        cote.push(".endommage");
        let garde = std::fs::read(scrutin.journal()).unwrap_or_default();
        let mis_de_cote = std::fs::read(&cote).unwrap_or_default();
        if garde != octets[..octet] || mis_de_cote != octets[octet..] {
            return Err(etape
                .echec_de(
                    &programme,
                    format!(
                        "{quoi}, relancé avec --reparer-journal : attendu {octet} octets dans le \
                         journal et {} dans journal.bin.endommage ; trouvé {} et {}.",
                        octets.len() - octet,
                        garde.len(),
                        mis_de_cote.len()
                    ),
                )
                .regle("R15")
                .indice(
                    "la réparation copie la partie abîmée et tout ce qui la suit, sur le \
                         disque, avant de couper le journal : rien n'est effacé.",
                ));
        }
    }
    Ok(())
}

/// Lance le serveur sur un scrutin neuf, avec des options en plus.
fn demarrer_avec(
    etape: &Etape,
    binaire: &Path,
    en_plus: &[&str],
) -> Result<(Scrutin, Programme, u16), Diagnostic> {
    let scrutin = nouveau_scrutin(etape)?;
    let port = reseau::port_libre();
    let mut arguments = scrutin.arguments(port);
    arguments.extend(en_plus.iter().map(|a| a.to_string()));
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let mut programme = etape.lancer(binaire, "serveur", &arguments)?;
    attendre_ecoute(etape, &mut programme, port)?;
    Ok((scrutin, programme, port))
}

/// Connexions servies à la fois (serveur_5_connexions_max).
const CONNEXIONS_MAX: usize = 3;
/// Le temps pendant lequel une connexion en trop ne doit pas être servie.
const ATTENTE_EN_TROP: Duration = Duration::from_secs(1);

/// Étape 5 : `--connexions-max 3` : trois connexions servies ; une
/// quatrième n'obtient pas de réponse tant que les trois restent ouvertes,
/// puis en obtient une dès que l'une d'elles se ferme.
pub fn serveur_5_connexions_max(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(5, "au plus --connexions-max connexions servies à la fois");
    let (_scrutin, mut programme, port) =
        demarrer_avec(&etape, binaire, &["--connexions-max", "3"])?;
    let options = trames::options(QUESTION, &OPTIONS);
    let mut servies = Vec::new();
    for i in 1..=CONNEXIONS_MAX {
        let mut flux = etape.connecter(&mut programme, port)?;
        echanger(
            &etape,
            &programme,
            &mut flux,
            &trames::lister(),
            &options,
            &format!(
                "Avec --connexions-max {CONNEXIONS_MAX}, réponse à LISTER sur la connexion n° {i}"
            ),
        )
        .map_err(|d| d.enfreint_par_defaut("R17"))?;
        servies.push(flux);
    }
    let mut en_trop = etape.connecter(&mut programme, port)?;
    envoyer(&etape, &programme, &mut en_trop, &trames::lister(), false)?;
    if let Ok(recue) = trames::lire(&mut en_trop, ATTENTE_EN_TROP) {
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Avec --connexions-max {CONNEXIONS_MAX} et {CONNEXIONS_MAX} connexions ouvertes, \
                     une quatrième a reçu une réponse ({}) : elle devait attendre qu'une \
                     place se libère.",
                    crate::diagnostic::octets(recue.len())
                ),
            )
            .regle("R17")
            .indice(
                "comptez les connexions servies ; à la limite, n'appelez plus accept() avant \
                 qu'un fil se termine : les clients suivants attendent dans la file du noyau.",
            ));
    }
    drop(servies.remove(0));
    attendre_trame(
        &etape,
        &programme,
        &mut en_trop,
        &options,
        "Une des trois connexions fermée, réponse à LISTER sur la quatrième (qui attendait)",
    )
    .map_err(|d| {
        d.enfreint_par_defaut("R17").indice(
            "quand un fil se termine, sa place doit revenir : la connexion suivante est servie.",
        )
    })
}

/// Inactivité tolérée (serveur_5_inactivite), en secondes.
const INACTIVITE: u64 = 1;
/// Pause entre deux octets du client qui traîne.
const GOUTTE: Duration = Duration::from_millis(200);
/// Au-delà, la connexion qui traîne aurait dû être fermée.
const FERMETURE_ATTENDUE: Duration = Duration::from_secs(6);

/// Vrai si le serveur a fermé la connexion (fin de flux ou RST).
fn fermee_par_le_serveur(flux: &mut TcpStream, delai: Duration) -> bool {
    use std::io::Read;
    let _ = flux.set_read_timeout(Some(delai));
    let mut octet = [0u8; 1];
    match flux.read(&mut octet) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// Étape 5 : `--inactivite 1` : une connexion muette est fermée, et une
/// connexion qui envoie une trame octet par octet, un toutes les 200 ms,
/// l'est aussi : la limite porte sur la trame entière, pas sur chaque octet.
pub fn serveur_5_inactivite(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(5, "connexion inactive fermée (--inactivite)");
    let (_scrutin, mut programme, port) =
        demarrer_avec(&etape, binaire, &["--inactivite", &INACTIVITE.to_string()])?;
    let indice = "bornez chaque trame par une échéance (Instant) et réglez avant chaque \
                  lecture le délai qui reste : un set_read_timeout fixe repart de zéro à \
                  chaque octet reçu.";
    let mut muette = etape.connecter(&mut programme, port)?;
    if !fermee_par_le_serveur(&mut muette, FERMETURE_ATTENDUE) {
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Avec --inactivite {INACTIVITE}, une connexion muette est encore ouverte \
                     après {} s.",
                    FERMETURE_ATTENDUE.as_secs()
                ),
            )
            .regle("R18")
            .indice(indice));
    }
    let mut lente = etape.connecter(&mut programme, port)?;
    let trame = trames::voter(&jeton(7), 1);
    let debut = std::time::Instant::now();
    for octet in trame.iter().cycle() {
        if debut.elapsed() > FERMETURE_ATTENDUE {
            return Err(etape
                .echec_de(
                    &programme,
                    format!(
                        "Avec --inactivite {INACTIVITE}, une connexion qui envoie un octet toutes \
                         les {} ms est encore ouverte après {} s.",
                        GOUTTE.as_millis(),
                        FERMETURE_ATTENDUE.as_secs()
                    ),
                )
                .regle("R18")
                .indice(indice));
        }
        if lente.write_all(&[*octet]).is_err() || fermee_par_le_serveur(&mut lente, GOUTTE) {
            return Ok(());
        }
    }
    Ok(())
}

// ─── Le client de l'étudiant ───────────────────────────────────────────────

/// Lance le client vers le serveur de référence et accepte sa connexion.
fn client_connecte(
    etape: &Etape,
    binaire: &Path,
    commande: &[&str],
) -> Result<(Programme, TcpStream), Diagnostic> {
    let reference = ServeurDeReference::ouvrir().map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu ouvrir son serveur de référence : {e}."
        ))
    })?;
    client_connecte_a(etape, binaire, &reference, "127.0.0.1", commande)
}

/// Lance le client vers `hote` et le port du serveur de référence, et
/// attend sa connexion. Un client qui ne se connecte pas n'a pas joint
/// l'hôte et le port donnés : R22 (R23 pour un hôte IPv6), quelle que soit
/// l'étape.
fn client_connecte_a(
    etape: &Etape,
    binaire: &Path,
    reference: &ServeurDeReference,
    hote: &str,
    commande: &[&str],
) -> Result<(Programme, TcpStream), Diagnostic> {
    let port = reference.port().to_string();
    let mut arguments = vec!["client", hote, &port];
    arguments.extend_from_slice(commande);
    let mut programme = etape.lancer(binaire, "client", &arguments)?;
    let regle = if hote.contains(':') { "R23" } else { "R22" };
    let flux = etape
        .accepter(reference, &mut programme)
        .map_err(|d| d.enfreint(regle))?;
    Ok((programme, flux))
}

/// Lit la requête du client et la compare à `attendue`.
fn requete_du_client(
    etape: &Etape,
    programme: &Programme,
    flux: &mut TcpStream,
    attendue: &[u8],
    commande: &str,
) -> Result<(), Diagnostic> {
    attendre_trame(
        etape,
        programme,
        flux,
        attendue,
        &format!("Requête envoyée par « client … {commande} »"),
    )
}

/// Étape 1 : le client se connecte au serveur donné.
pub fn client_1_connexion(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(client_1_connexion_observe(binaire), "R22")
}

fn client_1_connexion_observe(binaire: &Path) -> Result<(), Diagnostic> {
    client_connecte(&client(1, "connexion au serveur"), binaire, &["options"]).map(|_| ())
}

/// Étape 1 : l'hôte peut être une adresse IPv6. Lancé avec `::1`, le client
/// joint le serveur de référence, qui n'écoute que là. La connexion suffit :
/// la trame qu'il envoie ensuite demande les étapes 3 et 4 de protocole.rs.
pub fn client_1_ipv6(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(client_1_ipv6_observe(binaire), "R23")
}

fn client_1_ipv6_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(1, "hôte IPv6 (::1)");
    let Some(reference) = ServeurDeReference::ouvrir_ipv6_ou_le_dire("TP14 · client_1_ipv6")
    else {
        return Ok(());
    };
    client_connecte_a(&etape, binaire, &reference, "::1", &["options"])
        .map(|_| ())
        .map_err(|d| d.indice(reseau::INDICE_CLIENT_IPV6))
}

/// Étape 3 : `options` envoie LISTER, lit OPTIONS (qui arrive octet par
/// octet) et l'affiche.
pub fn client_3_options(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(client_3_options_observe(binaire), "R19")
}

fn client_3_options_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "options : LISTER, puis affichage");
    let (mut programme, mut flux) = client_connecte(&etape, binaire, &["options"])?;
    requete_du_client(&etape, &programme, &mut flux, &trames::lister(), "options")
        .map_err(|d| d.indice("LISTER = 0x01 suivi d'une longueur nulle : 5 octets en tout."))?;
    envoyer(
        &etape,
        &programme,
        &mut flux,
        &trames::options(QUESTION, &OPTIONS),
        true,
    )?;
    let lignes: Vec<String> = std::iter::once(QUESTION.to_string())
        .chain((1..).zip(OPTIONS).map(|(n, o)| format!("  {n}. {o}")))
        .collect();
    let lignes: Vec<&str> = lignes.iter().map(String::as_str).collect();
    etape.lignes_affichees(
        &programme,
        &lignes,
        "la réponse est arrivée octet par octet : lisez l'en-tête, puis exactement la \
         charge annoncée (read_exact), avant de décoder.",
    )?;
    etape.fin_normale(&mut programme)
}

/// Étape 3 : `voter JETON OPTION` envoie la trame VOTER exacte et affiche le reçu.
pub fn client_3_voter(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(client_3_voter_observe(binaire), "R19")
}

fn client_3_voter_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "voter : VOTER, puis le reçu");
    let (mut programme, mut flux) =
        client_connecte(&etape, binaire, &["voter", "electeur-042", "3"])?;
    requete_du_client(
        &etape,
        &programme,
        &mut flux,
        &trames::voter("electeur-042", 3),
        "voter electeur-042 3",
    )
    .map_err(|d| {
        d.indice(
            "VOTER = 0x02, longueur (u32), le jeton (u16 + UTF-8) puis le numéro d'option \
             (u16), tout en gros-boutiste.",
        )
    })?;
    envoyer(&etape, &programme, &mut flux, &trames::recu(42), false)?;
    etape.lignes_affichees(
        &programme,
        &["Vote enregistré : reçu n° 42"],
        "le reçu est un u32 gros-boutiste.",
    )?;
    etape.fin_normale(&mut programme)
}

/// Étape 3 : `voter JETON 0` est refusé sur place (code 64, usage),
/// sans rien demander au serveur : 0 n'est le numéro d'aucune option.
pub fn client_3_option_zero(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "voter : option 0 refusée sur place (code 64)");
    let reference = ServeurDeReference::ouvrir().map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu ouvrir son serveur de référence : {e}."
        ))
    })?;
    let port = reference.port().to_string();
    let arguments = ["client", "127.0.0.1", &port, "voter", "electeur-042", "0"];
    let mut programme = etape.lancer(binaire, "client", &arguments)?;
    let indice = "vérifiez l'option dans main.rs, avant de vous connecter : les options sont \
                  numérotées à partir de 1 ; une erreur d'utilisation finit avec le code 64 \
                  (EX_USAGE) et rappelle l'usage.";
    let statut = programme.attendre_fin(DELAI_DEMARRAGE);
    let erreurs = programme.erreurs();
    match statut {
        Some(statut) if statut.code() == Some(64) && erreurs.contains("usage") => Ok(()),
        Some(statut) => Err(etape
            .echec_de(
                &programme,
                format!(
                    "« client … voter electeur-042 0 » : attendu le code 64 et l'usage sur la \
                     sortie d'erreur ; le client s'est arrêté ({}).",
                    statut_en_clair(statut)
                ),
            )
            .regle("R21")
            .indice(indice)),
        None => Err(etape
            .echec_de(
                &programme,
                format!(
                    "« client … voter electeur-042 0 » : le client tourne encore après {} s \
                     (il attend sans doute la réponse du serveur, qui ne viendra pas).",
                    DELAI_DEMARRAGE.as_secs()
                ),
            )
            .regle("R21")
            .indice(indice)),
    }
}

/// Étape 3 : un refus du serveur s'affiche en français, code de sortie 1.
pub fn client_3_refus(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(client_3_refus_observe(binaire), "R20")
}

fn client_3_refus_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "voter : refus du serveur");
    let (mut programme, mut flux) =
        client_connecte(&etape, binaire, &["voter", "electeur-042", "3"])?;
    requete_du_client(
        &etape,
        &programme,
        &mut flux,
        &trames::voter("electeur-042", 3),
        "voter electeur-042 3",
    )?;
    envoyer(
        &etape,
        &programme,
        &mut flux,
        &trames::erreur(code::DEJA_VOTE),
        false,
    )?;
    let attendu = "erreur : le serveur a refusé la requête : ce jeton a déjà voté (code 6)";
    let Some(statut) = programme.attendre_fin(DELAI_REPONSE) else {
        return Err(etape.echec_de(
            &programme,
            format!(
                "Après une ERREUR 6, le client tourne encore {} s plus tard.",
                DELAI_REPONSE.as_secs()
            ),
        ));
    };
    let erreurs = programme.erreurs();
    if statut.code() != Some(1) || !erreurs.lines().any(|l| l == attendu) {
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Après une ERREUR 6, le client doit écrire sur sa sortie d'erreur la ligne \
                     attendue et se terminer avec le code 1 (il s'est terminé : {}).",
                    statut_en_clair(statut)
                ),
            )
            .ecart(attendu, erreurs.lines().last().unwrap_or_default())
            .indice(
                "un refus n'est pas un bug : pas de panique, un message en français et le code 1.",
            ));
    }
    Ok(())
}

/// Étape 3 : `resultats` envoie RESULTATS et affiche le décompte.
pub fn client_3_resultats(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(client_3_resultats_observe(binaire), "R19")
}

fn client_3_resultats_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "resultats : RESULTATS, puis affichage");
    let (mut programme, mut flux) = client_connecte(&etape, binaire, &["resultats"])?;
    requete_du_client(
        &etape,
        &programme,
        &mut flux,
        &trames::resultats(),
        "resultats",
    )
    .map_err(|d| d.indice("RESULTATS = 0x03 suivi d'une longueur nulle : 5 octets en tout."))?;
    let voix = [3, 1, 0, 2];
    let decompte = trames::decompte(&OPTIONS, &voix);
    // En deux morceaux, coupés au milieu du décompte.
    let (debut, fin) = decompte.split_at(decompte.len() / 2);
    envoyer(&etape, &programme, &mut flux, debut, false)?;
    thread::sleep(Duration::from_millis(30));
    envoyer(&etape, &programme, &mut flux, fin, false)?;
    let lignes: Vec<String> = std::iter::once("Résultats :".to_string())
        .chain(
            (1..)
                .zip(OPTIONS.iter().zip(voix))
                .map(|(n, (o, v))| format!("  {n}. {o} : {v} voix")),
        )
        .collect();
    let lignes: Vec<&str> = lignes.iter().map(String::as_str).collect();
    etape.lignes_affichees(
        &programme,
        &lignes,
        "le décompte est arrivé en deux morceaux : lisez toute la charge annoncée avant de la décoder.",
    )?;
    etape.fin_normale(&mut programme)
}

// ─── Les deux ensemble ─────────────────────────────────────────────────────

/// Le client de l'étudiant contre son propre serveur : options, vote,
/// second vote refusé, résultats.
pub fn croise_client_et_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(croise_client_et_serveur_observe(binaire), "R19")
}

fn croise_client_et_serveur_observe(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = Etape {
        tp: TP,
        cote: Cote::Croise,
        numero: 1,
        nom: "votre client avec votre serveur",
    };
    let scrutin = nouveau_scrutin(&etape)?;
    let (mut serveur, port) = demarrer(&etape, binaire, &scrutin)?;
    let port = port.to_string();
    let lancer = |commande: &[&str]| -> Result<Programme, Diagnostic> {
        let mut arguments = vec!["client", "127.0.0.1", &port];
        arguments.extend_from_slice(commande);
        let mut client = etape.lancer(binaire, "client", &arguments)?;
        client.attendre_fin(DELAI_REPONSE);
        Ok(client)
    };
    let avec_serveur = |d: Diagnostic| d.sortie(serveur.dernieres_lignes());
    let mut options = lancer(&["options"])?;
    etape
        .lignes_affichees(
            &options,
            &[QUESTION, "  1. Rust"],
            "le client affiche la question, puis les options numérotées.",
        )
        .and_then(|()| etape.fin_normale(&mut options))
        .map_err(avec_serveur)?;
    let mut vote = lancer(&["voter", &jeton(5), "2"])?;
    etape
        .lignes_affichees(
            &vote,
            &["Vote enregistré : reçu n° 1"],
            "le premier vote reçoit le reçu n° 1.",
        )
        .and_then(|()| etape.fin_normale(&mut vote))
        .map_err(avec_serveur)?;
    let mut second = lancer(&["voter", &jeton(5), "3"])?;
    if second.statut().and_then(|s| s.code()) != Some(1) {
        return Err(etape
            .echec_de(
                &second,
                "Un second vote du même jeton doit échouer (code de sortie 1).",
            )
            .sortie(serveur.dernieres_lignes()));
    }
    let mut resultats = lancer(&["resultats"])?;
    etape
        .lignes_affichees(
            &resultats,
            &[
                "Résultats :",
                "  1. Rust : 0 voix",
                "  2. C : 1 voix",
                "  3. Python : 0 voix",
            ],
            "un seul vote compté, pour l'option 2.",
        )
        .and_then(|()| etape.fin_normale(&mut resultats))
        .map_err(avec_serveur)?;
    if let Some(statut) = serveur.statut() {
        return Err(etape.echec_de(
            &serveur,
            format!(
                "Le serveur s'est arrêté ({}) : il doit servir sans fin.",
                statut_en_clair(statut)
            ),
        ));
    }
    Ok(())
}
