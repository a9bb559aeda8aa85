//! TP11 — UDP, mode symétrique (corrigé).
//!
//! Un seul rôle, `pair` : deux exemplaires du même programme se parlent,
//! chacun attaché à un port connu de l'autre. Le rôle vit dans son fichier.

mod pair;

use std::process::ExitCode;

/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;

/// Ce que la ligne de commande demande.
enum Commande {
    Pair {
        port_local: u16,
        hote_distant: String,
        port_distant: u16,
    },
    Aide,
}

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} pair PORT_LOCAL HÔTE_DISTANT PORT_DISTANT\n\
         Attache une socket UDP à 127.0.0.1:PORT_LOCAL et converse avec le pair \
         HÔTE_DISTANT:PORT_DISTANT.\n\
         Chaque ligne tapée part en un datagramme ; « fin » termine la conversation."
    )
}

/// Lit un numéro de port (0 laisse le système choisir un port libre).
fn lire_port(texte: &str) -> Result<u16, String> {
    texte
        .parse()
        .map_err(|_| format!("port invalide : « {texte} » (un entier de 0 à 65535 est attendu)"))
}

fn analyser(args: &[String]) -> Result<Commande, String> {
    match args {
        [aide] if ["-h", "--help", "aide"].contains(&aide.as_str()) => Ok(Commande::Aide),
        [role, port_local, hote, port_distant] if role == "pair" => Ok(Commande::Pair {
            port_local: lire_port(port_local)?,
            hote_distant: hote.clone(),
            port_distant: lire_port(port_distant)?,
        }),
        [role, ..] if role == "pair" => {
            Err("pair attend trois arguments : PORT_LOCAL HÔTE_DISTANT PORT_DISTANT".to_string())
        }
        [autre, ..] => Err(format!(
            "rôle inconnu : « {autre} » (le seul rôle est pair)"
        )),
        [] => Err("il manque le rôle : pair".to_string()),
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
        Ok(Commande::Pair {
            port_local,
            hote_distant,
            port_distant,
        }) => pair::lancer(port_local, &hote_distant, port_distant),
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
