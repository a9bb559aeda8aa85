//! TP08 — socket locale (AF_UNIX) (squelette à compléter).
//!
//! Ce fichier est fourni : il lit la ligne de commande et lance le bon
//! rôle. Votre travail est dans `serveur.rs` et `client.rs`.
//!
//! Un seul programme, deux rôles choisis par le premier argument :
//! `serveur [CHEMIN]` ou `client [CHEMIN] [CARACTÈRE]`. Chaque rôle vit dans
//! son fichier, comme deux programmes indépendants.

mod client;
mod serveur;

use std::path::PathBuf;
use std::process::ExitCode;

/// Le chemin de la socket, quand aucun n'est donné (relatif au dossier courant).
const CHEMIN_PAR_DEFAUT: &str = "socket_serveur";
/// Le caractère envoyé par le client, quand aucun n'est donné.
const OCTET_PAR_DEFAUT: u8 = b'A';
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;

/// Ce que la ligne de commande demande.
enum Commande {
    Serveur { chemin: PathBuf },
    Client { chemin: PathBuf, octet: u8 },
    Aide,
}

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} serveur [CHEMIN]\n        {nom} client [CHEMIN] [CARACTÈRE]\n\
         Par défaut, CHEMIN vaut {CHEMIN_PAR_DEFAUT} et CARACTÈRE vaut {}.\n\
         CARACTÈRE est un caractère ASCII (A, z, ~…) ou \\xNN pour un octet \
         quelconque écrit en hexadécimal (\\xff, \\x00…).",
        lisible(OCTET_PAR_DEFAUT)
    )
}

/// Lit le caractère à envoyer : un caractère ASCII (un octet en UTF-8), ou
/// `\xNN`, deux chiffres hexadécimaux, pour n'importe quel octet.
fn lire_octet(texte: Option<&String>) -> Result<u8, String> {
    let Some(texte) = texte else {
        return Ok(OCTET_PAR_DEFAUT);
    };
    if let [octet] = texte.as_bytes()
        && octet.is_ascii()
    {
        return Ok(*octet);
    }
    texte
        .strip_prefix("\\x")
        .filter(|chiffres| chiffres.len() == 2)
        .and_then(|chiffres| u8::from_str_radix(chiffres, 16).ok())
        .ok_or_else(|| {
            format!(
                "caractère invalide : « {texte} » (un caractère ASCII, ou \\xNN pour un octet \
                 quelconque, par exemple \\xff)"
            )
        })
}

/// Un octet tel que les deux rôles l'affichent : lui-même s'il est un
/// caractère ASCII visible (de `!` à `~`), sinon `\xNN` en hexadécimal
/// (`\x20` pour l'espace, `\xff` pour 255). Un octet seul au-delà de 127
/// n'est pas un caractère UTF-8 complet : l'écrire tel quel donnerait
/// un � à l'écran.
pub fn lisible(octet: u8) -> String {
    if octet.is_ascii_graphic() {
        char::from(octet).to_string()
    } else {
        format!("\\x{octet:02x}")
    }
}

fn analyser(args: &[String]) -> Result<Commande, String> {
    let chemin = |i: usize| PathBuf::from(args.get(i).map_or(CHEMIN_PAR_DEFAUT, String::as_str));
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "aide") => Ok(Commande::Aide),
        Some("serveur") if args.len() <= 2 => Ok(Commande::Serveur { chemin: chemin(1) }),
        Some("client") if args.len() <= 3 => Ok(Commande::Client {
            chemin: chemin(1),
            octet: lire_octet(args.get(2))?,
        }),
        Some("serveur" | "client") => Err("trop d'arguments".to_string()),
        Some(autre) => Err(format!("rôle inconnu : « {autre} » (serveur ou client)")),
        None => Err("il manque le rôle : serveur ou client".to_string()),
    }
}

fn main() -> ExitCode {
    // Un argument qui n'est pas de l'UTF-8 ne peut pas être un rôle ni un caractère.
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
        Ok(Commande::Serveur { chemin }) => serveur::lancer(&chemin),
        Ok(Commande::Client { chemin, octet }) => client::lancer(&chemin, octet),
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
