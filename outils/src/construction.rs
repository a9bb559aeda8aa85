//! Construction du livre avec la bibliothèque de mdBook (`mdbook-driver`).

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};
use mdbook_driver::MDBook;
use mdbook_driver::config::Config;

use crate::edition::Edition;
use crate::pretraitement::{NOM_PRETRAITEMENT, Pretraitement};
use crate::typographie::{NOM_TYPOGRAPHIE, Typographie};
use crate::{ancres, journal};

/// Nom du moteur de rendu HTML de mdBook (le seul que le livre utilise).
const RENDU_HTML: &str = "html";

/// Construit l'édition étudiante du livre dont `racine` contient le
/// `book.toml` (voir [`construire_edition`]).
pub fn construire(racine: &Path, destination: Option<&Path>) -> anyhow::Result<PathBuf> {
    construire_edition(racine, destination, Edition::Etudiant)
}

/// Construit une édition du livre dont `racine` contient le `book.toml`, dans
/// `destination` si elle est donnée, sinon dans le dossier par défaut de
/// l'édition (le `build-dir` du `book.toml`, suffixé pour les autres
/// éditions, voir [`Edition::suffixe`] : aucune n'écrase celle qu'on publie).
///
/// Renvoie le dossier où se trouve le HTML produit. Toute erreur signalée par
/// mdBook pendant la construction (inclusion `{{#include}}` cassée, ancre
/// absente, chapitre manquant…) fait échouer l'appel : mdBook, lui, se
/// contenterait de l'afficher et produirait un livre incomplet.
pub fn construire_edition(
    racine: &Path,
    destination: Option<&Path>,
    edition: Edition,
) -> anyhow::Result<PathBuf> {
    journal::avec_journal(|| construire_sans_journal(racine, destination, edition))
}

/// Le travail de [`construire`], sous l'abonné installé par le journal.
fn construire_sans_journal(
    racine: &Path,
    destination: Option<&Path>,
    edition: Edition,
) -> anyhow::Result<PathBuf> {
    let mut config = lire_config(racine)?;
    // Par défaut, mdBook crée un fichier vide pour chaque chapitre listé dans
    // SUMMARY.md mais absent du disque : on veut au contraire une erreur.
    config.build.create_missing = false;

    // Chemin absolu : mdBook le joindra à la racine du livre, ce qui doublerait
    // la racine si elle était relative.
    let sortie = match destination {
        Some(dossier) => {
            let dossier = normaliser(dossier)?;
            verifier_destination_choisie(&dossier)?;
            dossier
        }
        None => normaliser(&racine.join(dossier_par_defaut(&config, edition)))?,
    };
    verifier_hors_des_sources(racine, &config, &sortie)?;
    preparer_destination(&sortie)?;
    config.build.build_dir = sortie;
    declarer_pretraitement(&mut config)?;

    let mut livre = MDBook::load_with_config(racine, config)
        .with_context(|| format!("impossible de charger le livre de {}", racine.display()))?;
    // Même nom que la table du book.toml : le préprocesseur exécuté ici
    // remplace la commande déclarée (aucun processus lancé), réglé sur
    // l'édition demandée.
    livre.with_preprocessor(Pretraitement::new(edition));
    livre.with_preprocessor(Typographie);
    ancres::verifier(&livre);
    livre.build().context("la construction du livre a échoué")?;
    Ok(livre.build_dir_for(RENDU_HTML))
}

/// Le dossier de sortie par défaut d'une édition, relatif à la racine.
fn dossier_par_defaut(config: &Config, edition: Edition) -> PathBuf {
    let mut nom = config.build.build_dir.as_os_str().to_owned();
    nom.push(edition.suffixe());
    PathBuf::from(nom)
}

/// Place le préprocesseur du livre avant le développement des inclusions, et
/// celui de la typographie après (le texte inclus en profite), même si le
/// `book.toml` ne les déclare pas (livre de l'export, livres d'essai des tests) : les blocs de
/// l'enseignant sont retirés avant que mdBook n'y développe un corrigé.
fn declarer_pretraitement(config: &mut Config) -> anyhow::Result<()> {
    let table = format!("preprocessor.{NOM_PRETRAITEMENT}");
    let typographie = format!("preprocessor.{NOM_TYPOGRAPHIE}");
    config
        .set(format!("{table}.before"), ["links", "index"])
        .and_then(|()| config.set(format!("{typographie}.after"), ["links", "index"]))
        .context("impossible de déclarer les préprocesseurs du livre")
}

