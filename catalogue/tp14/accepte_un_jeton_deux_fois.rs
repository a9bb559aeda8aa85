//! Règle enfreinte : R9 — un jeton peut voter deux fois : le double vote n'est pas vérifié.
//!
//! Le serveur vérifie que le jeton est inscrit, mais
//! pas qu'il a déjà voté.
//!
//! Un électeur peut voter autant de fois qu'il le veut.
//! Diagnostic attendu : `serveur_6_refus`.

mod commun;

use commun::{JETON_INCONNU, Urne};

struct AccepteDeuxFois;

impl commun::Variante for AccepteDeuxFois {
    fn voter(&self, urne: &Urne, jeton: &str, option: u16) -> Result<u32, u8> {
        let mut etat = urne.verrouiller();
        if !urne.electeurs.contains(jeton) {
            return Err(JETON_INCONNU);
        }
        // L'erreur : aucune vérification de `etat.ont_vote` ici.
        let i = urne.indice(option)?;
        commun::journaliser(&mut etat.journal, jeton, option)?;
        etat.ont_vote.insert(jeton.to_string());
        etat.voix[i] += 1;
        Ok(etat.voix.iter().sum())
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(AccepteDeuxFois)
}
