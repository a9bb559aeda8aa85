//! TP12 — serveur concurrent : le bar (corrigé).
//!
//! Un seul programme, deux rôles choisis par le premier argument :
//! `serveur [PORT] [--max-clients N]` ou `client [HÔTE] [PORT]`. Le serveur
//! est réparti en deux fichiers : `serveur.rs` (le veilleur, qui accepte)
//! et `executant.rs` (la session d'un client) ; le client vit dans `client.rs`.

mod client;
mod executant;
mod serveur;

use std::process::ExitCode;

/// Le port du bar, quand aucun n'est donné.
const PORT_PAR_DEFAUT: u16 = 1664;
/// Le nombre de clients servis à la fois, quand `--max-clients` n'est pas donné.
const MAX_CLIENTS_PAR_DEFAUT: usize = 64;
/// L'hôte du client, quand aucun n'est donné : le serveur tourne sur la même machine.
const HOTE_PAR_DEFAUT: &str = "localhost";
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;

/// Ce que la ligne de commande demande.
enum Commande {
    Serveur { port: u16, max_clients: usize },
    Client { hote: String, port: u16 },
    Aide,
}

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} serveur [PORT] [--max-clients N]\n        {nom} client [HÔTE] [PORT]\n\
         Par défaut, PORT vaut {PORT_PAR_DEFAUT}, N vaut {MAX_CLIENTS_PAR_DEFAUT} et HÔTE vaut \
         {HOTE_PAR_DEFAUT}.\nLe serveur n'écoute que sur la boucle locale (127.0.0.1)."
    )
}

/// Lit un numéro de port (0 laisse le système choisir un port libre).
fn lire_port(texte: &str) -> Result<u16, String> {
    texte
        .parse()
        .map_err(|_| format!("port invalide : « {texte} » (un entier de 0 à 65535 est attendu)"))
}

/// Lit le nombre maximal de clients : au moins 1.
fn lire_max_clients(texte: Option<&String>) -> Result<usize, String> {
    let texte = texte.ok_or("--max-clients attend un nombre")?;
    match texte.parse() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "nombre de clients invalide : « {texte} » (un entier supérieur ou égal à 1 est attendu)"
        )),
    }
}

/// `serveur [PORT] [--max-clients N]`, options et port dans n'importe quel ordre.
fn analyser_serveur(args: &[String]) -> Result<Commande, String> {
    let (mut port, mut max_clients) = (None, None);
    let mut restants = args.iter();
    while let Some(arg) = restants.next() {
        if arg == "--max-clients" && max_clients.is_none() {
            max_clients = Some(lire_max_clients(restants.next())?);
        } else if arg.starts_with("--") {
            return Err(format!("option inconnue : « {arg} »"));
        } else if port.is_none() {
            port = Some(lire_port(arg)?);
        } else {
            return Err("trop d'arguments".to_string());
        }
    }
    Ok(Commande::Serveur {
        port: port.unwrap_or(PORT_PAR_DEFAUT),
        max_clients: max_clients.unwrap_or(MAX_CLIENTS_PAR_DEFAUT),
    })
}

fn analyser(args: &[String]) -> Result<Commande, String> {
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "aide") => Ok(Commande::Aide),
        Some("serveur") => analyser_serveur(&args[1..]),
        Some("client") if args.len() <= 3 => Ok(Commande::Client {
            hote: args
                .get(1)
                .cloned()
                .unwrap_or_else(|| HOTE_PAR_DEFAUT.to_string()),
            port: args.get(2).map_or(Ok(PORT_PAR_DEFAUT), |p| lire_port(p))?,
        }),
        Some("client") => Err("trop d'arguments".to_string()),
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
        Ok(Commande::Serveur { port, max_clients }) => serveur::lancer(port, max_clients),
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
