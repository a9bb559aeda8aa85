//! Règle enfreinte : R16 — la voix est comptée avant l'écriture du journal, et reste comptée quand elle échoue.
//!
//! L'électeur reçoit bien ERREUR 8, et le journal revient à sa taille
//! d'avant. Mais la voix et le jeton ont été notés en mémoire d'abord : les
//! résultats comptent un vote que le journal n'a pas, et que l'électeur
//! croit perdu. Au redémarrage, il disparaîtra des résultats.
//! Diagnostic attendu : `serveur_7_ecriture_du_journal_impossible`.

mod commun;

use commun::{DEJA_VOTE, JETON_INCONNU, Urne};

struct CompteAvantLeJournal;

impl commun::Variante for CompteAvantLeJournal {
    fn voter(&self, urne: &Urne, jeton: &str, option: u16) -> Result<u32, u8> {
        let mut etat = urne.verrouiller();
        if !urne.electeurs.contains(jeton) {
            return Err(JETON_INCONNU);
        }
        if etat.ont_vote.contains(jeton) {
            return Err(DEJA_VOTE);
        }
        let i = urne.indice(option)?;
        // L'erreur : la mémoire d'abord, le disque ensuite.
        etat.ont_vote.insert(jeton.to_string());
        etat.voix[i] += 1;
        commun::journaliser(&mut etat.journal, jeton, option)?;
        Ok(etat.ont_vote.len() as u32)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(CompteAvantLeJournal)
}
