//! L'urne : l'état partagé par tous les fils du serveur, sous un verrou.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use anyhow::{Result, bail};

use crate::journal::{Abime, Journal, Vote};
use crate::protocole::CodeErreur;
use crate::scrutin::Bulletin;

/// Ce qui change à chaque vote. Tout est sous le **même** verrou : vérifier
/// le jeton, écrire le journal et compter forment une seule opération, qu'un
/// autre fil ne peut pas couper en deux.
struct Etat {
    voix: Vec<u32>,
    ont_vote: HashSet<String>,
    journal: Journal,
}

/// Le bulletin, les électeurs, et l'état protégé par un `Mutex`.
pub struct Urne {
    bulletin: Bulletin,
    electeurs: HashSet<String>,
    etat: Mutex<Etat>,
}

impl Urne {
    /// Ouvre le journal et y rejoue les votes déjà acceptés : chacun est
    /// compté une fois, et son jeton ne peut plus voter.
    pub fn ouvrir(
        bulletin: Bulletin,
        electeurs: HashSet<String>,
        journal: &Path,
        abime: Abime,
    ) -> Result<Urne> {
        let (journal, votes) = Journal::ouvrir(journal, abime)?;
        let mut etat = Etat {
            voix: vec![0; bulletin.options.len()],
            ont_vote: HashSet::new(),
            journal,
        };
        for vote in votes {
            // Un vote du journal a été vérifié avant d'y entrer ; s'il ne
            // passe plus, le journal ne correspond pas à ces fichiers.
            if !electeurs.contains(&vote.jeton)
                || !(1..=etat.voix.len()).contains(&(vote.option as usize))
                || !etat.ont_vote.insert(vote.jeton.clone())
            {
                bail!(
                    "journal incohérent avec le bulletin ou les électeurs (jeton « {} », option {})",
                    vote.jeton,
                    vote.option
                );
            }
            etat.voix[vote.option as usize - 1] += 1;
        }
        Ok(Urne {
            bulletin,
            electeurs,
            etat: Mutex::new(etat),
        })
    }

    pub fn bulletin(&self) -> &Bulletin {
        &self.bulletin
    }

    /// Nombre de votes acceptés depuis le début du scrutin.
    pub fn nombre_de_votes(&self) -> usize {
        self.verrouiller().ont_vote.len()
    }

    // ANCHOR: voter
    /// Enregistre un vote ; rend le numéro du reçu (le rang du vote dans le
    /// journal, à partir de 1).
    pub fn voter(&self, jeton: &str, option: u16) -> Result<u32, CodeErreur> {
        // Le verrou est pris pour toute l'opération. Avec deux verrouillages
        // (un pour lire le compte, un pour l'écrire), deux fils pourraient
        // lire la même valeur et l'un des deux votes serait perdu.
        let mut etat = self.verrouiller();
        if !self.electeurs.contains(jeton) {
            return Err(CodeErreur::JetonInconnu);
        }
        if etat.ont_vote.contains(jeton) {
            return Err(CodeErreur::DejaVote);
        }
        if option == 0 || option as usize > etat.voix.len() {
            return Err(CodeErreur::OptionInconnue);
        }
        // D'abord le disque, ensuite la mémoire : si l'écriture échoue, le
        // vote n'a pas eu lieu, et l'électeur le saura.
        let vote = Vote {
            jeton: jeton.to_string(),
            option,
        };
        if let Err(erreur) = etat.journal.ajouter(&vote) {
            eprintln!("erreur : {erreur:#}");
            return Err(CodeErreur::Journal);
        }
        etat.ont_vote.insert(vote.jeton);
        etat.voix[option as usize - 1] += 1;
        Ok(etat.ont_vote.len() as u32)
    }
    // ANCHOR_END: voter

    /// Les options et leurs voix, dans l'ordre du bulletin.
    pub fn resultats(&self) -> Vec<(String, u32)> {
        let etat = self.verrouiller();
        self.bulletin
            .options
            .iter()
            .cloned()
            .zip(etat.voix.iter().copied())
            .collect()
    }

    /// Un fil qui a paniqué en tenant le verrou n'a pas pu laisser l'état à
    /// moitié modifié (rien ne panique entre deux écritures) : on continue.
    fn verrouiller(&self) -> MutexGuard<'_, Etat> {
        self.etat.lock().unwrap_or_else(|e| e.into_inner())
    }
}
