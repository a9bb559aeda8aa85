//! Règle enfreinte : R11 — le reçu part avant que le vote soit écrit dans le journal.
//!
//! Le reçu part avant que le vote soit écrit.
//!
//! « Pour aller plus vite », le journal passe par un `BufWriter` : les
//! enregistrements s'accumulent dans la mémoire du processus et ne seront
//! écrits que quand son tampon (8 Kio) sera plein. L'électeur a son reçu ;
//! un `kill -9` à ce moment efface son vote.
//! Diagnostic attendu : `serveur_6_journal_avant_recu`.

mod commun;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::sync::{Mutex, OnceLock};

use commun::{DEJA_VOTE, JETON_INCONNU, JOURNAL, Urne};

struct RecuAvantFsync {
    tampon: OnceLock<Mutex<BufWriter<File>>>,
}

impl commun::Variante for RecuAvantFsync {
    fn voter(&self, urne: &Urne, jeton: &str, option: u16) -> Result<u32, u8> {
        let mut etat = urne.verrouiller();
        if !urne.electeurs.contains(jeton) {
            return Err(JETON_INCONNU);
        }
        if etat.ont_vote.contains(jeton) {
            return Err(DEJA_VOTE);
        }
        let i = urne.indice(option)?;
        let copie = etat.journal.try_clone().map_err(|_| JOURNAL)?;
        let tampon = self
            .tampon
            .get_or_init(|| Mutex::new(BufWriter::new(copie)));
        // L'erreur : des octets confiés à un tampon du processus, ni écrits
        // dans le fichier (flush), ni forcés sur le disque (sync_data).
        let mut tampon = tampon.lock().unwrap_or_else(|e| e.into_inner());
        tampon
            .write_all(&commun::enregistrement(jeton, option))
            .map_err(|_| JOURNAL)?;
        etat.ont_vote.insert(jeton.to_string());
        etat.voix[i] += 1;
        Ok(etat.ont_vote.len() as u32)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(RecuAvantFsync {
        tampon: OnceLock::new(),
    })
}