/// Lit le `book.toml` de `racine`, ainsi que les surcharges `MDBOOK_*` de
/// l'environnement (comme le ferait l'exécutable `mdbook`).
pub(crate) fn lire_config(racine: &Path) -> anyhow::Result<Config> {
    let fichier = racine.join("book.toml");
    if !fichier.is_file() {
        bail!("pas de book.toml dans {}", racine.display());
    }
    let mut config = Config::from_disk(&fichier)
        .with_context(|| format!("impossible de lire {}", fichier.display()))?;
    config
        .update_from_env()
        .context("variable d'environnement MDBOOK_* invalide")?;
    Ok(config)
}

/// mdBook vide le dossier de destination avant d'y écrire : une destination
/// choisie à la main (`--dest`) doit donc être vide, absente, ou contenir une
/// construction précédente (un `index.html`), pour ne rien effacer d'autre.
fn verifier_destination_choisie(dossier: &Path) -> anyhow::Result<()> {
    if !dossier.exists() {
        return Ok(());
    }
    if !dossier.is_dir() {
        bail!(
            "la destination {} existe et n'est pas un dossier",
            dossier.display()
        );
    }
    let mut contenu = dossier
        .read_dir()
        .with_context(|| format!("impossible de lire le dossier {}", dossier.display()))?;
    if contenu.next().is_some() && !dossier.join("index.html").is_file() {
        bail!(
            "la destination {} n'est pas vide et ne contient pas de livre déjà construit : \
             mdBook effacerait son contenu ; choisissez un dossier vide",
            dossier.display()
        );
    }
    Ok(())
}

/// Crée la destination et s'assure qu'on peut y écrire, avant mdBook : son
/// propre message d'échec (« Rendering failed: Unexpected error when
/// constructing destination path… ») serait en anglais.
fn preparer_destination(dossier: &Path) -> anyhow::Result<()> {
    let refus = |e: std::io::Error| {
        anyhow::anyhow!(
            "impossible d'écrire le livre dans {} : {}",
            dossier.display(),
            erreur_systeme_en_francais(&e)
        )
    };
    std::fs::create_dir_all(dossier).map_err(refus)?;
    tempfile::Builder::new()
        .prefix(".essai-ecriture")
        .tempfile_in(dossier)
        .map(drop)
        .map_err(refus)
}

/// Une erreur du système dite en français, avec son numéro (errno) pour qui
/// veut chercher plus loin.
pub(crate) fn erreur_systeme_en_francais(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let texte = match e.kind() {
        ErrorKind::NotFound => "un dossier du chemin n'existe pas, ou ce système de fichiers \
                                n'accepte pas de nouveau dossier"
            .to_string(),
        ErrorKind::PermissionDenied => "permission refusée".to_string(),
        ErrorKind::ReadOnlyFilesystem => "système de fichiers en lecture seule".to_string(),
        ErrorKind::StorageFull => "plus de place sur le disque".to_string(),
        ErrorKind::NotADirectory => "un élément du chemin n'est pas un dossier".to_string(),
        ErrorKind::AlreadyExists => "un fichier de ce nom existe déjà".to_string(),
        ErrorKind::InvalidFilename => "nom de fichier invalide".to_string(),
        _ => "erreur du système".to_string(),
    };
    match e.raw_os_error() {
        Some(numero) => format!("{texte} (errno {numero})"),
        None => texte,
    }
}

/// Refuse une destination qui contiendrait le livre lui-même (la vider
/// effacerait les sources) ou qui serait rangée dans ses sources.
fn verifier_hors_des_sources(racine: &Path, config: &Config, sortie: &Path) -> anyhow::Result<()> {
    let racine = normaliser(racine)?;
    let sources = normaliser(&racine.join(&config.book.src))?;
    let sortie = normaliser(sortie)?;
    if racine.starts_with(&sortie) {
        bail!(
            "la destination {} contient le livre : la vider effacerait ses sources",
            sortie.display()
        );
    }
    if sortie.starts_with(&sources) {
        bail!(
            "la destination {} est dans les sources du livre ({})",
            sortie.display(),
            sources.display()
        );
    }
    Ok(())
}

/// Chemin absolu sans composants `.` ni `..` (résolus sur le texte du chemin,
/// sans suivre les liens symboliques), pour pouvoir comparer deux chemins.
fn normaliser(chemin: &Path) -> anyhow::Result<PathBuf> {
    let absolu = std::path::absolute(chemin)
        .with_context(|| format!("chemin invalide : {}", chemin.display()))?;
    let mut resultat = PathBuf::new();
    for composant in absolu.components() {
        match composant {
            Component::CurDir => {}
            Component::ParentDir => {
                resultat.pop();
            }
            autre => resultat.push(autre),
        }
    }
    Ok(resultat)
}
