//! Règle enfreinte : R7 — la charge est allouée à la longueur annoncée avant que celle-ci soit comparée à 4096.
//!
//! La charge est allouée (et lue) avant que sa
//! longueur soit comparée au maximum.
//!
//! Un en-tête de 5 octets annonçant 4 Gio fait réserver 4 Gio au serveur,
//! qui attend ensuite sagement qu'ils arrivent : chaque octet reçu occupe
//! de la mémoire, et aucun refus ne part.
//! Diagnostic attendu : `serveur_5_longueur_4_gio`.

mod commun;

use std::io::Read;

use commun::{LONGUEUR_MAX, TRONQUEE, TROP_LONGUE};

struct AlloueAvantDeVerifier;

impl commun::Variante for AlloueAvantDeVerifier {
    fn lire_charge(&self, flux: &mut dyn Read, longueur: u32) -> Result<Vec<u8>, u8> {
        // L'erreur : allouer et lire d'abord, vérifier ensuite.
        let mut charge = vec![0u8; longueur as usize];
        flux.read_exact(&mut charge).map_err(|_| TRONQUEE)?;
        if longueur > LONGUEUR_MAX {
            return Err(TROP_LONGUE);
        }
        Ok(charge)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(AlloueAvantDeVerifier)
}
