//! `cargo progression` : note tous les TP de l'espace de travail et affiche
//! où vous en êtes — étapes réussies, première étape à reprendre.

use ligne_de_commande::afficher;
use std::io::IsTerminal;
use std::process::ExitCode;

use ligne_de_commande::clap::{self, Parser};
use outils::suivi::etat::Etat;
use outils::tps;

/// Où en suis-je ? Compile et note chaque TP de exercises/, étape par étape
///
/// Les tests de chaque étape, comme cargo test -p tpNN ; puis, pour chaque
/// TP, les étapes réussies, la première à reprendre et le temps passé
/// (mesuré par le mode suivi, cargo suivre). Pour le diagnostic complet
/// d'une étape : cargo test -p tpNN NOM_DE_L_ETAPE, ou cargo suivre tpNN.
#[derive(Parser)]
#[command(name = "progression", bin_name = "cargo progression", version)]
struct Arguments {}

fn main() -> ExitCode {
    if let Err(code) = ligne_de_commande::analyser::<Arguments>() {
        return code;
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
    afficher!(
        "{}",
        outils::progression::tableau_avec_suivi(&lignes, couleur, Some(&etat))
    );
    Ok(())
}
