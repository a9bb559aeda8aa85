//! Vérification d'un livre construit avant sa mise en ligne : `livre
//! verifier DOSSIER` (le workflow GitHub Pages la lance).
//!
//! Chercher un titre (« Pour l'enseignant ») ne suffit pas : mdBook le rend
//! avec une apostrophe typographique, l'index de recherche l'échappe
//! autrement, et un titre se renomme. On cherche donc le **contenu** des
//! blocs que l'édition ne doit pas montrer : chaque ligne de ces blocs (et de
//! ce qu'ils incluent depuis `solutions/`) assez longue pour être propre, et
//! que le reste de l'édition ne contient pas. La comparaison ne garde que les
//! lettres et les chiffres, en minuscules : ni les balises, ni les entités,
//! ni les échappements JSON, ni les espaces insécables ne la trompent.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;
use anyhow::Context;

use crate::ancres::inclusions;
use crate::construction::lire_config;
use crate::edition::{Bloc, Edition, retirer_blocs};

/// Longueur minimale (en lettres et chiffres) d'une ligne ordinaire pour
/// servir de signature : en dessous, elle est trop banale (`Ok(())`).
const LONGUEUR_MIN: usize = 24;
/// Longueur minimale d'un titre (`## …`) pour servir de signature.
const LONGUEUR_MIN_TITRE: usize = 8;

/// Un contenu réservé trouvé dans un fichier publié.
#[derive(Debug, Clone)]
pub struct Fuite {
    /// Le fichier publié.
    pub fichier: PathBuf,
    /// La ligne des sources qu'on y a trouvée (ou la marque de bloc).
    pub ligne: String,
}

impl fmt::Display for Fuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} montre : {}", self.fichier.display(), self.ligne)
    }
}

/// Ce qu'a vu la vérification.
#[derive(Debug)]
pub struct RapportPublication {
    /// Nombre de fichiers examinés (HTML, JS, JSON).
    pub fichiers: usize,
    /// Nombre de lignes réservées cherchées.
    pub signatures: usize,
    /// Les contenus réservés trouvés.
    pub fuites: Vec<Fuite>,
}

/// Vérifie que le livre construit dans `dossier` ne montre rien de ce que
/// `edition` retire, d'après les sources du livre de `racine`.
pub fn verifier_publication(
    racine: &Path,
    dossier: &Path,
    edition: Edition,
) -> anyhow::Result<RapportPublication> {
    let signatures = signatures(racine, edition)?;
    let marques: Vec<&str> = Bloc::TOUS
        .into_iter()
        .filter(|b| !edition.montre(*b))
        .flat_map(|b| [b.marques().0, b.marques().1])
        .collect();
    let cles: Vec<String> = signatures.iter().map(|s| normaliser(s)).collect();
    let automate = AhoCorasick::new(&cles).context("signatures inutilisables")?;
    let mut rapport = RapportPublication {
        fichiers: 0,
        signatures: signatures.len(),
        fuites: Vec::new(),
    };
    for fichier in fichiers_publies(dossier)? {
        let Ok(brut) = fs::read_to_string(&fichier) else {
            continue;
        };
        rapport.fichiers += 1;
        // Un livre construit sans le préprocesseur garde les marques (des
        // commentaires HTML) : c'est la fuite la plus simple à voir.
        for marque in &marques {
            if brut.contains(marque) {
                rapport.fuites.push(Fuite {
                    fichier: fichier.clone(),
                    ligne: (*marque).to_string(),
                });
            }
        }
        let texte = if fichier.extension().is_some_and(|e| e == "html") {
            sans_balises(&brut)
        } else {
            brut
        };
        let texte = normaliser(&decoder_entites(&texte));
        let mut vues = HashSet::new();
        for trouve in automate.find_overlapping_iter(&texte) {
            if vues.insert(trouve.pattern().as_usize()) {
                rapport.fuites.push(Fuite {
                    fichier: fichier.clone(),
                    ligne: signatures[trouve.pattern().as_usize()].clone(),
                });
            }
        }
    }
    Ok(rapport)
}

/// Les lignes des blocs que `edition` retire (et de ce qu'ils incluent),
/// qu'on ne trouve nulle part ailleurs dans l'édition.
fn signatures(racine: &Path, edition: Edition) -> anyhow::Result<Vec<String>> {
    let config = lire_config(racine)?;
    let sources = racine.join(&config.book.src);
    let mut visible = String::new();
    let mut retire = Vec::new();
    for chapitre in chapitres(&sources)? {
        let texte = fs::read_to_string(&chapitre)
            .with_context(|| format!("impossible de lire {}", chapitre.display()))?;
        let dossier = chapitre.parent().unwrap_or(&sources);
        let montre = retirer_blocs(&texte, edition)
            .with_context(|| format!("{} : bloc réservé mal formé", chapitre.display()))?;
        let complet = retirer_blocs(&texte, Edition::Enseignant)
            .with_context(|| format!("{} : bloc réservé mal formé", chapitre.display()))?;
        visible.push_str(&developper(&montre, dossier));
        // Ce que l'édition retire : les lignes du texte complet absentes du
        // texte montré (les blocs), avec leurs inclusions.
        let lignes_montrees: HashSet<&str> = montre.lines().collect();
        let blocs: String = complet
            .lines()
            .filter(|l| !lignes_montrees.contains(l))
            .flat_map(|l| [l, "\n"])
            .collect();
        retire.push(developper(&blocs, dossier));
    }
    let visible = normaliser(&visible);
    let mut signatures: Vec<String> = Vec::new();
    let mut deja = HashSet::new();
    for texte in retire {
        for ligne in texte.lines() {
            let Some(propre) = ligne_de_signature(ligne) else {
                continue;
            };
            let cle = normaliser(&propre);
            let minimum = if propre.starts_with('#') {
                LONGUEUR_MIN_TITRE
            } else {
                LONGUEUR_MIN
            };
            if cle.chars().count() >= minimum && !visible.contains(&cle) && deja.insert(cle) {
                signatures.push(propre);
            }
        }
    }
    Ok(signatures)
}

