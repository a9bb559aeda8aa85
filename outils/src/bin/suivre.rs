//! `cargo suivre [tpNN]` : le mode suivi. À lancer une fois dans un
//! terminal et à garder ouvert : chaque sauvegarde sous `exercises/`
//! recompile et recorrige le TP.

use std::io::IsTerminal;
use std::process::ExitCode;

use outils::suivi::{self, Reglages};
use outils::tps;

const USAGE: &str = "\
Usage : cargo suivre [TP] [--une-fois]

Le mode suivi : lancez-le une fois dans un terminal et gardez-le ouvert
pendant que vous écrivez votre code. Il corrige le premier TP qui n'est
pas fini (ou le TP nommé : tp09, 9…), étape par étape comme
cargo test -p tpNN, et recorrige à chaque sauvegarde sous exercises/.

L'écran montre les étapes (✓ réussie, ✗ ratée, · pas atteinte, ○ non
vérifiable sur cette machine), le diagnostic de la première étape ratée
et la commande qui la lance seule.

Touches :
  r (ou Entrée)     recorriger
  i                 montrer l'indice suivant de l'étape ratée
  s / p             TP suivant / précédent
  c                 le cours entier : étapes, temps passé, prochaine étape
  ↑ ↓ Page suiv.    faire défiler le diagnostic
  q (ou Ctrl+C)     quitter

--une-fois : corriger une fois, imprimer l'écran et sortir (c'est aussi
ce qui se passe quand la sortie n'est pas un terminal). Code de sortie :
0 si le TP est fini, 1 sinon.
";

fn main() -> ExitCode {
    let mut tp = None;
    let mut une_fois = false;
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--une-fois" => une_fois = true,
            _ if argument.starts_with('-') || tp.is_some() => {
                eprintln!("erreur : argument inattendu : {argument}\n\n{USAGE}");
                return ExitCode::from(64);
            }
            _ => tp = Some(argument),
        }
    }
    let reglages = match tps::trouver_espace() {
        Ok(espace) => Reglages {
            cible: tps::dossier_cible(&espace),
            espace,
            tp,
        },
        Err(e) => {
            eprintln!("erreur : {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let terminal = std::io::stdout().is_terminal()
        && std::io::stdin().is_terminal()
        && std::env::var("TERM").is_ok_and(|t| t != "dumb");
    let resultat = if une_fois || !terminal {
        suivi::une_fois(&reglages).map(|fini| {
            if fini {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        })
    } else {
        let couleur = std::env::var_os("NO_COLOR").is_none();
        suivi::suivre(&reglages, couleur).map(|()| ExitCode::SUCCESS)
    };
    resultat.unwrap_or_else(|e| {
        let texte = format!("{e:#}");
        eprintln!("erreur : {texte}");
        // Un TP inconnu est une erreur d'usage.
        if texte.starts_with("TP inconnu") {
            ExitCode::from(64)
        } else {
            ExitCode::FAILURE
        }
    })
}
