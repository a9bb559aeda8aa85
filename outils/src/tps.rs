//! Les TP d'un espace de travail, découverts sur le disque : chaque dossier
//! `exercises/tpNN` qui a un `Cargo.toml` (et, côté enseignant, un
//! `solutions/tpNN` du même nom). Aucun TP n'est écrit en dur : un TP ajouté
//! au cours est aussitôt exporté, noté et suivi.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Un TP de l'espace de travail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tp {
    /// Le nom du dossier : `tp09`.
    pub nom: String,
    /// Le nom du paquet du squelette (`tp09`), lu dans son `Cargo.toml`.
    pub paquet: String,
    /// Le dossier du squelette : `…/exercises/tp09`.
    pub dossier: PathBuf,
}

/// Les TP de l'espace de travail `racine`, triés par nom. Avec
/// `exiger_corrige`, seuls ceux qui ont un corrigé (`solutions/tpNN`).
pub fn decouvrir(racine: &Path, exiger_corrige: bool) -> anyhow::Result<Vec<Tp>> {
    let exercices = racine.join("exercises");
    let entrees = fs::read_dir(&exercices)
        .with_context(|| format!("impossible de lire {}", exercices.display()))?;
    let mut tps = Vec::new();
    for entree in entrees {
        let entree =
            entree.with_context(|| format!("impossible de lire {}", exercices.display()))?;
        let nom = entree.file_name().to_string_lossy().into_owned();
        let dossier = entree.path();
        if !est_un_nom_de_tp(&nom) || !dossier.join("Cargo.toml").is_file() {
            continue;
        }
        if exiger_corrige
            && !racine
                .join("solutions")
                .join(&nom)
                .join("Cargo.toml")
                .is_file()
        {
            continue;
        }
        let paquet = nom_du_paquet(&dossier.join("Cargo.toml"))?;
        tps.push(Tp {
            nom,
            paquet,
            dossier,
        });
    }
    tps.sort_by(|a, b| a.nom.cmp(&b.nom));
    Ok(tps)
}

/// `tp` suivi d'au moins un chiffre, et rien d'autre.
pub fn est_un_nom_de_tp(nom: &str) -> bool {
    nom.strip_prefix("tp")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|o| o.is_ascii_digit()))
}

/// Le `[package] name` d'un manifeste.
pub(crate) fn nom_du_paquet(manifeste: &Path) -> anyhow::Result<String> {
    let texte = fs::read_to_string(manifeste)
        .with_context(|| format!("impossible de lire {}", manifeste.display()))?;
    let table: toml::Table = texte
        .parse()
        .with_context(|| format!("{} n'est pas un TOML valide", manifeste.display()))?;
    table
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .with_context(|| format!("pas de [package] name dans {}", manifeste.display()))
}

/// L'espace de travail de l'étudiant : le premier dossier qui contient
/// `exercises/` en remontant depuis le dossier courant, sinon celui où les
/// outils ont été compilés.
pub fn trouver_espace() -> anyhow::Result<PathBuf> {
    let courant = std::env::current_dir().context("dossier courant illisible")?;
    if let Some(racine) = courant.ancestors().find(|d| d.join("exercises").is_dir()) {
        return Ok(racine.to_path_buf());
    }
    let espace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if espace.join("exercises").is_dir() {
        return Ok(espace);
    }
    anyhow::bail!(
        "aucun dossier exercises/ en remontant depuis {}",
        courant.display()
    )
}

/// Le dossier de compilation : `CARGO_TARGET_DIR` s'il est posé, sinon
/// `target/` dans l'espace de travail.
pub fn dossier_cible(espace: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| espace.join("target"))
}
