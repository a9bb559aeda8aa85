//! La correction d'une classe : chaque copie (étudiant × TP) est compilée
//! puis notée à part, bornée en temps, mémoire, processus et disque. Une
//! copie qui ne compile pas, boucle ou remplit le disque n'a d'effet que sur
//! sa propre note.
//!
//! La compilation passe par un seul fil (cargo verrouille de toute façon le
//! dossier cible partagé) ; les copies compilées sont notées en parallèle
//! par plusieurs fils pendant que les suivantes compilent.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};

use super::atelier::Atelier;
use super::banc::{self, Bornes, Correction};
use crate::tps::{self, Tp};

/// Une copie à noter : un étudiant, un TP.
#[derive(Debug, Clone)]
struct Copie {
    etudiant: String,
    tp: String,
    /// Le nombre d'étapes du TP.
    total: usize,
    etat: Etat,
}

/// Où en est une copie avant sa compilation.
#[derive(Debug, Clone)]
enum Etat {
    /// Aucun `src/` de ce TP chez l'étudiant.
    NonRendu,
    /// Son `src/` n'a pas pu être repris (trop gros…).
    Refusee(String),
    /// Prête, sous ce nom de paquet dans l'atelier.
    Prete(String),
}

/// La note d'une copie.
#[derive(Debug, Clone)]
pub struct Note {
    pub etudiant: String,
    pub tp: String,
    pub correction: Correction,
}

/// Les réglages de la correction d'une classe.
#[derive(Debug, Clone)]
pub struct Reglages {
    pub bornes: Bornes,
    /// Nombre de copies notées en même temps.
    pub paralleles: usize,
    /// Dossier cible de cargo, partagé par toutes les copies (et d'une
    /// correction à l'autre : les dépendances restent compilées).
    pub cible: PathBuf,
    /// Afficher la barre de progression.
    pub barre: bool,
}

/// Corrige les copies du dossier `soumissions` (un sous-dossier par
/// étudiant) avec les tests de l'espace de travail `enseignant`. L'atelier
/// est construit dans `travail`. Rend les notes, triées par étudiant et TP.
pub fn corriger_classe(
    enseignant: &Path,
    soumissions: &Path,
    travail: &Path,
    reglages: &Reglages,
) -> anyhow::Result<Vec<Note>> {
    let tps = tps::decouvrir(enseignant, true)?;
    if tps.is_empty() {
        bail!(
            "aucun TP (exercises/tpNN avec solutions/tpNN) dans {}",
            enseignant.display()
        );
    }
    let etudiants = etudiants(soumissions)?;
    if etudiants.is_empty() {
        bail!("aucun dossier d'étudiant dans {}", soumissions.display());
    }

    // L'atelier, d'abord avec un modèle par TP (le squelette) : il compile
    // les dépendances une fois et donne le nombre d'étapes de chaque TP. Un
    // TP dont le correcteur n'a encore aucune étape n'est pas noté.
    let mut atelier = Atelier::nouveau(travail, enseignant, &tps)?;
    for tp in &tps {
        atelier.ajouter(
            tp,
            &format!("modele/{}", tp.nom),
            &modele(tp),
            &tp.dossier.join("src"),
        )?;
    }
    atelier.ecrire_manifeste(enseignant)?;
    let mut totaux = Vec::new();
    for tp in &tps {
        let executables = banc::compiler(
            &atelier.racine,
            &modele(tp),
            &reglages.cible,
            &reglages.bornes.compilation,
        )?
        .map_err(|e| {
            anyhow::anyhow!(
                "le squelette de {} ne compile pas dans l'atelier :\n{e}",
                tp.nom
            )
        })?;
        let mut etapes = 0;
        for executable in &executables {
            etapes += banc::lister(executable)?.len();
        }
        totaux.push(etapes);
    }
    let tps: Vec<(Tp, usize)> = tps
        .into_iter()
        .zip(totaux)
        .filter(|(_, total)| *total > 0)
        .collect();

    let mut copies = Vec::new();
    for (indice, (etudiant, dossier)) in etudiants.iter().enumerate() {
        for (tp, total) in &tps {
            let mut copie = Copie {
                etudiant: etudiant.clone(),
                tp: tp.nom.clone(),
                total: *total,
                etat: Etat::NonRendu,
            };
            if let Some(src) = src_rendu(dossier, &tp.nom) {
                let paquet = match identifiant(etudiant) {
                    id if id.is_empty() => format!("{}-c{indice}", tp.paquet),
                    id => format!("{}-c{indice}-{id}", tp.paquet),
                };
                let place = format!("c{indice}/{}", tp.nom);
                copie.etat = match atelier.ajouter(tp, &place, &paquet, &src) {
                    Ok(()) => Etat::Prete(paquet),
                    Err(e) => Etat::Refusee(format!("{e:#}")),
                };
            }
            copies.push(copie);
        }
    }
    atelier.ecrire_manifeste(enseignant)?;

    let barre = barre(copies.len() as u64, reglages.barre);
    let notes = Arc::new(Mutex::new(Vec::new()));
    let (envoi, reception) = mpsc::channel::<(Copie, Vec<PathBuf>)>();
    let reception = Arc::new(Mutex::new(reception));
    let noteurs: Vec<_> = (0..reglages.paralleles.max(1))
        .map(|_| {
            let reception = Arc::clone(&reception);
            let notes = Arc::clone(&notes);
            let barre = barre.clone();
            let bornes = reglages.bornes;
            thread::spawn(move || {
                loop {
                    let suivante = reception
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .recv();
                    let Ok((copie, executables)) = suivante else {
                        break;
                    };
                    barre.set_message(format!("{} · {}", copie.etudiant, copie.tp));
                    let correction = banc::executer(&executables, &bornes)
                        .unwrap_or_else(|e| Correction::impossible(copie.total, format!("{e:#}")));
                    ajouter(&notes, &copie, correction);
                    barre.inc(1);
                }
            })
        })
        .collect();

    for copie in copies {
        let paquet = match &copie.etat {
            Etat::Prete(paquet) => paquet.clone(),
            Etat::NonRendu => {
                ajouter(
                    &notes,
                    &copie,
                    Correction::impossible(copie.total, "TP non rendu"),
                );
                barre.inc(1);
                continue;
            }
            Etat::Refusee(raison) => {
                let message = format!("Copie refusée : {raison}");
                ajouter(&notes, &copie, Correction::impossible(copie.total, message));
                barre.inc(1);
                continue;
            }
        };
        barre.set_message(format!("compilation : {} · {}", copie.etudiant, copie.tp));
        match banc::compiler(
            &atelier.racine,
            &paquet,
            &reglages.cible,
            &reglages.bornes.compilation,
        )? {
            Ok(executables) => envoi
                .send((copie, executables))
                .context("fils de notation arrêtés")?,
            Err(erreurs) => {
                let message = format!("Le code ne compile pas.\n{erreurs}");
                ajouter(&notes, &copie, Correction::impossible(copie.total, message));
                barre.inc(1);
            }
        }
    }
    drop(envoi);
    for noteur in noteurs {
        noteur
            .join()
            .map_err(|_| anyhow::anyhow!("un fil de notation a paniqué"))?;
    }
    barre.finish_and_clear();

    let mut notes = std::mem::take(&mut *notes.lock().unwrap_or_else(PoisonError::into_inner));
    notes.sort_by(|a, b| (&a.etudiant, &a.tp).cmp(&(&b.etudiant, &b.tp)));
    Ok(notes)
}

