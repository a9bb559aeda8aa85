//! Variante correcte : la charge est lue au fil de son arrivée (take + read_to_end, sans tampon alloué d'avance), et le journal est forcé sur le disque par sync_all (fsync) plutôt que sync_data.
//!
//! Deux choix différents du corrigé, tout aussi justes : la borne de 4096 est
//! vérifiée avant de lire, et fsync fait tout ce que fait fdatasync (plus les
//! métadonnées).

mod commun;

use std::io::Read;

use commun::{LONGUEUR_MAX, TRONQUEE, TROP_LONGUE, Urne};

struct ChargeProgressive;

impl commun::Variante for ChargeProgressive {
    fn lire_charge(&self, flux: &mut dyn Read, longueur: u32) -> Result<Vec<u8>, u8> {
        if longueur > LONGUEUR_MAX {
            return Err(TROP_LONGUE);
        }
        let mut charge = Vec::new();
        let lus = flux
            .take(u64::from(longueur))
            .read_to_end(&mut charge)
            .map_err(|_| TRONQUEE)?;
        if lus < longueur as usize {
            return Err(TRONQUEE);
        }
        Ok(charge)
    }

    fn voter(&self, urne: &Urne, jeton: &str, option: u16) -> Result<u32, u8> {
        let mut etat = urne.verrouiller();
        if !urne.electeurs.contains(jeton) {
            return Err(commun::JETON_INCONNU);
        }
        if etat.ont_vote.contains(jeton) {
            return Err(commun::DEJA_VOTE);
        }
        let i = urne.indice(option)?;
        commun::ajouter_au_journal(
            &mut etat.journal,
            &commun::enregistrement(jeton, option),
            std::fs::File::sync_all,
        )?;
        etat.ont_vote.insert(jeton.to_string());
        etat.voix[i] += 1;
        Ok(etat.ont_vote.len() as u32)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(ChargeProgressive)
}
