//! TP13 — un seul thread, plusieurs clients : le bar multiplexé (corrigé).
//!
//! Le protocole est celui du TP12 : `serveur [PORT] [--max-clients N]`,
//! une réponse par commande, « fin », « bar complet ». Seule l'architecture
//! change : un unique thread sert tous les clients, grâce à une boucle
//! d'événements (`serveur.rs`) et à une machine à états par connexion
//! (`connexion.rs`).

mod connexion;
mod serveur;

use std::process::ExitCode;

/// Le port du bar, quand aucun n'est donné.
const PORT_PAR_DEFAUT: u16 = 1664;
/// Le nombre de clients servis à la fois, quand `--max-clients` n'est pas donné.
const MAX_CLIENTS_PAR_DEFAUT: usize = 64;
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;

/// Ce que la ligne de commande demande.
enum Commande {
    Serveur { port: u16, max_clients: usize },
    Aide,
}

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} serveur [PORT] [--max-clients N]\n\
         Par défaut, PORT vaut {PORT_PAR_DEFAUT} et N vaut {MAX_CLIENTS_PAR_DEFAUT}.\n\
         Le serveur n'écoute que sur la boucle locale (127.0.0.1) ; un seul thread \
         sert tous les clients.\nPour jouer un client, prenez celui du TP12 : \
         cargo run -p tp12 -- client"
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
        Some("client") => Err(
            "ce TP n'a pas de client : prenez celui du TP12 (cargo run -p tp12 -- client)"
                .to_string(),
        ),
        Some(autre) => Err(format!("rôle inconnu : « {autre} » (serveur)")),
        None => Err("il manque le rôle : serveur".to_string()),
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
