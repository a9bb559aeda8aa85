//! Règle enfreinte : R13 — au démarrage, les votes du journal sont comptés deux fois.
//!
//! Au démarrage, les votes du journal sont comptés deux
//! fois.
//!
//! Le premier passage marque les jetons et compte les voix ; un second,
//! ajouté plus tard « pour recalculer les résultats », recompte par-dessus.
//! Tant que le serveur ne redémarre pas, tout est juste ; après un arrêt,
//! chaque vote d'avant pèse double.
//! Diagnostic attendu : `serveur_7_redemarrage`.

mod commun;

use commun::Etat;

struct CompteDeuxFois;

impl commun::Variante for CompteDeuxFois {
    fn compter_le_journal(&self, etat: &mut Etat, votes: &[(String, u16)]) {
        for (jeton, option) in votes {
            etat.ont_vote.insert(jeton.clone());
            etat.voix[*option as usize - 1] += 1;
        }
        // L'erreur : un second passage qui recompte les mêmes votes.
        for (_, option) in votes {
            etat.voix[*option as usize - 1] += 1;
        }
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(CompteDeuxFois)
}
