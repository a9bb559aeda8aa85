//! Règle enfreinte : R14 — la fin déchirée du journal est ignorée mais laissée dans le fichier : les votes suivants s’écrivent derrière elle.
//!
//! Diagnostic attendu : `serveur_7_journal_dechire`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn traiter_le_reste(
        &self,
        lieu: &commun::Lieu,
        reste: &[u8],
        valides: usize,
        votes: usize,
    ) -> anyhow::Result<()> {
        if reste.is_empty() || !commun::fin_dechiree(self, reste) {
            // Un journal abîmé ailleurs est traité comme il faut (R15).
            return commun::reste_du_journal(self, lieu, reste, valides, votes);
        }
        // L’erreur : la fin déchirée est ignorée, mais pas coupée (set_len).
        eprintln!("avertissement : journal : fin incomplète ignorée");
        Ok(())
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
