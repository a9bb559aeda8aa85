//! Règle enfreinte : R8 — le compte des voix est lu, puis réécrit, hors du verrou : des votes simultanés se perdent.
//!
//! Le compte des voix est lu, puis réécrit, hors de
//! toute section protégée.
//!
//! Chaque accès à l'état prend bien le `Mutex`… mais le relâche aussitôt :
//! entre la lecture du compte et l'écriture de « compte + 1 », un autre fil
//! peut lire la même valeur. Deux votes simultanés n'en comptent qu'un. La
//! pause d'une milliseconde est ce que fait un fil interrompu par
//! l'ordonnanceur au mauvais moment ; elle rend la perte reproductible.
//! Diagnostic attendu : `serveur_6_concurrence`.

mod commun;

use std::time::Duration;

use commun::{DEJA_VOTE, JETON_INCONNU, Urne};

struct SansVerrou;

impl commun::Variante for SansVerrou {
    fn voter(&self, urne: &Urne, jeton: &str, option: u16) -> Result<u32, u8> {
        if !urne.electeurs.contains(jeton) {
            return Err(JETON_INCONNU);
        }
        if urne.verrouiller().ont_vote.contains(jeton) {
            return Err(DEJA_VOTE);
        }
        let i = urne.indice(option)?;
        commun::journaliser(&mut urne.verrouiller().journal, jeton, option)?;
        // L'erreur : lire, relâcher le verrou, puis écrire.
        let lu = urne.verrouiller().voix[i];
        std::thread::sleep(Duration::from_millis(1));
        let mut etat = urne.verrouiller();
        etat.voix[i] = lu + 1;
        etat.ont_vote.insert(jeton.to_string());
        Ok(etat.ont_vote.len() as u32)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(SansVerrou)
}
