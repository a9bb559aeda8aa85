//! `cargo progression` : note tous les TP de l'espace de travail et affiche
//! où vous en êtes — étapes réussies, première étape à reprendre.

use std::io::IsTerminal;
use std::process::ExitCode;

use outils::suivi::etat::Etat;
use outils::tps;

const USAGE: &str = "\
Usage : cargo progression

Compile et note chaque TP de exercises/ (les tests de chaque étape, comme
cargo test -p tpNN), puis affiche pour chacun les étapes réussies et la
première à reprendre, et le temps passé sur chacun (mesuré par le mode
suivi, cargo suivre). Pour le diagnostic complet d'une étape :
cargo test -p tpNN NOM_DE_L_ETAPE, ou cargo suivre tpNN.
";

fn main() -> ExitCode {
    let arguments = match outils::notation::arguments_utf8() {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("erreur : {message}\n\n{USAGE}");
            return ExitCode::from(64);
        }
    };
    if arguments.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if let Some(argument) = arguments.first() {
        eprintln!("erreur : argument inattendu : {argument}\n\n{USAGE}");
        return ExitCode::from(64);
    }
    match executer() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn executer() -> anyhow::Result<()> {
    let racine = tps::trouver_espace()?;
    let cible = tps::dossier_cible(&racine);
    let lignes = outils::progression::progression(&racine, &cible, |tp| {
        eprintln!("… {}", tp.nom);
    })?;
    let mut etat = Etat::lire(Etat::chemin_dans(&cible));
    outils::progression::noter_dans_le_suivi(&racine, &lignes, &mut etat);
    if let Err(e) = etat.ecrire() {
        eprintln!("avertissement : état du mode suivi non enregistré : {e:#}");
    }
    let couleur = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    print!(
        "{}",
        outils::progression::tableau_avec_suivi(&lignes, couleur, Some(&etat))
    );
    Ok(())
}
