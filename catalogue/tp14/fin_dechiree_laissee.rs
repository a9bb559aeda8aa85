//! Règle enfreinte : R14 — la fin déchirée du journal est ignorée mais laissée dans le fichier : les votes suivants s’écrivent derrière elle.
//!
//! Diagnostic attendu : `serveur_7_journal_dechire`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn traiter_le_reste(
        &self,
        _lieu: &commun::Lieu,
        reste: &[u8],
        _valides: usize,
        _votes: usize,
    ) -> anyhow::Result<()> {
        if !reste.is_empty() {
            // L’erreur : pas de set_len.
            eprintln!("avertissement : journal : fin incomplète ignorée");
        }
        Ok(())
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
