//! Une passe de correction du mode suivi, dans son propre fil : compiler le
//! TP, puis lancer ses étapes une à une, dans l'ordre du correcteur
//! (`correcteur::etapes`), chacune seule dans le binaire de test, comme
//! `cargo test -p tpNN NOM` ; on s'arrête à la première qui échoue (les
//! suivantes ne sont « pas atteintes »). Chaque résultat part aussitôt vers
//! l'écran. Une passe s'interrompt à tout moment ([`Passe::arreter`]) : ce
//! qu'elle avait lancé est tué avant que l'arrêt ne rende la main.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::compilation;
use super::lancement::{self, Issue};
use crate::notation::banc;
use crate::tps::Tp;

/// Borne de la compilation (une première compilation sur une machine
/// chargée peut être longue).
const DELAI_COMPILATION: Duration = Duration::from_secs(900);
/// Borne d'une étape : le correcteur borne déjà chacune de ses attentes ;
/// celle-ci ne sert qu'en cas de boucle sans fin.
const DELAI_ETAPE: Duration = Duration::from_secs(120);

/// Ce qu'une passe raconte à l'écran, dans l'ordre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evenement {
    /// La compilation commence.
    Compilation,
    /// Le code ne compile pas : l'explication, en français.
    CompilationRatee(String),
    /// Les étapes à corriger, dans l'ordre (celles du binaire de test).
    Etapes(Vec<String>),
    /// L'étape n° i commence.
    EtapeLancee(usize),
    /// L'étape n° i est finie.
    EtapeFinie(usize, Resultat),
    /// La passe est finie ; `empreinte` est celle des sources corrigées.
    Finie { empreinte: u64 },
    /// Un incident qui empêche de corriger (binaire de test illisible…).
    Probleme(String),
}

/// Ce qu'a donné une étape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resultat {
    Reussie,
    /// Ignorée par `cargo test` sur cette machine (une étape qui lit
    /// `/proc`, hors Linux) : ni réussie, ni ratée.
    NonVerifiable,
    /// Ratée : son diagnostic.
    Ratee(String),
}

/// Une passe en cours.
pub struct Passe {
    annule: Arc<AtomicBool>,
    fil: Option<JoinHandle<()>>,
}

impl Passe {
    /// Lance la passe `numero` sur le TP `tp` de l'espace `espace`, en
    /// compilant dans `cible` ; les événements partent, numérotés, sur `envoi`.
    pub fn lancer(
        numero: u64,
        espace: &Path,
        tp: &Tp,
        cible: &Path,
        envoi: Sender<(u64, Evenement)>,
    ) -> Passe {
        let annule = Arc::new(AtomicBool::new(false));
        let (espace, tp, cible) = (espace.to_path_buf(), tp.clone(), cible.to_path_buf());
        let drapeau = Arc::clone(&annule);
        let fil = thread::spawn(move || {
            let dire = |e: Evenement| {
                let _ = envoi.send((numero, e));
            };
            if let Err(e) = corriger(&espace, &tp, &cible, &drapeau, &dire) {
                dire(Evenement::Probleme(format!("{e:#}")));
            }
        });
        Passe {
            annule,
            fil: Some(fil),
        }
    }

    /// Interrompt la passe et attend que tout ce qu'elle a lancé soit mort.
    pub fn arreter(&mut self) {
        self.annule.store(true, Ordering::SeqCst);
        if let Some(fil) = self.fil.take() {
            let _ = fil.join();
        }
    }
}

impl Drop for Passe {
    fn drop(&mut self) {
        self.arreter();
    }
}

