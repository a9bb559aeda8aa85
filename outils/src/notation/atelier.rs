//! L'atelier de correction : un espace de travail cargo où chaque copie
//! d'étudiant devient un paquet vierge — le `Cargo.toml` et les tests de
//! l'enseignant, le seul `src/` de l'étudiant.
//!
//! Chaque copie reçoit un nom de paquet (et donc de binaire) unique,
//! `tp09-c3-alice` : toutes les copies partagent ainsi un même dossier cible
//! (les dépendances ne sont compilées qu'une fois) sans que leurs binaires
//! s'écrasent. Les tests de l'enseignant sont recopiés tels quels, à un
//! détail près : `CARGO_BIN_EXE_tp09` y devient `CARGO_BIN_EXE_tp09-c3-alice`.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

use crate::tps::Tp;

/// Au-delà, un `src/` d'étudiant est refusé (une copie n'est pas une archive).
const TAILLE_SRC_MAX: u64 = 4 * 1024 * 1024;

/// Un espace de travail de correction en construction.
pub struct Atelier {
    pub racine: PathBuf,
    /// Les dossiers membres (relatifs), dans l'ordre d'ajout.
    membres: Vec<String>,
}

impl Atelier {
    /// Prépare l'atelier dans `racine` (vidé s'il existe) à partir de
    /// l'espace de travail de l'enseignant : ses dépendances par chemin
    /// (le correcteur) y sont copiées une fois.
    pub fn nouveau(racine: &Path, enseignant: &Path, tps: &[Tp]) -> anyhow::Result<Self> {
        if racine.exists() {
            fs::remove_dir_all(racine)
                .with_context(|| format!("impossible de vider {}", racine.display()))?;
        }
        fs::create_dir_all(racine)
            .with_context(|| format!("impossible de créer {}", racine.display()))?;
        let mut deja = Vec::new();
        for tp in tps {
            for dependance in dependances_par_chemin(&tp.dossier)? {
                let relatif = relatif_a(&dependance, enseignant)?;
                if !deja.contains(&relatif) {
                    copier(&dependance, &racine.join(&relatif), false)?;
                    deja.push(relatif);
                }
            }
        }
        let verrou = enseignant.join("Cargo.lock");
        if verrou.is_file() {
            fs::copy(&verrou, racine.join("Cargo.lock")).context("copie du Cargo.lock")?;
        }
        Ok(Atelier {
            racine: racine.to_path_buf(),
            membres: Vec::new(),
        })
    }

    /// Ajoute une copie : le paquet vierge du `tp` nommé `paquet`, dans le
    /// dossier `dossier` (relatif, à la même profondeur que `exercises/tpNN`
    /// pour que les chemins relatifs du manifeste restent justes), avec le
    /// `src/` donné.
    pub fn ajouter(
        &mut self,
        tp: &Tp,
        dossier: &str,
        paquet: &str,
        src: &Path,
    ) -> anyhow::Result<()> {
        let cible = self.racine.join(dossier);
        let manifeste = fs::read_to_string(tp.dossier.join("Cargo.toml"))
            .with_context(|| format!("impossible de lire le Cargo.toml de {}", tp.nom))?;
        fs::create_dir_all(&cible)?;
        fs::write(cible.join("Cargo.toml"), renommer(&manifeste, paquet)?)?;
        let tests = tp.dossier.join("tests");
        if tests.is_dir() {
            copier(&tests, &cible.join("tests"), false)?;
            let ancien = format!("CARGO_BIN_EXE_{}\"", tp.paquet);
            let nouveau = format!("CARGO_BIN_EXE_{paquet}\"");
            for fichier in fichiers_sous(&cible.join("tests"))? {
                let texte = fs::read_to_string(&fichier)?;
                fs::write(&fichier, texte.replace(&ancien, &nouveau))?;
            }
        }
        copier(src, &cible.join("src"), true)?;
        self.membres.push(dossier.to_string());
        Ok(())
    }