fn ajouter(notes: &Mutex<Vec<Note>>, copie: &Copie, correction: Correction) {
    notes
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Note {
            etudiant: copie.etudiant.clone(),
            tp: copie.tp.clone(),
            correction,
        });
}

fn barre(longueur: u64, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let barre = ProgressBar::new(longueur);
    let style =
        ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} copies · {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    barre.set_style(style);
    barre
}

/// Les étudiants : chaque sous-dossier de `soumissions` (nom, chemin), triés.
fn etudiants(soumissions: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut liste = Vec::new();
    let entrees = fs::read_dir(soumissions)
        .with_context(|| format!("impossible de lire {}", soumissions.display()))?;
    for entree in entrees {
        let entree = entree?;
        let nom = entree.file_name().to_string_lossy().into_owned();
        if entree.file_type()?.is_dir() && !nom.starts_with('.') {
            liste.push((nom, entree.path()));
        }
    }
    liste.sort();
    Ok(liste)
}

/// Le `src/` d'un TP dans le dossier d'un étudiant : `tpNN/src`,
/// `exercises/tpNN/src`, ou l'un des deux un niveau plus bas (une archive
/// décompressée dans son propre dossier).
fn src_rendu(dossier: &Path, tp: &str) -> Option<PathBuf> {
    let candidats = |base: &PathBuf| {
        [
            base.join(tp).join("src"),
            base.join("exercises").join(tp).join("src"),
        ]
    };
    let mut bases = vec![dossier.to_path_buf()];
    if let Ok(entrees) = fs::read_dir(dossier) {
        let mut sous: Vec<PathBuf> = entrees
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        sous.sort();
        bases.extend(sous);
    }
    bases
        .iter()
        .flat_map(candidats)
        .find(|src| src.join("main.rs").is_file() && !src.is_symlink())
}

/// Le paquet modèle d'un TP dans l'atelier.
fn modele(tp: &Tp) -> String {
    format!("{}-modele", tp.paquet)
}

/// Un identifiant de paquet tiré du nom : minuscules ASCII et tirets.
fn identifiant(nom: &str) -> String {
    let brut: String = nom
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let propre = brut
        .split('-')
        .filter(|m| !m.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    propre.chars().take(24).collect()
}