/// Le corps de la passe ; rend la main sans rien dire de plus si elle est
/// annulée.
fn corriger(
    espace: &Path,
    tp: &Tp,
    cible: &Path,
    annule: &AtomicBool,
    dire: &dyn Fn(Evenement),
) -> anyhow::Result<()> {
    let empreinte = empreinte(espace, tp);
    dire(Evenement::Compilation);
    let commande = compilation::commande(espace, &tp.paquet, cible);
    let Some(issue) = lancement::lancer(commande, DELAI_COMPILATION, annule)? else {
        return Ok(());
    };
    match issue.statut {
        None => {
            dire(Evenement::CompilationRatee(format!(
                "La compilation a duré plus de {} s : elle a été arrêtée.",
                DELAI_COMPILATION.as_secs()
            )));
            return Ok(());
        }
        Some(statut) if !statut.success() => {
            dire(Evenement::CompilationRatee(
                compilation::explication_de_l_echec(&issue.sortie, &issue.erreurs),
            ));
            return Ok(());
        }
        Some(_) => {}
    }
    let etapes = etapes_a_lancer(&tp.nom, &compilation::executables_de_test(&issue.sortie))?;
    dire(Evenement::Etapes(
        etapes.iter().map(|(nom, _)| nom.clone()).collect(),
    ));
    for (i, (nom, executable)) in etapes.iter().enumerate() {
        dire(Evenement::EtapeLancee(i));
        let mut commande = Command::new(executable);
        commande
            .current_dir(&tp.dossier)
            .args(["--exact", nom, "--nocapture", "--test-threads=1"])
            .env("RUST_BACKTRACE", "0");
        let Some(issue) = lancement::lancer(commande, DELAI_ETAPE, annule)? else {
            return Ok(());
        };
        let resultat = resultat_de(&issue);
        let ratee = matches!(resultat, Resultat::Ratee(_));
        dire(Evenement::EtapeFinie(i, resultat));
        if ratee {
            break;
        }
    }
    dire(Evenement::Finie { empreinte });
    Ok(())
}

/// Les étapes des exécutables de test, dans l'ordre de
/// `correcteur::etapes` ; celles qu'il ne connaît pas viennent ensuite.
fn etapes_a_lancer(tp: &str, executables: &[PathBuf]) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut presentes = Vec::new();
    for executable in executables {
        for nom in banc::lister(executable)? {
            presentes.push((nom, executable.clone()));
        }
    }
    let ordre: Vec<&str> = correcteur::etapes::du_tp(tp)
        .unwrap_or_default()
        .iter()
        .map(|(nom, _)| *nom)
        .collect();
    presentes.sort_by_key(|(nom, _)| ordre.iter().position(|o| o == nom).unwrap_or(usize::MAX));
    Ok(presentes)
}

/// Ce qu'a donné l'étape, lu comme `cargo test` le lit.
fn resultat_de(issue: &Issue) -> Resultat {
    match issue.statut {
        // Code 0 sans test lancé (nom inconnu) n'est pas une réussite.
        Some(s) if s.success() && issue.sortie.contains("1 passed") => Resultat::Reussie,
        Some(s) if s.success() && issue.sortie.contains("1 ignored") => Resultat::NonVerifiable,
        None => Resultat::Ratee(format!(
            "Délai dépassé : l'étape tournait encore au bout de {} s ; elle a été arrêtée.\n\
             Indice : un appel bloquant qui attend sans fin (accept, read) ou une boucle infinie ?",
            DELAI_ETAPE.as_secs()
        )),
        Some(_) => {
            let garde: Vec<&str> = issue
                .erreurs
                .lines()
                .filter(|l| {
                    !l.starts_with("note: run with `RUST_BACKTRACE")
                        && !l.starts_with("error: test failed")
                })
                .collect();
            let texte = garde.join("\n").trim_end().to_string();
            Resultat::Ratee(if texte.trim().is_empty() {
                "L'étape a échoué sans diagnostic (le test s'est arrêté brutalement).".into()
            } else {
                texte
            })
        }
    }
}

/// L'empreinte des sources dont dépend la note d'un TP : les fichiers du
/// TP et ceux du correcteur (chemins et dates de modification).
pub fn empreinte(espace: &Path, tp: &Tp) -> u64 {
    let mut fichiers = Vec::new();
    for dossier in [tp.dossier.clone(), espace.join("correcteur")] {
        lister_fichiers(&dossier, &mut fichiers);
    }
    fichiers.sort();
    let mut hacheur = DefaultHasher::new();
    fichiers.hash(&mut hacheur);
    hacheur.finish()
}

fn lister_fichiers(dossier: &Path, fichiers: &mut Vec<(PathBuf, u128)>) {
    let Ok(entrees) = fs::read_dir(dossier) else {
        return;
    };
    for entree in entrees.flatten() {
        let chemin = entree.path();
        match entree.file_type() {
            Ok(t) if t.is_dir() && entree.file_name() != "target" => {
                lister_fichiers(&chemin, fichiers)
            }
            Ok(t) if t.is_file() => {
                let date = entree
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|d| d.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                fichiers.push((chemin, date));
            }
            _ => {}
        }
    }
}
