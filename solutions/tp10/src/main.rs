//! TP10 — UDP, mode asymétrique (corrigé).
//!
//! Un seul programme, deux rôles choisis par le premier argument :
//! `serveur [PORT]` ou `client [--delai MS] HÔTE PORT MESSAGE`. Chaque rôle
//! vit dans son fichier, comme deux programmes indépendants.

mod client;
mod serveur;

use std::process::ExitCode;
use std::time::Duration;

/// Le port du chapitre, quand aucun n'est donné au serveur.
const PORT_PAR_DEFAUT: u16 = 31470;
/// Le temps qu'un client laisse au serveur pour répondre, à chaque essai.
const DELAI_PAR_DEFAUT_MS: u64 = 1000;
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;

/// Ce que la ligne de commande demande.
enum Commande {
    Serveur {
        port: u16,
    },
    Client {
        hote: String,
        port: u16,
        message: String,
        delai: Duration,
    },
    Aide,
}

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} serveur [PORT]\n        {nom} client [--delai MS] HÔTE PORT MESSAGE\n\
         Par défaut, PORT vaut {PORT_PAR_DEFAUT} pour le serveur ; le client attend chaque \
         réponse {DELAI_PAR_DEFAUT_MS} ms (--delai), et essaie 3 fois en tout."
    )
}

/// Lit un numéro de port (0 laisse le système choisir un port libre).
fn lire_port(texte: &str) -> Result<u16, String> {
    texte
        .parse()
        .map_err(|_| format!("port invalide : « {texte} » (un entier de 0 à 65535 est attendu)"))
}

/// Lit le délai d'attente d'une réponse, en millisecondes (au moins 1).
fn lire_delai(texte: &str) -> Result<Duration, String> {
    match texte.parse::<u64>() {
        Ok(ms) if ms > 0 => Ok(Duration::from_millis(ms)),
        _ => Err(format!(
            "délai invalide : « {texte} » (un nombre de millisecondes, au moins 1, est attendu)"
        )),
    }
}

fn analyser(args: &[String]) -> Result<Commande, String> {
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "aide") => Ok(Commande::Aide),
        Some("serveur") if args.len() <= 2 => Ok(Commande::Serveur {
            port: args
                .get(1)
                .map_or(Ok(PORT_PAR_DEFAUT), |texte| lire_port(texte))?,
        }),
        Some("serveur") => Err("trop d'arguments".to_string()),
        Some("client") => {
            let (delai, reste) = match &args[1..] {
                [option, valeur, reste @ ..] if option == "--delai" => (lire_delai(valeur)?, reste),
                reste => (Duration::from_millis(DELAI_PAR_DEFAUT_MS), reste),
            };
            match reste {
                [hote, port, message] => Ok(Commande::Client {
                    hote: hote.clone(),
                    port: lire_port(port)?,
                    message: message.clone(),
                    delai,
                }),
                [_, _, _, ..] => {
                    Err("trop d'arguments (mettez le message entre guillemets)".into())
                }
                _ => Err("il manque l'hôte, le port ou le message".to_string()),
            }
        }
        Some(autre) => Err(format!("rôle inconnu : « {autre} » (serveur ou client)")),
        None => Err("il manque le rôle : serveur ou client".to_string()),
    }
}

fn main() -> ExitCode {
    // Un argument qui n'est pas de l'UTF-8 ne peut pas être un rôle, un port
    // ni un message à envoyer en UTF-8.
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
        Ok(Commande::Serveur { port }) => serveur::lancer(port),
        Ok(Commande::Client {
            hote,
            port,
            message,
            delai,
        }) => client::lancer(&hote, port, &message, delai),
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