    /// Écrit le `Cargo.toml` racine de l'atelier : l'espace de travail de
    /// l'enseignant (dépendances, profils, lints), avec les copies pour seuls
    /// membres.
    pub fn ecrire_manifeste(&self, enseignant: &Path) -> anyhow::Result<()> {
        let chemin = enseignant.join("Cargo.toml");
        let mut manifeste: toml::Table = fs::read_to_string(&chemin)
            .with_context(|| format!("impossible de lire {}", chemin.display()))?
            .parse()
            .with_context(|| format!("{} n'est pas un TOML valide", chemin.display()))?;
        manifeste.remove("package");
        manifeste.remove("dev-dependencies");
        let espace = manifeste
            .get_mut("workspace")
            .and_then(|w| w.as_table_mut())
            .context("le Cargo.toml de l'enseignant n'a pas de [workspace]")?;
        espace.remove("default-members");
        let membres = self
            .membres
            .iter()
            .cloned()
            .map(toml::Value::String)
            .collect();
        espace.insert("members".into(), toml::Value::Array(membres));
        fs::write(self.racine.join("Cargo.toml"), toml::to_string(&manifeste)?)
            .context("impossible d'écrire le Cargo.toml de l'atelier")
    }
}

/// Le manifeste d'un squelette, renommé : paquet et binaire `paquet`.
fn renommer(manifeste: &str, paquet: &str) -> anyhow::Result<String> {
    let mut table: toml::Table = manifeste
        .parse()
        .context("Cargo.toml du squelette invalide")?;
    let section = table
        .get_mut("package")
        .and_then(|p| p.as_table_mut())
        .context("Cargo.toml du squelette sans [package]")?;
    section.insert("name".into(), toml::Value::String(paquet.into()));
    section.insert("autobins".into(), toml::Value::Boolean(false));
    let mut binaire = toml::Table::new();
    binaire.insert("name".into(), toml::Value::String(paquet.into()));
    binaire.insert("path".into(), toml::Value::String("src/main.rs".into()));
    table.insert(
        "bin".into(),
        toml::Value::Array(vec![toml::Value::Table(binaire)]),
    );
    Ok(toml::to_string(&table)?)
}

/// Les dossiers des dépendances par chemin d'un manifeste (le correcteur).
fn dependances_par_chemin(paquet: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let texte = fs::read_to_string(paquet.join("Cargo.toml"))?;
    let table: toml::Table = texte.parse()?;
    let mut chemins = Vec::new();
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(deps) = table.get(section).and_then(|d| d.as_table()) else {
            continue;
        };
        for dep in deps.values() {
            if let Some(chemin) = dep.get("path").and_then(|p| p.as_str()) {
                let absolu = paquet.join(chemin).canonicalize().with_context(|| {
                    format!("dépendance introuvable : {chemin} ({})", paquet.display())
                })?;
                chemins.push(absolu);
            }
        }
    }
    Ok(chemins)
}

fn relatif_a(chemin: &Path, racine: &Path) -> anyhow::Result<PathBuf> {
    let racine = racine.canonicalize()?;
    let relatif = chemin
        .strip_prefix(&racine)
        .with_context(|| format!("{} est hors de l'espace de travail", chemin.display()))?;
    if relatif
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        bail!("chemin de dépendance inattendu : {}", chemin.display());
    }
    Ok(relatif.to_path_buf())
}

/// Copie un dossier (sans `target/`). Pour un `src/` d'étudiant
/// (`borne`), seuls les fichiers ordinaires passent (pas de liens
/// symboliques, qui pourraient pointer vers les tests ou ailleurs), et la
/// taille totale est bornée.
fn copier(source: &Path, cible: &Path, borne: bool) -> anyhow::Result<()> {
    let mut taille = 0;
    for fichier in fichiers_sous(source)? {
        let relatif = fichier.strip_prefix(source).unwrap_or(&fichier);
        let destination = cible.join(relatif);
        if let Some(parent) = destination.parent() {
            fs::create_dir_all(parent)?;
        }
        taille += fs::metadata(&fichier)?.len();
        if borne && taille > TAILLE_SRC_MAX {
            bail!(
                "le dossier src/ rendu dépasse {} Mio",
                TAILLE_SRC_MAX / 1024 / 1024
            );
        }
        fs::copy(&fichier, &destination)
            .with_context(|| format!("impossible de copier {}", fichier.display()))?;
    }
    Ok(())
}

/// Les fichiers ordinaires sous `dossier` (sans suivre les liens
/// symboliques, sans les dossiers `target`).
pub(crate) fn fichiers_sous(dossier: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut fichiers = Vec::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(courant) = a_voir.pop() {
        let entrees = fs::read_dir(&courant)
            .with_context(|| format!("impossible de lire {}", courant.display()))?;
        for entree in entrees {
            let entree = entree?;
            let genre = entree.file_type()?;
            if genre.is_dir() && entree.file_name() != "target" {
                a_voir.push(entree.path());
            } else if genre.is_file() {
                fichiers.push(entree.path());
            }
        }
    }
    fichiers.sort();
    Ok(fichiers)
}
