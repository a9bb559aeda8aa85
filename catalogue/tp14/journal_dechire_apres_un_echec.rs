//! Règle enfreinte : R16 — quand l'écriture du journal échoue, le début d'enregistrement déjà écrit reste dans le fichier.
//!
//! Le vote est bien refusé (ERREUR 8) et n'est pas compté. Mais le fichier
//! garde les octets écrits avant l'erreur : un enregistrement déchiré au
//! milieu du journal. Le vote accepté suivant s'écrirait derrière lui, et
//! au redémarrage, la relecture s'arrêterait sur ce morceau.
//! Diagnostic attendu : `serveur_7_ecriture_du_journal_impossible`.

mod commun;

use std::io::Write;

use commun::{DEJA_VOTE, JETON_INCONNU, JOURNAL, Urne};

struct JournalDechire;

impl commun::Variante for JournalDechire {
    fn voter(&self, urne: &Urne, jeton: &str, option: u16) -> Result<u32, u8> {
        let mut etat = urne.verrouiller();
        if !urne.electeurs.contains(jeton) {
            return Err(JETON_INCONNU);
        }
        if etat.ont_vote.contains(jeton) {
            return Err(DEJA_VOTE);
        }
        let i = urne.indice(option)?;
        // L'erreur : pas de retour à la taille d'avant (set_len) en cas d'échec.
        etat.journal
            .write_all(&commun::enregistrement(jeton, option))
            .and_then(|()| etat.journal.sync_data())
            .map_err(|_| JOURNAL)?;
        etat.ont_vote.insert(jeton.to_string());
        etat.voix[i] += 1;
        Ok(etat.ont_vote.len() as u32)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(JournalDechire)
}