/// Une ligne de source telle qu'elle se retrouve dans le HTML, ou `None` si
/// elle n'y paraît pas telle quelle (directive, clôture de code, ancre,
/// commentaire) : la cible d'un lien Markdown `[texte](cible)` est ôtée.
fn ligne_de_signature(ligne: &str) -> Option<String> {
    let ligne = ligne.trim();
    let invisible = ["{{#", "```", "ANCHOR", "<!--"];
    if invisible.iter().any(|m| ligne.contains(m)) {
        return None;
    }
    let mut propre = String::with_capacity(ligne.len());
    let mut reste = ligne;
    while let Some(debut) = reste.find("](") {
        propre.push_str(&reste[..debut]);
        reste = &reste[debut + 2..];
        reste = reste.find(')').map_or("", |fin| &reste[fin + 1..]);
    }
    propre.push_str(reste);
    Some(propre)
}

/// Le texte suivi du contenu de chacune de ses inclusions (l'extrait de
/// l'ancre, ou le fichier entier) : l'ordre n'importe pas ici.
fn developper(texte: &str, dossier: &Path) -> String {
    let mut resultat = texte.to_string();
    for (fichier, ancre) in inclusions(texte) {
        let Ok(inclus) = fs::read_to_string(dossier.join(fichier)) else {
            continue;
        };
        resultat.push('\n');
        resultat.push_str(&extrait(&inclus, ancre));
    }
    resultat
}

/// Les lignes entre `ANCHOR: ancre` et `ANCHOR_END: ancre` (tout le fichier
/// sans ancre).
fn extrait(texte: &str, ancre: Option<&str>) -> String {
    let Some(ancre) = ancre else {
        return texte.to_string();
    };
    let debut = format!("ANCHOR: {ancre}");
    let fin = format!("ANCHOR_END: {ancre}");
    texte
        .lines()
        .skip_while(|l| !l.contains(&debut))
        .take_while(|l| !l.contains(&fin))
        .flat_map(|l| [l, "\n"])
        .collect()
}

/// Les chapitres (`.md`) des sources, sous-dossiers compris.
fn chapitres(sources: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut trouves: Vec<PathBuf> = fichiers_sous(sources)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    trouves.sort();
    Ok(trouves)
}

/// Les fichiers publiés qui peuvent porter du texte : pages, scripts (dont
/// la table des matières et l'index de recherche), JSON.
fn fichiers_publies(dossier: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !dossier.is_dir() {
        anyhow::bail!(
            "{} n'est pas un dossier de livre construit",
            dossier.display()
        );
    }
    Ok(fichiers_sous(dossier)?
        .into_iter()
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "html" || e == "js" || e == "json")
        })
        .collect())
}

/// Tous les fichiers sous un dossier (sans suivre les liens symboliques).
fn fichiers_sous(dossier: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut fichiers = Vec::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(courant) = a_voir.pop() {
        let entrees = fs::read_dir(&courant)
            .with_context(|| format!("impossible de lire le dossier {}", courant.display()))?;
        for entree in entrees {
            let entree = entree
                .with_context(|| format!("impossible de lire le dossier {}", courant.display()))?;
            let genre = entree.file_type().context("type de fichier illisible")?;
            if genre.is_dir() {
                a_voir.push(entree.path());
            } else if genre.is_file() {
                fichiers.push(entree.path());
            }
        }
    }
    Ok(fichiers)
}

/// Le texte d'une page sans ses balises (ni commentaires) : un mot mis en
/// `<code>` au milieu d'une phrase ne la coupe plus.
fn sans_balises(html: &str) -> String {
    let mut texte = String::with_capacity(html.len());
    let mut dans_balise = false;
    for c in html.chars() {
        match (c, dans_balise) {
            ('<', false) => dans_balise = true,
            ('>', true) => dans_balise = false,
            (c, false) => texte.push(c),
            (_, true) => {}
        }
    }
    texte
}

/// Les entités que mdBook produit (le reste n'est ni lettre ni chiffre).
fn decoder_entites(texte: &str) -> String {
    texte
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Seuls les lettres et les chiffres comptent, en minuscules.
fn normaliser(texte: &str) -> String {
    texte
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
