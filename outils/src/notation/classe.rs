//! La correction d'une classe : chaque copie (étudiant × TP) est compilée
//! puis notée à part, dans le bac à sable, bornée en temps, mémoire,
//! processus et disque. Une copie hostile n'a d'effet que sur sa propre note.
//!
//! Le résultat de chaque copie est écrit dès qu'il est connu : une
//! correction interrompue (Ctrl+C, kill) reprend là où elle en était, et
//! seules les copies en cours sont à refaire.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::thread;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};

use super::bac_a_sable::BacASable;
use super::banc::{Bornes, Correction};
use super::copie::{self, Lanceur, Modele};
use super::sorties::{self, Carnet};
use super::soumissions::{self, Etudiant};
use crate::tps;

/// La note d'une copie.
#[derive(Debug, Clone)]
pub struct Note {
    /// Le nom du dossier de l'étudiant.
    pub etudiant: String,
    /// Son identifiant sûr et unique (noms de fichiers, carnet).
    pub identifiant: String,
    pub tp: String,
    pub correction: Correction,
}

/// Les réglages de la correction d'une classe.
#[derive(Debug, Clone, Default)]
pub struct Reglages {
    pub bornes: Bornes,
    /// Nombre de copies notées en même temps.
    pub paralleles: usize,
    /// Afficher la barre de progression.
    pub barre: bool,
    /// Ne noter que ce TP (`tp09`).
    pub tp: Option<String>,
    /// Ne noter que cet étudiant (nom de dossier ou identifiant).
    pub etudiant: Option<String>,
    /// Renoter les copies choisies même si leur résultat est déjà écrit.
    pub refaire: bool,
    /// L'enseignant accepte de noter sans bac à sable s'il est impossible.
    pub risque_accepte: bool,
}

/// Une copie à noter.
struct Copie<'a> {
    etudiant: &'a Etudiant,
    modele: &'a Modele,
    src: PathBuf,
}

/// Corrige les copies de `soumissions` (un dossier ou une archive zip, un
/// sous-dossier par étudiant) avec les tests de l'espace de travail
/// `enseignant`. Les résultats vont dans `sortie` au fur et à mesure ; le
/// travail (ateliers, copies) dans `sortie/atelier`, supprimé à la fin.
/// Rend toutes les notes connues dans `sortie`, triées.
pub fn corriger_classe(
    enseignant: &Path,
    soumissions: &Path,
    sortie: &Path,
    reglages: &Reglages,
) -> anyhow::Result<Vec<Note>> {
    let lanceur = choisir_lanceur(reglages.risque_accepte)?;
    let travail = sortie.join("atelier");
    super::atelier::vider(&travail)?;
    // L'espace de l'enseignant : les TP qui ont un corrigé ; l'export des
    // étudiants (sans solutions/, celui de l'archive Gradescope) : tous.
    let mut tps = tps::decouvrir(enseignant, enseignant.join("solutions").is_dir())?;
    if let Some(tp) = &reglages.tp {
        tps.retain(|t| &t.nom == tp);
        if tps.is_empty() {
            bail!("TP inconnu : {tp} (aucun exercises/{tp} avec son corrigé)");
        }
    }
    if tps.is_empty() {
        bail!("aucun TP (exercises/tpNN) dans {}", enseignant.display());
    }
    let mut etudiants = soumissions::etudiants(soumissions, &travail)?;
    if let Some(choisi) = &reglages.etudiant {
        etudiants.retain(|e| &e.nom == choisi || &e.identifiant == choisi);
        if etudiants.is_empty() {
            bail!("étudiant inconnu : {choisi}");
        }
    }
    if etudiants.is_empty() {
        bail!("aucun dossier d'étudiant dans {}", soumissions.display());
    }

    // Le modèle de chaque TP (dépendances et tests compilés une fois). Un TP
    // dont le correcteur n'a encore aucune étape n'est pas noté.
    let mut modeles = Vec::new();
    for tp in &tps {
        let dossier = travail.join("modeles").join(&tp.nom);
        let modele = copie::preparer_modele(&lanceur, enseignant, tp, &dossier, &reglages.bornes)?;
        if !modele.etapes.is_empty() {
            modeles.push(modele);
        }
    }

    let carnet = Mutex::new(sorties::lire_tout(sortie));
    let mut a_noter = Vec::new();
    for etudiant in &etudiants {
        for modele in &modeles {
            let cle = (etudiant.identifiant.clone(), modele.tp.nom.clone());
            if !reglages.refaire && lire(&carnet).contains_key(&cle) {
                continue;
            }
            let total = modele.etapes.len();
            let immediate = match (
                &etudiant.refus,
                soumissions::src_rendu(&etudiant.dossier, &modele.tp.nom),
            ) {
                (Some(refus), _) => Some(Correction::impossible(
                    total,
                    format!("Copie refusée : {refus}"),
                )),
                (None, Err(refus)) => Some(Correction::impossible(
                    total,
                    format!("Copie refusée : {refus}"),
                )),
                (None, Ok(None)) => Some(Correction::impossible(total, "TP non rendu")),
                (None, Ok(Some(src))) => {
                    a_noter.push(Copie {
                        etudiant,
                        modele,
                        src,
                    });
                    None
                }
            };
            if let Some(correction) = immediate {
                enregistrer(&carnet, sortie, etudiant, modele, correction)?;
            }
        }
    }

    let barre = barre(a_noter.len() as u64, reglages.barre);
    // Une pile : inversée, elle rend les copies dans l'ordre des étudiants.
    let mut a_noter: Vec<_> = a_noter.into_iter().enumerate().collect();
    a_noter.reverse();
    let file = Mutex::new(a_noter);
    let erreur = Mutex::new(None);
    thread::scope(|portee| {
        for fil in 1..=reglages.paralleles.clamp(1, 63) as u32 {
            let (file, carnet, erreur, barre, lanceur, travail) =
                (&file, &carnet, &erreur, &barre, &lanceur, &travail);
            portee.spawn(move || {
                while let Some((n, copie)) =
                    file.lock().unwrap_or_else(PoisonError::into_inner).pop()
                {
                    barre.set_message(format!("{} · {}", copie.etudiant.nom, copie.modele.tp.nom));
                    let dossier = travail.join("copies").join(format!("c{n}"));
                    let correction = copie::noter(
                        lanceur,
                        copie.modele,
                        &copie.src,
                        &dossier,
                        &reglages.bornes,
                        fil,
                    );
                    if let Err(e) =
                        enregistrer(carnet, sortie, copie.etudiant, copie.modele, correction)
                    {
                        erreur
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .replace(e);
                    }
                    barre.inc(1);
                }
            });
        }
    });
    barre.finish_and_clear();
    if let Some(e) = erreur.into_inner().unwrap_or_else(PoisonError::into_inner) {
        return Err(e);
    }
    let carnet = carnet.into_inner().unwrap_or_else(PoisonError::into_inner);
    sorties::ecrire_bilan(&carnet, sortie, None)?;
    std::fs::remove_dir_all(&travail)
        .with_context(|| format!("impossible de supprimer {}", travail.display()))?;
    Ok(carnet.into_values().collect())
}

