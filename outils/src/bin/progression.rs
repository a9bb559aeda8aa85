//! `cargo progression` : note tous les TP de l'espace de travail et affiche
//! où vous en êtes — étapes réussies, première étape à reprendre.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

const USAGE: &str = "\
Usage : cargo progression

Compile et note chaque TP de exercises/ (les tests de chaque étape, comme
cargo test -p tpNN), puis affiche pour chacun les étapes réussies et la
première à reprendre. Pour le diagnostic complet d'une étape :
cargo test -p tpNN NOM_DE_L_ETAPE
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
    let racine = trouver_racine()?;
    let cible = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| racine.join("target"));
    let lignes = outils::progression::progression(&racine, &cible, |tp| {
        eprintln!("… {}", tp.nom);
    })?;
    let couleur = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    print!("{}", outils::progression::tableau(&lignes, couleur));
    Ok(())
}

/// L'espace de travail : le premier dossier qui contient `exercises/` en
/// remontant depuis le dossier courant, sinon celui où l'outil a été compilé.
fn trouver_racine() -> anyhow::Result<PathBuf> {
    let courant = std::env::current_dir().context("dossier courant illisible")?;
    if let Some(racine) = courant.ancestors().find(|d| d.join("exercises").is_dir()) {
        return Ok(racine.to_path_buf());
    }
    let espace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if espace.join("exercises").is_dir() {
        return Ok(espace);
    }
    bail!(
        "aucun dossier exercises/ en remontant depuis {}",
        courant.display()
    )
}
