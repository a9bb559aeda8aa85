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
    pub fn ajouter(&mut self, vote: &Vote) -> Result<()> {
        let octets = encoder(vote);
        // Un seul write_all : en mode ajout, le noyau place les octets à la
        // fin du fichier. Ils sont alors dans le cache du noyau, pas encore
        // sur le disque : une coupure de courant les perdrait.
        let ecrit = self
            .fichier
            .write_all(&octets)
            // sync_data (fdatasync) attend que le disque ait les octets.
            // C'est seulement après qu'on peut promettre le vote à l'électeur.
            .and_then(|()| self.fichier.sync_data());
        if let Err(erreur) = ecrit {
            // Une écriture à moitié faite laisserait un enregistrement
            // déchiré au milieu du journal : on revient à la taille valide.
            let _ = self.couper(self.taille);
            return Err(erreur).context("écriture du journal");
        }
        self.taille += octets.len() as u64;
        Ok(())
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
/// Relit les enregistrements un à un. S'arrête au premier qui est incomplet
/// ou dont la somme de contrôle est fausse : c'est la trace d'une écriture
/// interrompue. Rend les votes lus et la taille de la partie valide.
pub fn rejouer(octets: &[u8]) -> (Vec<Vote>, usize) {
    let mut votes = Vec::new();
    let mut position = 0;
    while let Some((vote, taille)) = lire_enregistrement(&octets[position..]) {
        votes.push(vote);
        position += taille;
    }
    (votes, position)
}

/// Un enregistrement au début de `octets`, et sa taille ; `None` s'il est
/// incomplet ou abîmé.
fn lire_enregistrement(octets: &[u8]) -> Option<(Vote, usize)> {
    let longueur = u16::from_be_bytes([*octets.first()?, *octets.get(1)?]) as usize;
    let taille = 2 + longueur + 4;
    if longueur < 2 || octets.len() < taille {
        return None;
    }
    let (contenu, somme) = octets[..taille].split_at(2 + longueur);
    if crc32(contenu) != u32::from_be_bytes([somme[0], somme[1], somme[2], somme[3]]) {
        return None;
    }
    let option = u16::from_be_bytes([contenu[2], contenu[3]]);
    let jeton = String::from_utf8(contenu[4..].to_vec()).ok()?;
    Some((Vote { jeton, option }, taille))
}
// ANCHOR_END: rejouer
