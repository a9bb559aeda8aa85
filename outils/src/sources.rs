//! Reconstruction à la demande : le serveur demande, avant de servir une page,
//! si les sources ont changé depuis la dernière construction ; si oui, le livre
//! est reconstruit. Pas de surveillance en tâche de fond : rien ne tourne tant
//! que personne ne lit le livre.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use anyhow::{Context, anyhow};

use crate::ancres::inclusions;
use crate::construction::{construire_edition, lire_config};
use crate::edition::Edition;
use crate::serveur::Reconstruction;

/// Date de modification la plus récente parmi le `book.toml` de `racine`, le
/// dossier des sources du livre, ses fichiers et ses sous-dossiers, le
/// dossier `theme/` (interface), et les
/// fichiers que les chapitres incluent (`{{#include ../exemples/…}}`), même
/// hors du dossier des sources. Les dates des dossiers comptent aussi : un
/// fichier supprimé ou renommé change celle de son dossier.
pub fn date_des_sources(racine: &Path) -> anyhow::Result<SystemTime> {
    let config = lire_config(racine)?;
    let fichier = racine.join("book.toml");
    let mut plus_recente = date_de_modification(&fichier)?;
    plus_recente_sous(&racine.join(&config.book.src), &mut plus_recente)?;
    // Le gabarit et les scripts de l'interface (theme/), s'il y en a.
    let theme = racine.join("theme");
    if theme.is_dir() {
        plus_recente_sous(&theme, &mut plus_recente)?;
    }
    Ok(plus_recente)
}

/// Met à jour `plus_recente` avec `chemin` et, si c'est un dossier, avec tout
/// ce qu'il contient (sans suivre les liens symboliques vers des dossiers).
fn plus_recente_sous(chemin: &Path, plus_recente: &mut SystemTime) -> anyhow::Result<()> {
    *plus_recente = (*plus_recente).max(date_de_modification(chemin)?);
    let genre = fs::symlink_metadata(chemin)
        .with_context(|| format!("impossible d'examiner {}", chemin.display()))?
        .file_type();
    if genre.is_dir() {
        let entrees = fs::read_dir(chemin)
            .with_context(|| format!("impossible de lire le dossier {}", chemin.display()))?;
        for entree in entrees {
            let entree = entree
                .with_context(|| format!("impossible de lire le dossier {}", chemin.display()))?;
            plus_recente_sous(&entree.path(), plus_recente)?;
        }
    } else if chemin.extension().is_some_and(|e| e == "md") {
        dates_des_inclusions(chemin, plus_recente);
    }
    Ok(())
}

/// Met à jour `plus_recente` avec les fichiers inclus par un chapitre. Un
/// fichier inclus introuvable est ignoré ici : la construction le signalera.
fn dates_des_inclusions(chapitre: &Path, plus_recente: &mut SystemTime) {
    let (Ok(texte), Some(dossier)) = (fs::read_to_string(chapitre), chapitre.parent()) else {
        return;
    };
    for (fichier, _) in inclusions(&texte) {
        if let Ok(date) = date_de_modification(&dossier.join(fichier)) {
            *plus_recente = (*plus_recente).max(date);
        }
    }
}

/// Date de dernière modification d'un fichier ou d'un dossier.
fn date_de_modification(chemin: &Path) -> anyhow::Result<SystemTime> {
    fs::metadata(chemin)
        .and_then(|m| m.modified())
        .with_context(|| format!("impossible de lire la date de {}", chemin.display()))
}

/// Construit un livre et le reconstruit quand ses sources changent.
///
/// Les appels sont sérialisés : si plusieurs requêtes arrivent pendant une
/// reconstruction, elles l'attendent, puis constatent que le livre est à jour.
pub struct Reconstructeur {
    racine: PathBuf,
    destination: Option<PathBuf>,
    edition: Edition,
    derniere: Mutex<Option<DerniereConstruction>>,
}

/// Ce qu'on retient de la dernière construction.
struct DerniereConstruction {
    /// La date des sources relevée juste avant de construire.
    date: SystemTime,
    /// Le message d'erreur si elle a échoué : tant que les sources ne changent
    /// pas, inutile de recommencer, on redonne la même erreur.
    echec: Option<String>,
}

impl Reconstructeur {
    /// Prépare la construction du livre de `racine` dans `destination` (ou
    /// dans le `build-dir` du `book.toml`). Rien n'est construit encore.
    pub fn new(racine: &Path, destination: Option<&Path>) -> Self {
        Self {
            racine: racine.to_path_buf(),
            destination: destination.map(Path::to_path_buf),
            edition: Edition::Etudiant,
            derniere: Mutex::new(None),
        }
    }

    /// Choisit l'édition construite (l'édition étudiante par défaut).
    pub fn edition(mut self, edition: Edition) -> Self {
        self.edition = edition;
        self
    }

    /// Construit le livre sans condition et renvoie le dossier du HTML.
    pub fn construire(&self) -> anyhow::Result<PathBuf> {
        let mut derniere = self.derniere.lock().unwrap_or_else(PoisonError::into_inner);
        self.construire_et_retenir(&mut derniere)
    }

    /// Reconstruit le livre si ses sources ont changé depuis la dernière
    /// construction (ou s'il n'a jamais été construit). Renvoie `true` s'il a
    /// été reconstruit, et l'erreur de la dernière construction si elle a
    /// échoué et que rien n'a changé depuis.
    pub fn reconstruire_si_modifie(&self) -> anyhow::Result<bool> {
        let mut derniere = self.derniere.lock().unwrap_or_else(PoisonError::into_inner);
        let date = date_des_sources(&self.racine)?;
        match &*derniere {
            Some(connue) if connue.date == date => match &connue.echec {
                None => Ok(false),
                Some(message) => Err(anyhow!("{message}")),
            },
            _ => self.construire_et_retenir(&mut derniere).map(|_| true),
        }
    }

    /// Transforme le reconstructeur en crochet pour [`crate::Serveur`].
    pub fn en_crochet(self) -> Reconstruction {
        Box::new(move || self.reconstruire_si_modifie().map(|_| ()))
    }

    /// Construit et retient la date des sources et l'issue de la construction.
    fn construire_et_retenir(
        &self,
        derniere: &mut Option<DerniereConstruction>,
    ) -> anyhow::Result<PathBuf> {
        // La date est relevée avant de construire : une modification faite
        // pendant la construction sera vue à la requête suivante.
        let date = date_des_sources(&self.racine)?;
        let resultat = construire_edition(&self.racine, self.destination.as_deref(), self.edition);
        *derniere = Some(DerniereConstruction {
            date,
            echec: resultat.as_ref().err().map(|e| format!("{e:#}")),
        });
        resultat
    }
}
