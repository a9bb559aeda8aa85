//! Règle enfreinte : R15 — au démarrage, le journal est coupé au premier enregistrement abîmé, même au milieu : les votes qui suivent disparaissent.
//!
//! C'est le rejeu « naïf » : tout ce qui suit le premier défaut est pris pour
//! une fin déchirée. Un seul octet changé dans l'enregistrement n° 2 d'un
//! journal de dix, et neuf votes qui avaient reçu leur reçu sont effacés (et
//! leurs électeurs peuvent revoter).
//! Diagnostic attendu : `serveur_7_journal_abime`.

mod commun;

use commun::Lieu;

struct CoupeAuPremierDefaut;

impl commun::Variante for CoupeAuPremierDefaut {
    fn traiter_le_reste(
        &self,
        lieu: &Lieu,
        reste: &[u8],
        valides: usize,
        _votes: usize,
    ) -> anyhow::Result<()> {
        if !reste.is_empty() {
            // L'erreur : couper sans se demander ce qui suit le défaut.
            eprintln!("avertissement : journal : fin incomplète ignorée");
            lieu.journal.set_len(valides as u64)?;
        }
        Ok(())
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(CoupeAuPremierDefaut)
}
