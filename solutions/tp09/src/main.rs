//! TP09 — client et serveur TCP (corrigé).
//!
//! Un seul programme, deux rôles choisis par le premier argument :
//! `serveur [PORT]` ou `client [HÔTE] [PORT]`. Chaque rôle vit dans son
//! fichier, comme deux programmes indépendants.

mod client;
mod serveur;

use std::process::ExitCode;

/// Le port du chapitre, quand aucun n'est donné.
const PORT_PAR_DEFAUT: u16 = 65432;
/// L'hôte du client, quand aucun n'est donné : le serveur tourne sur la même machine.
const HOTE_PAR_DEFAUT: &str = "localhost";
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;

/// Ce que la ligne de commande demande.
enum Commande {
    Serveur { port: u16 },
    Client { hote: String, port: u16 },
    Aide,
}

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} serveur [PORT]\n        {nom} client [HÔTE] [PORT]\n\
         Par défaut, PORT vaut {PORT_PAR_DEFAUT} et HÔTE vaut {HOTE_PAR_DEFAUT}."
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

fn analyser(args: &[String]) -> Result<Commande, String> {
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "aide") => Ok(Commande::Aide),
        Some("serveur") if args.len() <= 2 => Ok(Commande::Serveur {
            port: lire_port(args.get(1))?,
        }),
        Some("client") if args.len() <= 3 => Ok(Commande::Client {
            hote: args
                .get(1)
                .cloned()
                .unwrap_or_else(|| HOTE_PAR_DEFAUT.to_string()),
            port: lire_port(args.get(2))?,
        }),
        Some("serveur" | "client") => Err("trop d'arguments".to_string()),
        Some(autre) => Err(format!("rôle inconnu : « {autre} » (serveur ou client)")),
        None => Err("il manque le rôle : serveur ou client".to_string()),
    }
}

fn main() -> ExitCode {
    // Un argument qui n'est pas de l'UTF-8 ne peut pas être un rôle ni un port.
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
        Ok(Commande::Client { hote, port }) => client::lancer(&hote, port),
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
