//! TP14 — projet : application de vote (corrigé).
//!
//! Un seul programme, deux rôles choisis par le premier argument. Le
//! protocole (`protocole.rs`) est commun aux deux rôles : ils parlent la
//! même langue parce qu'ils partagent le même code d'encodage.

mod client;
mod journal;
mod protocole;
mod scrutin;
mod serveur;
mod urne;

use std::path::PathBuf;
use std::process::ExitCode;

use std::time::Duration;

use journal::Abime;
use protocole::Requete;
use serveur::{Fichiers, Limites};

/// Le port par défaut, quand aucun n'est donné.
const PORT_PAR_DEFAUT: u16 = 65432;
/// L'hôte du client, quand aucun n'est donné.
const HOTE_PAR_DEFAUT: &str = "localhost";
/// Connexions servies à la fois, par défaut : la foule de 200 électeurs
/// du correcteur passe, 3 000 connexions muettes ne font pas 3 000 fils.
const CONNEXIONS_MAX_PAR_DEFAUT: usize = 512;
/// Temps laissé à un client pour envoyer une trame complète, par défaut.
const INACTIVITE_PAR_DEFAUT: u64 = 30;
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;

/// Ce que la ligne de commande demande.
enum Commande {
    Serveur {
        port: u16,
        fichiers: Fichiers,
        abime: Abime,
        limites: Limites,
    },
    Client {
        hote: String,
        port: u16,
        requete: Requete,
    },
    Aide,
}

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} serveur [PORT] --bulletin FICHIER --electeurs FICHIER --journal FICHIER\n\
         \x20         [--connexions-max N] [--inactivite SECONDES] [--reparer-journal]\n\
         \x20       {nom} client [HÔTE] [PORT] options\n\
         \x20       {nom} client [HÔTE] [PORT] voter JETON OPTION\n\
         \x20       {nom} client [HÔTE] [PORT] resultats\n\
         Par défaut, PORT vaut {PORT_PAR_DEFAUT} et HÔTE vaut {HOTE_PAR_DEFAUT} ; \
         OPTION est le numéro affiché par « options » (à partir de 1).\n\
         --connexions-max (défaut {CONNEXIONS_MAX_PAR_DEFAUT}) : connexions servies à la fois ; \
         --inactivite (défaut {INACTIVITE_PAR_DEFAUT} s) : temps laissé à un client pour envoyer une trame ; \
         --reparer-journal : met de côté (JOURNAL.endommage) la partie abîmée d'un journal au lieu de refuser de démarrer."
    )
}

/// Lit un numéro de port (0 laisse le système choisir un port libre).
fn lire_port(texte: Option<&String>) -> Result<u16, String> {
    match texte {
        None => Ok(PORT_PAR_DEFAUT),
        Some(texte) => texte.parse().map_err(|_| {
            format!("port invalide : « {texte} » (un entier de 0 à 65535 est attendu)")
        }),
    }
}

/// Un entier strictement positif, valeur de l'option `nom`.
fn lire_positif(nom: &str, valeur: Option<&String>) -> Result<u64, String> {
    let valeur = valeur.ok_or_else(|| format!("il manque la valeur après {nom}"))?;
    valeur
        .parse()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{nom} : « {valeur} » n'est pas un entier strictement positif"))
}

