//! L'atelier de correction d'un TP : les sources vierges dont le bac à
//! sable a besoin, et rien d'autre — un espace de travail cargo dont le seul
//! membre est le squelette du TP (son `Cargo.toml`, ses tests, un `src/`
//! vide sur lequel le bac à sable monte celui de la copie), ses dépendances
//! par chemin (le correcteur) et le `Cargo.lock` de l'enseignant. Ni
//! `solutions/`, ni `catalogue/`, ni les autres TP : ce que l'export des
//! étudiants contient pour ce TP (voir `crate::export`).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

use crate::tps::Tp;

/// Au-delà, un `src/` d'étudiant est refusé (une copie n'est pas une archive).
const TAILLE_SRC_MAX: u64 = 4 * 1024 * 1024;

/// Écrit dans `racine` (vidé s'il existe) l'atelier du `tp` tiré de
/// l'espace de travail `enseignant`.
pub fn preparer(racine: &Path, enseignant: &Path, tp: &Tp) -> anyhow::Result<()> {
    vider(racine)?;
    for dependance in dependances_par_chemin(&tp.dossier)? {
        let relatif = relatif_a(&dependance, enseignant)?;
        if relatif.starts_with("solutions") || relatif.starts_with("catalogue") {
            bail!(
                "le squelette de {} dépend de {} : réservé à l'enseignant",
                tp.nom,
                relatif.display()
            );
        }
        copier_arbre(&dependance, &racine.join(&relatif))?;
    }
    let squelette = racine.join("exercises").join(&tp.nom);
    // Le point de montage du `src/` des copies ; le `main.rs` vide ne sert
    // qu'à cargo metadata hors du bac à sable (il est caché par le montage).
    fs::create_dir_all(squelette.join("src"))?;
    fs::write(squelette.join("src/main.rs"), "fn main() {}\n")?;
    fs::copy(tp.dossier.join("Cargo.toml"), squelette.join("Cargo.toml"))
        .with_context(|| format!("impossible de copier le Cargo.toml de {}", tp.nom))?;
    if tp.dossier.join("tests").is_dir() {
        copier_arbre(&tp.dossier.join("tests"), &squelette.join("tests"))?;
    }
    let verrou = enseignant.join("Cargo.lock");
    if verrou.is_file() {
        fs::copy(&verrou, racine.join("Cargo.lock")).context("copie du Cargo.lock")?;
    }
    ecrire_manifeste(racine, enseignant, &tp.nom)?;
    rendre_lisible(racine)
}

/// Sans bac à sable (rien n'est monté) : l'atelier d'une copie est une copie
/// de celui du `modele`, avec le `src/` de l'étudiant à sa place.
pub fn preparer_copie_directe(
    modele: &Path,
    racine: &Path,
    tp: &str,
    src: &Path,
) -> anyhow::Result<()> {
    vider(racine)?;
    copier_arbre(modele, racine)?;
    let place = racine.join("exercises").join(tp).join("src");
    vider(&place)?;
    copier_src(src, &place)
}

/// Le `Cargo.toml` racine : celui de l'enseignant (dépendances, profils,
/// lints), avec le squelette du TP pour seul membre.
fn ecrire_manifeste(racine: &Path, enseignant: &Path, tp: &str) -> anyhow::Result<()> {
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
    espace.insert(
        "members".into(),
        toml::Value::Array(vec![toml::Value::String(format!("exercises/{tp}"))]),
    );
    fs::write(racine.join("Cargo.toml"), toml::to_string(&manifeste)?)
        .context("impossible d'écrire le Cargo.toml de l'atelier")
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

/// Copie le `src/` d'un étudiant dans `cible`. Refusé, avec la raison : un
/// lien symbolique (il pourrait désigner les corrigés, une autre copie…),
/// un fichier spécial, plus de [`TAILLE_SRC_MAX`] octets.
pub fn copier_src(source: &Path, cible: &Path) -> anyhow::Result<()> {
    let mut taille = 0;
    let mut a_voir = vec![PathBuf::new()];
    fs::create_dir_all(cible)?;
    while let Some(relatif) = a_voir.pop() {
        let dossier = source.join(&relatif);
        let entrees = fs::read_dir(&dossier)
            .with_context(|| format!("impossible de lire {}", dossier.display()))?;
        for entree in entrees {
            let entree = entree?;
            let genre = entree.file_type()?;
            let chemin = relatif.join(entree.file_name());
            if genre.is_symlink() {
                bail!(
                    "lien symbolique refusé dans src/ : {} (rendez des fichiers ordinaires)",
                    chemin.display()
                );
            } else if genre.is_dir() {
                fs::create_dir_all(cible.join(&chemin))?;
                a_voir.push(chemin);
            } else if genre.is_file() {
                taille += entree.metadata()?.len();
                if taille > TAILLE_SRC_MAX {
                    bail!(
                        "le dossier src/ rendu dépasse {} Mio",
                        TAILLE_SRC_MAX / 1024 / 1024
                    );
                }
                fs::copy(entree.path(), cible.join(&chemin))
                    .with_context(|| format!("impossible de copier {}", chemin.display()))?;
            } else {
                bail!("fichier spécial refusé dans src/ : {}", chemin.display());
            }
        }
    }
    rendre_lisible(cible)
}

/// Copie un dossier de l'enseignant (sans `target/`, sans liens).
fn copier_arbre(source: &Path, cible: &Path) -> anyhow::Result<()> {
    for fichier in fichiers_sous(source)? {
        let relatif = fichier.strip_prefix(source).unwrap_or(&fichier);
        let destination = cible.join(relatif);
        if let Some(parent) = destination.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(&fichier, &destination)
            .with_context(|| format!("impossible de copier {}", fichier.display()))?;
    }
    Ok(())
}

/// Les fichiers ordinaires sous `dossier` (sans suivre les liens
/// symboliques, sans les dossiers `target`).
fn fichiers_sous(dossier: &Path) -> anyhow::Result<Vec<PathBuf>> {
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

/// Lisible par tous, modifiable par la seule notation : le bac à sable (un
/// autre utilisateur, en root) lit l'atelier sans pouvoir l'écrire.
fn rendre_lisible(racine: &Path) -> anyhow::Result<()> {
    let mut a_voir = vec![racine.to_path_buf()];
    while let Some(courant) = a_voir.pop() {
        let genre = fs::symlink_metadata(&courant)?.file_type();
        let mode = if genre.is_dir() { 0o755 } else { 0o644 };
        fs::set_permissions(&courant, fs::Permissions::from_mode(mode))?;
        if genre.is_dir() {
            for entree in fs::read_dir(&courant)? {
                a_voir.push(entree?.path());
            }
        }
    }
    Ok(())
}

/// Supprime `dossier` s'il existe, puis le recrée vide.
pub fn vider(dossier: &Path) -> anyhow::Result<()> {
    if dossier.exists() {
        fs::remove_dir_all(dossier)
            .with_context(|| format!("impossible de vider {}", dossier.display()))?;
    }
    fs::create_dir_all(dossier)
        .with_context(|| format!("impossible de créer {}", dossier.display()))
}
