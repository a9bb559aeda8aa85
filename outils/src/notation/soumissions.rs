//! Les soumissions d'une classe : un dossier, ou l'archive zip qu'exporte
//! une plateforme (un sous-dossier par étudiant). Tout lien symbolique sur
//! le chemin d'une copie la fait refuser : il pourrait désigner les
//! corrigés, la copie d'un autre, ou n'importe quel fichier de la machine.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

use super::atelier;

/// Au-delà, une archive est refusée (décompressée, elle remplirait le disque).
const ARCHIVE_MAX: u64 = 1024 * 1024 * 1024;

/// Un étudiant : le nom de son dossier, un identifiant sûr et unique (noms
/// de fichiers, carnet), son dossier, ou la raison de son refus.
#[derive(Debug, Clone)]
pub struct Etudiant {
    pub nom: String,
    pub identifiant: String,
    pub dossier: PathBuf,
    pub refus: Option<String>,
}

/// Les étudiants de `soumissions` (dossier, ou archive `.zip` décompressée
/// dans `travail`), triés par nom.
pub fn etudiants(soumissions: &Path, travail: &Path) -> anyhow::Result<Vec<Etudiant>> {
    let racine = if soumissions.is_file() {
        let dossier = travail.join("archive");
        decompresser(soumissions, &dossier)?;
        dossier
    } else {
        soumissions.to_path_buf()
    };
    let mut liste = Vec::new();
    let entrees = fs::read_dir(&racine)
        .with_context(|| format!("impossible de lire {}", racine.display()))?;
    for entree in entrees {
        let entree = entree?;
        let nom = entree.file_name().to_string_lossy().into_owned();
        let genre = entree.file_type()?;
        if nom.starts_with('.') || !(genre.is_dir() || genre.is_symlink()) {
            continue;
        }
        let refus = genre
            .is_symlink()
            .then(|| format!("lien symbolique refusé : le dossier « {nom} » en est un"));
        liste.push(Etudiant {
            identifiant: String::new(),
            nom,
            dossier: entree.path(),
            refus,
        });
    }
    liste.sort_by(|a, b| a.nom.cmp(&b.nom));
    let mut pris: Vec<String> = Vec::new();
    for etudiant in &mut liste {
        let base = match identifiant(&etudiant.nom) {
            id if id.is_empty() => "etudiant".to_string(),
            id => id,
        };
        let mut id = base.clone();
        let mut n = 2;
        while pris.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        pris.push(id.clone());
        etudiant.identifiant = id;
    }
    Ok(liste)
}

/// Le `src/` d'un TP dans le dossier d'un étudiant : `tpNN/src`,
/// `exercises/tpNN/src`, ou l'un des deux un niveau plus bas (une archive
/// décompressée dans son propre dossier). `Err` si un lien symbolique est
/// sur le chemin.
pub fn src_rendu(dossier: &Path, tp: &str) -> Result<Option<PathBuf>, String> {
    let mut bases = vec![PathBuf::new()];
    if let Ok(entrees) = fs::read_dir(dossier) {
        let mut sous: Vec<PathBuf> = entrees
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|g| g.is_dir()))
            .map(|e| PathBuf::from(e.file_name()))
            .collect();
        sous.sort();
        bases.extend(sous);
    }
    for base in bases {
        for candidat in [
            base.join(tp).join("src"),
            base.join("exercises").join(tp).join("src"),
        ] {
            let mut chemin = dossier.to_path_buf();
            let mut existe = true;
            for composant in candidat.components() {
                chemin.push(composant);
                match fs::symlink_metadata(&chemin) {
                    Ok(m) if m.file_type().is_symlink() => {
                        return Err(format!(
                            "lien symbolique refusé : {} (rendez des dossiers et des fichiers ordinaires)",
                            candidat.display()
                        ));
                    }
                    Ok(_) => {}
                    Err(_) => {
                        existe = false;
                        break;
                    }
                }
            }
            if existe && chemin.join("main.rs").is_file() {
                return Ok(Some(chemin));
            }
        }
    }
    Ok(None)
}

/// Décompresse l'archive `zip` dans `dossier` (vidé). Refusée entière si
/// une entrée sort du dossier (`../`, chemin absolu), est un lien
/// symbolique, ou si le total dépasse [`ARCHIVE_MAX`].
fn decompresser(zip: &Path, dossier: &Path) -> anyhow::Result<()> {
    let fichier =
        fs::File::open(zip).with_context(|| format!("impossible d'ouvrir {}", zip.display()))?;
    let mut archive = zip::ZipArchive::new(fichier).with_context(|| {
        format!(
            "{} n'est ni un dossier ni une archive zip lisible",
            zip.display()
        )
    })?;
    atelier::vider(dossier)?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entree = archive
            .by_index(i)
            .with_context(|| format!("entrée {i} illisible dans {}", zip.display()))?;
        let nom = entree.name().to_string();
        let relatif = entree
            .enclosed_name()
            .filter(|p| p.components().all(|c| matches!(c, Component::Normal(_))))
            .with_context(|| format!("archive refusée : l'entrée « {nom} » sort du dossier"))?;
        let mode = entree.unix_mode().unwrap_or(0);
        if mode & 0o170000 == 0o120000 {
            bail!("archive refusée : l'entrée « {nom} » est un lien symbolique");
        }
        let chemin = dossier.join(&relatif);
        if entree.is_dir() {
            fs::create_dir_all(&chemin)?;
            continue;
        }
        if let Some(parent) = chemin.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut sortie = fs::File::create(&chemin)
            .with_context(|| format!("impossible d'écrire {}", chemin.display()))?;
        let reste = ARCHIVE_MAX.saturating_sub(total);
        let ecrits = std::io::copy(&mut (&mut entree).take(reste + 1), &mut sortie)
            .with_context(|| format!("entrée « {nom} » illisible"))?;
        total += ecrits;
        if total > ARCHIVE_MAX {
            bail!(
                "archive refusée : plus de {} Mio une fois décompressée",
                ARCHIVE_MAX / 1024 / 1024
            );
        }
    }
    Ok(())
}

/// Un identifiant tiré du nom : minuscules ASCII, chiffres et tirets.
fn identifiant(nom: &str) -> String {
    let brut: String = nom
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let propre = brut
        .split('-')
        .filter(|m| !m.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    propre.chars().take(40).collect()
}