/// `serveur [PORT] --bulletin F --electeurs F --journal F`, options dans
/// n'importe quel ordre.
fn analyser_serveur(args: &[String]) -> Result<Commande, String> {
    let mut port = None;
    let (mut bulletin, mut electeurs, mut journal) = (None, None, None);
    let mut abime = Abime::Refuser;
    let mut limites = Limites {
        connexions_max: CONNEXIONS_MAX_PAR_DEFAUT,
        inactivite: Duration::from_secs(INACTIVITE_PAR_DEFAUT),
    };
    let mut reste = args.iter();
    while let Some(arg) = reste.next() {
        let case = match arg.as_str() {
            "--bulletin" => &mut bulletin,
            "--electeurs" => &mut electeurs,
            "--journal" => &mut journal,
            "--reparer-journal" => {
                abime = Abime::MettreDeCote;
                continue;
            }
            "--connexions-max" => {
                let n = lire_positif(arg, reste.next())?;
                limites.connexions_max =
                    usize::try_from(n).map_err(|_| "--connexions-max : trop grand")?;
                continue;
            }
            "--inactivite" => {
                limites.inactivite = Duration::from_secs(lire_positif(arg, reste.next())?);
                continue;
            }
            option if option.starts_with("--") => {
                return Err(format!("option inconnue : « {option} »"));
            }
            _ if port.is_none() => {
                port = Some(lire_port(Some(arg))?);
                continue;
            }
            _ => return Err("trop d'arguments".to_string()),
        };
        let valeur = reste
            .next()
            .ok_or_else(|| format!("il manque le fichier après {arg}"))?;
        *case = Some(PathBuf::from(valeur));
    }
    let exige = |f: Option<PathBuf>, nom: &str| f.ok_or_else(|| format!("il manque {nom} FICHIER"));
    Ok(Commande::Serveur {
        port: port.unwrap_or(PORT_PAR_DEFAUT),
        fichiers: Fichiers {
            bulletin: exige(bulletin, "--bulletin")?,
            electeurs: exige(electeurs, "--electeurs")?,
            journal: exige(journal, "--journal")?,
        },
        abime,
        limites,
    })
}

/// `client [HÔTE] [PORT] options|voter JETON OPTION|resultats`.
fn analyser_client(args: &[String]) -> Result<Commande, String> {
    let position = args
        .iter()
        .position(|a| matches!(a.as_str(), "options" | "voter" | "resultats"))
        .ok_or("il manque la commande du client : options, voter ou resultats")?;
    let (adresse, commande) = args.split_at(position);
    if adresse.len() > 2 {
        return Err("trop d'arguments avant la commande".to_string());
    }
    let requete = match commande {
        [c] if c == "options" => Requete::Lister,
        [c] if c == "resultats" => Requete::Resultats,
        [c, jeton, option] if c == "voter" => {
            if jeton.is_empty() || jeton.len() > scrutin::JETON_MAX {
                return Err(format!(
                    "jeton invalide : de 1 à {} octets",
                    scrutin::JETON_MAX
                ));
            }
            // 0 n'est le numéro d'aucune option : inutile de le demander au serveur.
            let option = option.parse().ok().filter(|&n: &u16| n > 0).ok_or_else(|| {
                format!(
                    "option invalide : « {option} » (le numéro affiché par « options », à partir de 1)"
                )
            })?;
            Requete::Voter {
                jeton: jeton.clone(),
                option,
            }
        }
        [c, ..] if c == "voter" => return Err("usage : voter JETON OPTION".to_string()),
        _ => return Err("trop d'arguments après la commande".to_string()),
    };
    Ok(Commande::Client {
        hote: adresse
            .first()
            .cloned()
            .unwrap_or_else(|| HOTE_PAR_DEFAUT.to_string()),
        port: lire_port(adresse.get(1))?,
        requete,
    })
}

fn analyser(args: &[String]) -> Result<Commande, String> {
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "aide") => Ok(Commande::Aide),
        Some("serveur") => analyser_serveur(&args[1..]),
        Some("client") => analyser_client(&args[1..]),
        Some(autre) => Err(format!("rôle inconnu : « {autre} » (serveur ou client)")),
        None => Err("il manque le rôle : serveur ou client".to_string()),
    }
}

fn main() -> ExitCode {
    // Un argument qui n'est pas de l'UTF-8 ne peut être ni un rôle ni un port.
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let commande = args
        .map_err(|_| "argument illisible (pas de l'UTF-8)".to_string())
        .and_then(|args| analyser(&args));
    let resultat = match commande {
        Ok(Commande::Aide) => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Ok(Commande::Serveur {
            port,
            fichiers,
            abime,
            limites,
        }) => serveur::lancer(port, &fichiers, abime, limites),
        Ok(Commande::Client {
            hote,
            port,
            requete,
        }) => client::lancer(&hote, port, &requete),
        Err(message) => {
            eprintln!("erreur : {message}\n{}", usage());
            return ExitCode::from(EX_USAGE);
        }
    };
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(erreur) => {
            // {:#} affiche toute la chaîne des contextes : « impossible de … : cause ».
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
    }
}
