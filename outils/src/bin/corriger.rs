//! `cargo corriger SOUMISSIONS` : corrige une classe. Chaque sous-dossier de
//! SOUMISSIONS est un étudiant ; il contient ses `tpNN/` (ou tout son
//! `exercises/`). Seuls ses `src/` sont repris, dans des paquets vierges
//! munis des tests de l'enseignant.

use ligne_de_commande::afficher;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use ligne_de_commande::clap::{self, Args, Parser, Subcommand};
use ligne_de_commande::entier_au_moins;
use outils::notation::{Bornes, Reglages, corriger_classe, gradescope, sorties};

const MIO: u64 = 1024 * 1024;

/// Corrige une classe : chaque étudiant, pour chaque TP du cours, avec les
/// tests de l'enseignant
///
/// Chaque étudiant est un sous-dossier de SOUMISSIONS (dossier ou archive
/// .zip) qui contient ses tpNN/ ou son exercises/. Chaque copie est notée
/// dans un bac à sable (bubblewrap, voir SECURITE.md), chaque étape lancée à
/// part et bornée. Écrit dans le dossier de sortie, au fur et à mesure :
/// resultats/ID/TP.json, notes.csv (identifiant, étudiant, TP, étapes
/// réussies, total), rapports/ID.md (chaque diagnostic) et
/// gradescope/ID/TP/results.json. Relancée, la correction reprend : les
/// copies déjà notées ne sont pas refaites (sauf --refaire).
#[derive(Parser)]
#[command(
    name = "corriger",
    bin_name = "cargo corriger",
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Arguments {
    #[command(subcommand)]
    commande: Option<Commande>,
    #[command(flatten)]
    classe: Classe,
}

#[derive(Subcommand)]
enum Commande {
    /// Écrit dans DOSSIER l'archive d'autocorrection Gradescope de chaque TP
    ///
    /// DOSSIER/tpNN-gradescope.zip : setup.sh, run_autograder et l'espace de
    /// travail des étudiants, à téléverser telle quelle.
    Gradescope {
        /// Le dossier des archives
        dossier: PathBuf,
        /// Ne faire que l'archive de ce TP (tp09)
        #[arg(long, value_name = "TPNN", value_parser = nom_de_tp)]
        tp: Option<String>,
    },
}

/// La correction d'une classe.
#[derive(Args)]
struct Classe {
    /// Le dossier (ou l'archive .zip) des soumissions, un sous-dossier par
    /// étudiant
    #[arg(required = true)]
    soumissions: Option<PathBuf>,
    /// Dossier des résultats
    #[arg(long, value_name = "DOSSIER", default_value = "correction")]
    sortie: PathBuf,
    /// Ne noter que ce TP (tp09)
    #[arg(long, value_name = "TPNN", value_parser = nom_de_tp)]
    tp: Option<String>,
    /// Ne noter que cet étudiant (nom du dossier ou identifiant)
    #[arg(long, value_name = "NOM")]
    etudiant: Option<String>,
    /// Renoter les copies choisies même si elles sont notées
    #[arg(long)]
    refaire: bool,
    /// Durée maximale d'une étape, en secondes
    #[arg(
        long,
        value_name = "S",
        default_value_t = Bornes::default().etape.delai.as_secs(),
        value_parser = entier_au_moins(1u64)
    )]
    delai_etape: u64,
    /// Durée maximale de toutes les étapes d'un TP, en secondes
    #[arg(
        long,
        value_name = "S",
        default_value_t = Bornes::default().total.as_secs(),
        value_parser = entier_au_moins(1u64)
    )]
    delai_total: u64,
    /// Mémoire maximale de chaque processus, en Mio
    #[arg(
        long,
        value_name = "MIO",
        default_value_t = Bornes::default().etape.memoire / MIO,
        value_parser = entier_au_moins(1u64)
    )]
    memoire: u64,
    /// Copies notées en même temps (par défaut : le nombre de processeurs)
    #[arg(long, value_name = "N", value_parser = entier_au_moins(1usize))]
    paralleles: Option<usize>,
    /// Si le bac à sable est impossible ici, noter quand même, le code des
    /// étudiants tournant avec vos droits (risqué)
    #[arg(long)]
    sans_bac_a_sable: bool,
}

/// Un nom de TP pour `--tp` : `tp` suivi de chiffres.
fn nom_de_tp(valeur: &str) -> Result<String, String> {
    if outils::tps::est_un_nom_de_tp(valeur) {
        Ok(valeur.to_string())
    } else {
        Err("un nom de TP est attendu, par exemple tp09".to_string())
    }
}

fn main() -> ExitCode {
    let arguments = match ligne_de_commande::analyser::<Arguments>() {
        Ok(arguments) => arguments,
        Err(code) => return code,
    };
    let resultat = match arguments.commande {
        Some(Commande::Gradescope { dossier, tp }) => archives_gradescope(&dossier, tp.as_deref()),
        None => match Demande::de(arguments.classe) {
            Some(demande) => executer(demande),
            // `clap` exige SOUMISSIONS sans commande : ne peut pas arriver.
            None => {
                return ligne_de_commande::erreur_d_usage::<Arguments>(
                    "il manque le dossier des soumissions",
                );
            }
        },
    };
    match resultat {
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

impl Demande {
    /// Les réglages de la correction ; `None` sans dossier de soumissions.
    fn de(classe: Classe) -> Option<Demande> {
        let mut bornes = Bornes::default();
        bornes.etape.delai = Duration::from_secs(classe.delai_etape);
        bornes.total = Duration::from_secs(classe.delai_total);
        bornes.etape.memoire = classe.memoire.saturating_mul(MIO);
        let reglages = Reglages {
            bornes,
            paralleles: classe
                .paralleles
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
            barre: std::io::stderr().is_terminal(),
            tp: classe.tp,
            etudiant: classe.etudiant,
            refaire: classe.refaire,
            risque_accepte: classe.sans_bac_a_sable,
        };
        Some(Demande {
            soumissions: classe.soumissions?,
            sortie: classe.sortie,
            reglages,
        })
    }
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
    afficher!("{}", sorties::carnet_csv(&liste));
    eprintln!(
        "{} copies au carnet, en {:.0} s ; résultats dans {} (notes.csv, rapports/, gradescope/).",
        notes.len(),
        debut.elapsed().as_secs_f64(),
        sortie.display()
    );
    Ok(())
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
