//! `cargo suivre [tpNN]` : le mode suivi. À lancer une fois dans un
//! terminal et à garder ouvert : chaque sauvegarde sous `exercises/`
//! recompile et recorrige le TP.

use std::io::IsTerminal;
use std::process::ExitCode;

use ligne_de_commande::clap::{self, Parser};
use outils::suivi::{self, Reglages};
use outils::tps;

/// Le mode suivi : lancez-le une fois dans un terminal et gardez-le ouvert
/// pendant que vous écrivez votre code
///
/// Il corrige le premier TP qui n'est pas fini (ou le TP nommé : tp09, 9…),
/// étape par étape comme cargo test -p tpNN, et recorrige à chaque
/// sauvegarde sous exercises/.
///
/// L'écran montre les étapes (✓ réussie, ✗ ratée, · pas atteinte, ○ non
/// vérifiable sur cette machine), le diagnostic de la première étape ratée
/// et la commande qui la lance seule.
#[derive(Parser)]
#[command(
    name = "suivre",
    bin_name = "cargo suivre",
    version,
    after_help = "Touches :\n  \
                  r (ou Entrée)     recorriger\n  \
                  i                 montrer l'indice suivant de l'étape ratée\n  \
                  s / p             TP suivant / précédent\n  \
                  c                 le cours entier : étapes, temps passé, prochaine étape\n  \
                  ↑ ↓ Page suiv.    faire défiler le diagnostic\n  \
                  q (ou Ctrl+C)     quitter"
)]
struct Arguments {
    /// Le TP à suivre (tp09, 9…) ; par défaut, le premier qui n'est pas fini
    tp: Option<String>,
    /// Corriger une fois, imprimer l'écran et sortir (c'est aussi ce qui se
    /// passe quand la sortie n'est pas un terminal). Code de sortie : 0 si
    /// le TP est fini, 1 sinon
    #[arg(long)]
    une_fois: bool,
}

fn main() -> ExitCode {
    let Arguments { tp, une_fois } = match ligne_de_commande::analyser::<Arguments>() {
        Ok(arguments) => arguments,
        Err(code) => return code,
    };
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
        // Un TP inconnu est une erreur d'usage (code 64).
        if texte.starts_with("TP inconnu") {
            ligne_de_commande::erreur_d_usage::<Arguments>(&texte)
        } else {
            eprintln!("erreur : {texte}");
            ExitCode::FAILURE
        }
    })
}
