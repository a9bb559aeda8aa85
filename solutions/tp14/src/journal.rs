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
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::scrutin::JETON_MAX;

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

/// Ce qui suit la partie valide d'un journal.
#[derive(Debug, PartialEq, Eq)]
pub enum Reste {
    /// Rien : tout le fichier est valide.
    Rien,
    /// Un enregistrement incomplet en toute fin (ou des zéros) : la trace
    /// d'un arrêt pendant une écriture. Ce vote n'a jamais reçu de reçu :
    /// on peut le retirer.
    FinDechiree,
    /// Des octets abîmés qui ne sont pas une fin déchirée (un enregistrement
    /// complet au CRC faux, une longueur impossible, ou des enregistrements
    /// valides plus loin) : des votes déjà promis sont peut-être là. On ne
    /// touche à rien sans un ordre explicite.
    Corruption,
}

/// Le plus grand enregistrement possible : longueur, option, jeton, CRC.
const ENREGISTREMENT_MAX: usize = 2 + 2 + JETON_MAX + 4;

/// Dit ce que sont les octets qui suivent la partie valide.
pub fn nature_du_reste(reste: &[u8]) -> Reste {
    if reste.is_empty() {
        return Reste::Rien;
    }
    // Un enregistrement valide plus loin : ce n'est pas une fin.
    if (1..reste.len()).any(|debut| lire_enregistrement(&reste[debut..]).is_some()) {
        return Reste::Corruption;
    }
    // Des zéros seuls : le fichier a grandi avant que ses données arrivent
    // sur le disque (coupure de courant).
    if reste.iter().all(|&octet| octet == 0) {
        return Reste::FinDechiree;
    }
    // Un seul octet : la moitié d'une longueur.
    let [a, b, ..] = reste else {
        return Reste::FinDechiree;
    };
    let longueur = u16::from_be_bytes([*a, *b]) as usize;
    let taille = 2 + longueur + 4;
    // Une fin déchirée est plus courte que ce que sa longueur annonce ; un
    // enregistrement complet au CRC faux, lui, est abîmé.
    if (3..=2 + JETON_MAX).contains(&longueur)
        && taille <= ENREGISTREMENT_MAX
        && reste.len() < taille
    {
        Reste::FinDechiree
    } else {
        Reste::Corruption
    }
}

/// Ce que le serveur fait d'un journal abîmé au milieu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abime {
    /// Refuser de démarrer (par défaut).
    Refuser,
    /// `--reparer-journal` : mettre de côté la partie abîmée et ce qui la
    /// suit, dans `JOURNAL.endommage`, puis repartir de la partie valide.
    MettreDeCote,
}

impl Journal {
    /// Ouvre (ou crée) le journal et rend les votes qu'il contient.
    pub fn ouvrir(chemin: &Path, abime: Abime) -> Result<(Journal, Vec<Vote>)> {
        let existait = chemin.exists();
        let mut fichier = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(chemin)
            .with_context(|| format!("impossible d'ouvrir le journal {}", chemin.display()))?;
        if !existait {
            // Le nom du fichier est une entrée du dossier : sans fsync du
            // dossier, une coupure de courant peut faire disparaître le
            // journal entier, votes synchronisés compris.
            synchroniser_dossier(chemin)?;
        }
        let mut octets = Vec::new();
        fichier
            .read_to_end(&mut octets)
            .with_context(|| format!("impossible de lire le journal {}", chemin.display()))?;
        let mut journal = Journal {
            fichier,
            taille: octets.len() as u64,
        };
        // Un journal vide n'a rien à rejouer : le serveur peut démarrer et
        // servir avant que l'étape 7 (rejouer) soit écrite.
        let (votes, valides) = if octets.is_empty() {
            (Vec::new(), 0)
        } else {
            rejouer(&octets)
        };
        match nature_du_reste(&octets[valides..]) {
            Reste::Rien => {}
            Reste::FinDechiree => {
                eprintln!(
                    "avertissement : journal {} : fin incomplète ignorée ({} octet(s) à partir de l'octet {valides}, enregistrement n° {}) — un arrêt brutal pendant une écriture ?",
                    chemin.display(),
                    octets.len() - valides,
                    votes.len() + 1
                );
                journal.couper(valides as u64).with_context(|| {
                    format!(
                        "impossible de retirer la fin incomplète de {}",
                        chemin.display()
                    )
                })?;
            }
            Reste::Corruption => {
                let lieu = format!(
                    "journal {} abîmé : l'enregistrement n° {} (octet {valides}) est illisible, et {} octet(s) le suivent",
                    chemin.display(),
                    votes.len() + 1,
                    octets.len() - valides
                );
                if abime == Abime::Refuser {
                    bail!(
                        "{lieu}. Ce n'est pas la trace d'un arrêt pendant une écriture : des votes déjà acceptés sont peut-être là. Le serveur ne démarre pas et ne touche pas au fichier. Sauvegardez-le, puis relancez avec --reparer-journal pour mettre cette partie de côté (dans {}) et repartir des {} vote(s) lisibles.",
                        cote(chemin).display(),
                        votes.len()
                    );
                }
                mettre_de_cote(chemin, &octets[valides..])?;
                journal.couper(valides as u64).with_context(|| {
                    format!("impossible de couper {} après sa copie", chemin.display())
                })?;
                eprintln!(
                    "avertissement : {lieu} ; ces octets sont copiés dans {} (rien n'est effacé), le scrutin repart des {} vote(s) lisibles.",
                    cote(chemin).display(),
                    votes.len()
                );
            }
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

/// Où va la partie abîmée d'un journal : `JOURNAL.endommage`, à côté.
pub fn cote(chemin: &Path) -> PathBuf {
    let mut nom = chemin.as_os_str().to_owned();
    nom.push(".endommage");
    PathBuf::from(nom)
}

/// Copie `octets` dans un fichier neuf à côté du journal, sur le disque,
/// avant que le journal soit coupé : à aucun moment ils n'existent nulle part.
fn mettre_de_cote(chemin: &Path, octets: &[u8]) -> Result<()> {
    let destination = cote(chemin);
    let mut copie = OpenOptions::new()
        .write(true)
        .create_new(true) // jamais écraser une copie précédente
        .open(&destination)
        .with_context(|| {
            format!(
                "impossible de créer {} (existe-t-il déjà ? déplacez-le d'abord)",
                destination.display()
            )
        })?;
    copie
        .write_all(octets)
        .and_then(|()| copie.sync_all())
        .with_context(|| format!("impossible d'écrire {}", destination.display()))?;
    synchroniser_dossier(&destination)
}

/// fsync du dossier qui contient `chemin` : rend durable la création d'un
/// fichier (son entrée dans le dossier), pas seulement son contenu.
fn synchroniser_dossier(chemin: &Path) -> Result<()> {
    let dossier = match chemin.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dossier)
        .and_then(|d| d.sync_all())
        .with_context(|| {
            format!(
                "impossible de synchroniser le dossier {}",
                dossier.display()
            )
        })
}
