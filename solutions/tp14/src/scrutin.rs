//! Les deux fichiers donnés au serveur : le bulletin et la liste des
//! électeurs. Leur format est décrit dans le chapitre.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};

/// Nombre d'options au plus : la réponse OPTIONS doit tenir dans une trame.
pub const OPTIONS_MAX: usize = 16;
/// Longueur maximale (en octets) de la question et de chaque option.
pub const TEXTE_MAX: usize = 200;
/// Longueur maximale (en octets) d'un jeton.
pub const JETON_MAX: usize = 64;

/// La question posée et les options, dans l'ordre du fichier : l'option
/// numéro 1 est la première.
#[derive(Debug, Clone)]
pub struct Bulletin {
    pub question: String,
    pub options: Vec<String>,
}

/// Les lignes utiles d'un fichier texte : sans espaces autour, sans les
/// lignes vides.
fn lignes_utiles(chemin: &Path) -> Result<Vec<String>> {
    let texte = std::fs::read_to_string(chemin)
        .with_context(|| format!("impossible de lire {}", chemin.display()))?;
    Ok(texte
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}

/// Bulletin : la première ligne est la question, chacune des suivantes une option.
pub fn lire_bulletin(chemin: &Path) -> Result<Bulletin> {
    let mut lignes = lignes_utiles(chemin)?.into_iter();
    let question = lignes
        .next()
        .with_context(|| format!("bulletin vide : {}", chemin.display()))?;
    let options: Vec<String> = lignes.collect();
    ensure!(
        (2..=OPTIONS_MAX).contains(&options.len()),
        "le bulletin doit proposer de 2 à {OPTIONS_MAX} options (il en a {})",
        options.len()
    );
    for texte in std::iter::once(&question).chain(&options) {
        ensure!(
            texte.len() <= TEXTE_MAX,
            "ligne du bulletin trop longue (plus de {TEXTE_MAX} octets) : « {texte} »"
        );
    }
    Ok(Bulletin { question, options })
}

/// Électeurs : un jeton par ligne, de 1 à `JETON_MAX` caractères ASCII
/// visibles (ni espace, ni accent), sans doublon.
pub fn lire_electeurs(chemin: &Path) -> Result<HashSet<String>> {
    let mut jetons = HashSet::new();
    for jeton in lignes_utiles(chemin)? {
        if jeton.len() > JETON_MAX || !jeton.bytes().all(|o| o.is_ascii_graphic()) {
            bail!("jeton invalide dans {} : « {jeton} »", chemin.display());
        }
        if !jetons.insert(jeton.clone()) {
            bail!("jeton en double dans {} : « {jeton} »", chemin.display());
        }
    }
    ensure!(
        !jetons.is_empty(),
        "aucun électeur dans {}",
        chemin.display()
    );
    Ok(jetons)
}
