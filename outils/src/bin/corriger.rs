//! `cargo corriger SOUMISSIONS` : corrige une classe. Chaque sous-dossier de
//! SOUMISSIONS est un étudiant ; il contient ses `tpNN/` (ou tout son
//! `exercises/`). Seuls ses `src/` sont repris, dans des paquets vierges
//! munis des tests de l'enseignant.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use outils::notation::{Bornes, Reglages, corriger_classe, gradescope, sorties};

const USAGE: &str = "\
Usage : cargo corriger SOUMISSIONS [OPTIONS]

Corrige chaque étudiant (un sous-dossier de SOUMISSIONS, dossier ou archive
.zip, qui contient ses tpNN/ ou son exercises/) pour chaque TP du cours, avec
les tests de l'enseignant, chaque copie dans un bac à sable (bubblewrap, voir
SECURITE.md), chaque étape lancée à part et bornée. Écrit dans le dossier de
sortie, au fur et à mesure : resultats/ID/TP.json, notes.csv (identifiant,
étudiant, TP, étapes réussies, total), rapports/ID.md (chaque diagnostic) et
gradescope/ID/TP/results.json. Relancée, la correction reprend : les copies
déjà notées ne sont pas refaites (sauf --refaire).

       cargo corriger gradescope DOSSIER [--tp TPNN]

La seconde forme écrit dans DOSSIER l'archive d'autocorrection Gradescope
de chaque TP (DOSSIER/tpNN-gradescope.zip : setup.sh, run_autograder et
l'espace de travail des étudiants), à téléverser telle quelle.

Options :
  --sortie DOSSIER      dossier des résultats (par défaut : correction/)
  --tp TPNN             ne noter que ce TP (tp09)
  --etudiant NOM        ne noter que cet étudiant (nom du dossier ou identifiant)
  --refaire             renoter les copies choisies même si elles sont notées
  --delai-etape S       durée maximale d'une étape, en secondes (30)
  --delai-total S       durée maximale de toutes les étapes d'un TP (180)
  --memoire MIO         mémoire maximale de chaque processus, en Mio (4096)
  --paralleles N        copies notées en même temps (nombre de processeurs)
  --sans-bac-a-sable    si le bac à sable est impossible ici, noter quand même,
                        le code des étudiants tournant avec vos droits (risqué)
  -h, --help            affiche cette aide
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
    if arguments.first().is_some_and(|a| a == "gradescope") {
        return match analyser_gradescope(&arguments[1..]) {
            Ok((dossier, tp)) => match archives_gradescope(&dossier, tp.as_deref()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("erreur : {e:#}");
                    ExitCode::FAILURE
                }
            },
            Err(message) => {
                eprintln!("erreur : {message}\n\n{USAGE}");
                ExitCode::from(64)
            }
        };
    }
    let demande = match analyser(&arguments) {
        Ok(demande) => demande,
        Err(message) => {
            eprintln!("erreur : {message}\n\n{USAGE}");
            return ExitCode::from(64);
        }
    };
    match executer(demande) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::FAILURE
        }
    }
}

struct Demande {
    soumissions: PathBuf,
    sortie: PathBuf,
    reglages: Reglages,
}