/// Le bac à sable, ou l'exécution directe si l'enseignant en accepte le
/// risque ; sinon, refus de noter.
fn choisir_lanceur(risque_accepte: bool) -> anyhow::Result<Lanceur> {
    match BacASable::detecter() {
        Ok(bac) => Ok(Lanceur::BacASable(bac)),
        Err(e) if risque_accepte => {
            // En root, les étapes passent quand même sous un utilisateur
            // sans privilège (setpriv) : la compilation reste en root.
            // SAFETY: geteuid(2) ne peut pas échouer.
            let setpriv = (unsafe { libc::geteuid() } == 0)
                .then(|| PathBuf::from("/usr/bin/setpriv"))
                .filter(|p| p.is_file());
            let qui = if setpriv.is_some() {
                "les étapes tournent sous un utilisateur sans privilège, la compilation en root"
            } else {
                "les copies tournent avec vos droits"
            };
            eprintln!(
                "attention : pas de bac à sable ({e:#}) ; {qui}, sur cette machine, comme vous \
                 l'avez accepté (--sans-bac-a-sable)."
            );
            Ok(Lanceur::Direct(setpriv))
        }
        Err(e) => bail!(
            "le bac à sable ne peut pas être mis en place : {e:#}\n\
             Le code rendu par les étudiants est à traiter comme hostile (voir SECURITE.md) : \
             sans bac à sable, il tournerait avec vos droits. Installez bubblewrap, ou relancez \
             avec --sans-bac-a-sable si vous acceptez ce risque."
        ),
    }
}

fn lire(carnet: &Mutex<Carnet>) -> std::sync::MutexGuard<'_, Carnet> {
    carnet.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Écrit aussitôt le résultat d'une copie, le carnet et le rapport de
/// l'étudiant.
fn enregistrer(
    carnet: &Mutex<Carnet>,
    sortie: &Path,
    etudiant: &Etudiant,
    modele: &Modele,
    correction: Correction,
) -> anyhow::Result<()> {
    let note = Note {
        etudiant: etudiant.nom.clone(),
        identifiant: etudiant.identifiant.clone(),
        tp: modele.tp.nom.clone(),
        correction,
    };
    let noms: Vec<&str> = modele.etapes.iter().map(|(_, e)| e.as_str()).collect();
    sorties::ecrire_copie(&note, &noms, sortie)?;
    let mut carnet = lire(carnet);
    carnet.insert((note.identifiant.clone(), note.tp.clone()), note);
    sorties::ecrire_bilan(&carnet, sortie, Some(&etudiant.identifiant))
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
