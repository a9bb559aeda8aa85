//! Règle enfreinte : R15 — un dernier enregistrement complet au CRC-32 faux est pris pour une fin déchirée et retiré en silence, au lieu d'arrêter le serveur.
//!
//! Un défaut au milieu du journal arrête bien le serveur. Mais quand le
//! défaut est dans le dernier enregistrement, le programme se dit « c'est
//! la fin, elle a dû être coupée » : or l'enregistrement est entier, seul
//! son CRC-32 est faux. Un vote qui avait reçu son reçu disparaît.
//! Diagnostic attendu : `serveur_7_journal_abime`.

mod commun;

use commun::Lieu;

struct DernierPrisPourDechire;

impl commun::Variante for DernierPrisPourDechire {
    fn traiter_le_reste(
        &self,
        lieu: &Lieu,
        reste: &[u8],
        valides: usize,
        votes: usize,
    ) -> anyhow::Result<()> {
        let entier = match reste {
            [a, b, ..] => reste.len() == 2 + u16::from_be_bytes([*a, *b]) as usize + 4,
            _ => false,
        };
        if entier {
            // L'erreur : le dernier enregistrement, entier, traité comme une
            // fin déchirée parce qu'il est le dernier.
            eprintln!("avertissement : journal : fin ignorée à partir de l'octet {valides}");
            lieu.journal.set_len(valides as u64)?;
            return Ok(());
        }
        commun::reste_du_journal(self, lieu, reste, valides, votes)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(DernierPrisPourDechire)
}
