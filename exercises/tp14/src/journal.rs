//! Le journal des votes : un fichier où chaque vote accepté est ajouté,
//! puis forcé sur le disque, **avant** que l'électeur reçoive son reçu.
//!
//! Un enregistrement :
//!
//! ```text
//! ┌────────────────┬───────────────┬────────────────┬──────────────────┐
//! │ longueur (u16) │ option (u16)  │ jeton (UTF-8)  │ CRC-32 (u32)     │
//! └────────────────┴───────────────┴────────────────┴──────────────────┘
//!   longueur = 2 + taille du jeton ; le CRC-32 couvre tout ce qui précède.
//! ```
//!
//! Complétez l'étape 6 (`ajouter`) et l'étape 7 (`rejouer`).

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// Un vote tel que le journal le garde.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    pub jeton: String,
    pub option: u16,
}

/// Le fichier du journal, ouvert en ajout.
pub struct Journal {
    fichier: File,
    /// Taille de la partie valide : tout ce qui la dépasse est effacé.
    taille: u64,
}

// ANCHOR: crc32
/// Le CRC-32 de zlib, gzip ou Ethernet (polynôme 0xEDB88320, bits
/// inversés) : une somme de contrôle qui change si un seul bit change.
pub fn crc32(octets: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &octet in octets {
        crc ^= u32::from(octet);
        for _ in 0..8 {
            let masque = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & masque);
        }
    }
    !crc
}
// ANCHOR_END: crc32

/// Les octets d'un enregistrement.
pub fn encoder(vote: &Vote) -> Vec<u8> {
    let longueur = u16::try_from(2 + vote.jeton.len()).expect("jeton de moins de 64 octets");
    let mut octets = Vec::with_capacity(2 + longueur as usize + 4);
    octets.extend_from_slice(&longueur.to_be_bytes());
    octets.extend_from_slice(&vote.option.to_be_bytes());
    octets.extend_from_slice(vote.jeton.as_bytes());
    let somme = crc32(&octets);
    octets.extend_from_slice(&somme.to_be_bytes());
    octets
}

impl Journal {
    /// Ouvre (ou crée) le journal et rend les votes qu'il contient.
    pub fn ouvrir(chemin: &Path) -> Result<(Journal, Vec<Vote>)> {
        let mut fichier = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(chemin)
            .with_context(|| format!("impossible d'ouvrir le journal {}", chemin.display()))?;
        let mut octets = Vec::new();
        fichier
            .read_to_end(&mut octets)
            .with_context(|| format!("impossible de lire le journal {}", chemin.display()))?;
        let mut journal = Journal {
            fichier,
            taille: octets.len() as u64,
        };
        // Un journal neuf : rien à rejouer.
        if octets.is_empty() {
            return Ok((journal, Vec::new()));
        }
        let (votes, valides) = rejouer(&octets);
        if valides < octets.len() {
            eprintln!(
                "avertissement : journal {} : fin incomplète ignorée ({} octets à partir de l'octet {valides}) — un arrêt brutal pendant une écriture ?",
                chemin.display(),
                octets.len() - valides
            );
            journal.couper(valides as u64).with_context(|| {
                format!(
                    "impossible de retirer la fin incomplète de {}",
                    chemin.display()
                )
            })?;
        }
        Ok((journal, votes))
    }

    /// Ajoute un vote, et ne rend la main qu'une fois ses octets sur le disque.
    // ANCHOR: ajouter
    /// Étape 6 (suite) : ajoute un vote au journal, et ne rend la main
    /// qu'une fois ses octets sur le disque.
    ///
    /// - `encoder(vote)` (fourni) donne les octets de l'enregistrement ;
    /// - un seul `self.fichier.write_all(&octets)` (fichier ouvert en ajout),
    ///   puis `self.fichier.sync_data()` : sans lui, les octets ne sont que dans
    ///   le cache du noyau ;
    /// - en cas d'échec, revenez à la taille valide (`self.couper(self.taille)`)
    ///   et rendez l'erreur ; sinon, `self.taille` augmente.
    pub fn ajouter(&mut self, vote: &Vote) -> Result<()> {
        todo!("Étape 6 : ajouter le vote au journal, puis sync_data, avant de rendre la main")
    }
    // ANCHOR_END: ajouter

    /// Ramène le fichier à `taille` octets, sur le disque.
    fn couper(&mut self, taille: u64) -> std::io::Result<()> {
        self.fichier.set_len(taille)?;
        self.fichier.sync_all()?;
        self.taille = taille;
        Ok(())
    }
}

// ANCHOR: rejouer
/// Étape 7 : relit les enregistrements un à un, depuis le début. S'arrête
/// au premier qui est incomplet ou dont la somme de contrôle est fausse :
/// c'est la trace d'une écriture interrompue. Rend les votes lus et la
/// taille de la partie valide (la position du premier octet ignoré).
pub fn rejouer(octets: &[u8]) -> (Vec<Vote>, usize) {
    todo!("Étape 7 : rejouer le journal (enregistrements complets, CRC-32 vérifié)")
}

/// Étape 7 (suite) : un enregistrement au début de `octets`, et sa taille
/// en octets ; `None` s'il est incomplet ou abîmé.
///
/// - longueur : u16 grand-boutiste (octets 0 et 1), au moins 2 ;
/// - taille totale : 2 + longueur + 4 ; s'il manque des octets → `None` ;
/// - le CRC-32 (4 derniers octets) doit valoir `crc32` de tout ce qui
///   précède ; sinon → `None` ;
/// - option : u16 (octets 2 et 3) ; jeton : le reste, en UTF-8.
fn lire_enregistrement(octets: &[u8]) -> Option<(Vote, usize)> {
    todo!("Étape 7 : lire un enregistrement (longueur, option, jeton, CRC-32)")
}
// ANCHOR_END: rejouer