fn analyser(arguments: &[String]) -> Result<Demande, String> {
    let mut soumissions = None;
    let mut sortie = PathBuf::from("correction");
    let mut reglages = Reglages {
        bornes: Bornes::default(),
        paralleles: std::thread::available_parallelism().map_or(2, |n| n.get()),
        barre: std::io::stderr().is_terminal(),
        ..Reglages::default()
    };
    let mut restants = arguments.iter();
    while let Some(argument) = restants.next() {
        if !argument.starts_with("--") {
            if soumissions.replace(PathBuf::from(argument)).is_some() {
                return Err(format!("argument inattendu : {argument}"));
            }
            continue;
        }
        match argument.as_str() {
            "--refaire" => {
                reglages.refaire = true;
                continue;
            }
            "--sans-bac-a-sable" => {
                reglages.risque_accepte = true;
                continue;
            }
            _ => {}
        }
        let valeur = restants
            .next()
            .ok_or_else(|| format!("il manque une valeur après {argument}"))?;
        let nombre = || {
            valeur
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{argument} attend un entier positif, pas « {valeur} »"))
        };
        let bornes = &mut reglages.bornes;
        match argument.as_str() {
            "--sortie" => sortie = PathBuf::from(valeur),
            "--tp" if outils::tps::est_un_nom_de_tp(valeur) => reglages.tp = Some(valeur.clone()),
            "--tp" => return Err(format!("--tp attend un nom de TP (tp09), pas « {valeur} »")),
            "--etudiant" => reglages.etudiant = Some(valeur.clone()),
            "--delai-etape" => bornes.etape.delai = Duration::from_secs(nombre()?),
            "--delai-total" => bornes.total = Duration::from_secs(nombre()?),
            "--memoire" => bornes.etape.memoire = nombre()?.saturating_mul(1024 * 1024),
            "--paralleles" => reglages.paralleles = nombre()? as usize,
            _ => return Err(format!("option inconnue : {argument}")),
        }
    }
    let soumissions = soumissions.ok_or("il manque le dossier des soumissions")?;
    Ok(Demande {
        soumissions,
        sortie,
        reglages,
    })
}

fn executer(demande: Demande) -> anyhow::Result<()> {
    let enseignant = trouver_racine()?;
    let debut = Instant::now();
    let sortie = std::path::absolute(&demande.sortie)?;
    let notes = corriger_classe(
        &enseignant,
        &demande.soumissions,
        &sortie,
        &demande.reglages,
    )?;
    let liste: Vec<&_> = notes.iter().collect();
    print!("{}", sorties::carnet_csv(&liste));
    eprintln!(
        "{} copies au carnet, en {:.0} s ; résultats dans {} (notes.csv, rapports/, gradescope/).",
        notes.len(),
        debut.elapsed().as_secs_f64(),
        sortie.display()
    );
    Ok(())
}

/// `gradescope DOSSIER [--tp TPNN]`.
fn analyser_gradescope(arguments: &[String]) -> Result<(PathBuf, Option<String>), String> {
    match arguments {
        [dossier] if !dossier.starts_with("--") => Ok((PathBuf::from(dossier), None)),
        [dossier, option, tp] | [option, tp, dossier]
            if option == "--tp" && !dossier.starts_with("--") =>
        {
            if !outils::tps::est_un_nom_de_tp(tp) {
                return Err(format!("--tp attend un nom de TP (tp09), pas « {tp} »"));
            }
            Ok((PathBuf::from(dossier), Some(tp.clone())))
        }
        _ => Err("gradescope attend un dossier, et au plus --tp TPNN".into()),
    }
}

/// Écrit l'archive Gradescope de chaque TP (ou du seul `tp`) dans `dossier`.
fn archives_gradescope(dossier: &Path, tp: Option<&str>) -> anyhow::Result<()> {
    let racine = trouver_racine()?;
    let tps: Vec<_> = outils::tps::decouvrir(&racine, false)?
        .into_iter()
        .filter(|t| tp.is_none_or(|choisi| t.nom == choisi))
        .collect();
    if tps.is_empty() {
        bail!("aucun TP à archiver dans {}", racine.display());
    }
    for tp in &tps {
        let archive = dossier.join(format!("{}-gradescope.zip", tp.nom));
        gradescope::ecrire_archive(&racine, tp, &archive)?;
        eprintln!("{}", archive.display());
    }
    Ok(())
}

/// L'espace de travail de l'enseignant (ou l'export des étudiants) : le
/// premier dossier qui contient `exercises/` et `correcteur/` en remontant
/// depuis le dossier courant, sinon celui où l'outil a été compilé.
fn trouver_racine() -> anyhow::Result<PathBuf> {
    let courant = std::env::current_dir().context("dossier courant illisible")?;
    let est_racine = |d: &Path| d.join("exercises").is_dir() && d.join("correcteur").is_dir();
    if let Some(racine) = courant.ancestors().find(|d| est_racine(d)) {
        return Ok(racine.to_path_buf());
    }
    let espace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if est_racine(&espace) {
        return Ok(espace.canonicalize()?);
    }
    bail!(
        "aucun espace de travail avec exercises/ et correcteur/ en remontant depuis {}",
        courant.display()
    )
}
