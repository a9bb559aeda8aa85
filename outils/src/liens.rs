//! Vérification des liens internes du livre construit : chaque `href` ou `src`
//! relatif d'une page HTML doit mener à un fichier qui existe dans la sortie.
//!
//! Un simple balayage du texte suffit : le HTML vient de mdBook, il est bien
//! formé, et le contenu des blocs de code y est échappé (`href=&quot;…`), donc
//! il ne ressemble pas à un attribut.

use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::Context;

/// Un lien qui ne mène nulle part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LienCasse {
    /// La page qui contient le lien, relative au dossier de sortie.
    pub page: PathBuf,
    /// La cible du lien, telle qu'écrite dans la page.
    pub cible: String,
}

impl fmt::Display for LienCasse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} → {}", self.page.display(), self.cible)
    }
}

/// Bilan d'une vérification : combien de pages et de liens internes ont été
/// examinés, et lesquels sont cassés.
#[derive(Debug, Clone, Default)]
pub struct RapportLiens {
    /// Nombre de pages HTML examinées.
    pub pages: usize,
    /// Nombre de liens internes examinés.
    pub liens: usize,
    /// Les liens internes cassés.
    pub casses: Vec<LienCasse>,
}

/// Examine toutes les pages HTML sous `sortie` (le dossier produit par
/// [`crate::construire`]) et renvoie le bilan de leurs liens internes.
pub fn verifier_liens(sortie: &Path) -> anyhow::Result<RapportLiens> {
    let mut pages = Vec::new();
    lister_pages(sortie, &mut pages)?;
    pages.sort();
    let mut rapport = RapportLiens::default();
    for page in &pages {
        let texte = fs::read_to_string(page)
            .with_context(|| format!("impossible de lire {}", page.display()))?;
        let relative = page.strip_prefix(sortie).unwrap_or(page).to_path_buf();
        let dossier = page.parent().unwrap_or(sortie);
        rapport.pages += 1;
        for valeur in valeurs_d_attributs(&texte) {
            let cible = decoder_entites(valeur);
            let Some(chemin) = partie_chemin(&cible) else {
                continue;
            };
            rapport.liens += 1;
            if !existe(sortie, dossier, chemin) {
                rapport.casses.push(LienCasse {
                    page: relative.clone(),
                    cible,
                });
            }
        }
    }
    Ok(rapport)
}

/// Ajoute à `pages` les fichiers `.html` de `dossier` et de ses sous-dossiers.
fn lister_pages(dossier: &Path, pages: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entrees = fs::read_dir(dossier)
        .with_context(|| format!("impossible de lire le dossier {}", dossier.display()))?;
    for entree in entrees {
        let entree = entree
            .with_context(|| format!("impossible de lire le dossier {}", dossier.display()))?;
        let chemin = entree.path();
        let genre = entree
            .file_type()
            .with_context(|| format!("impossible d'examiner {}", chemin.display()))?;
        if genre.is_dir() {
            lister_pages(&chemin, pages)?;
        } else if chemin.extension().is_some_and(|e| e == "html") {
            pages.push(chemin);
        }
    }
    Ok(())
}

/// Les valeurs des attributs `href` et `src` d'une page (entre guillemets
/// doubles, simples, ou sans guillemets).
fn valeurs_d_attributs(texte: &str) -> Vec<&str> {
    let mut valeurs = Vec::new();
    for nom in ["href=", "src="] {
        for (debut, _) in texte.match_indices(nom) {
            // Un attribut est précédé d'un blanc : cela écarte `data-src=`,
            // `lien.href=` dans un script, etc.
            if !texte[..debut].ends_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            let reste = &texte[debut + nom.len()..];
            let valeur = match reste.chars().next() {
                Some(guillemet @ ('"' | '\'')) => {
                    let interieur = &reste[1..];
                    interieur.find(guillemet).map(|fin| &interieur[..fin])
                }
                Some(_) => {
                    let fin = reste
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(reste.len());
                    Some(&reste[..fin])
                }
                None => None,
            };
            valeurs.extend(valeur);
        }
    }
    valeurs
}

/// Remplace les entités HTML qu'on peut trouver dans une adresse.
fn decoder_entites(valeur: &str) -> String {
    valeur
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// La partie « chemin » d'un lien interne, sans requête ni fragment ; `None`
/// pour un lien externe (`https:`, `mailto:`, `//hôte/…`), un simple fragment
/// (`#titre`) ou un lien vide.
fn partie_chemin(cible: &str) -> Option<&str> {
    if cible.starts_with("//") || a_un_schema(cible) {
        return None;
    }
    let fin = cible.find(['?', '#']).unwrap_or(cible.len());
    let chemin = &cible[..fin];
    (!chemin.is_empty()).then_some(chemin)
}

/// Vrai si la cible commence par un schéma d'URL (`https:`, `mailto:`,
/// `data:`, `javascript:`…) : des lettres, chiffres, `+`, `-` ou `.`, puis `:`,
/// avant tout `/`, `?` ou `#`.
fn a_un_schema(cible: &str) -> bool {
    let Some(fin) = cible.find([':', '/', '?', '#']) else {
        return false;
    };
    let schema = &cible[..fin];
    cible[fin..].starts_with(':')
        && schema.starts_with(|c: char| c.is_ascii_alphabetic())
        && schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Vrai si le chemin d'un lien, relatif au dossier de sa page (ou à la racine
/// de la sortie s'il commence par `/`), désigne un fichier de la sortie (ou un
/// dossier qui a un `index.html`). Un lien qui remonte au-dessus de la sortie
/// est considéré comme cassé.
fn existe(sortie: &Path, dossier_page: &Path, chemin: &str) -> bool {
    let decode = decoder_pourcent(chemin);
    let (depart, relatif) = match decode.strip_prefix('/') {
        Some(reste) => (sortie, reste),
        None => (dossier_page, decode.as_str()),
    };
    let Ok(depart) = depart.strip_prefix(sortie) else {
        return false;
    };
    let mut cible = depart.to_path_buf();
    for composant in Path::new(relatif).components() {
        match composant {
            Component::Normal(nom) => cible.push(nom),
            Component::CurDir => {}
            Component::ParentDir => {
                if !cible.pop() {
                    return false;
                }
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    let cible = sortie.join(cible);
    if cible.is_dir() {
        cible.join("index.html").is_file()
    } else {
        cible.is_file()
    }
}

/// Décode les séquences `%XX` d'un chemin ; une séquence invalide est gardée
/// telle quelle (le lien sera alors probablement signalé cassé).
fn decoder_pourcent(chemin: &str) -> String {
    let octets = chemin.as_bytes();
    let mut resultat = Vec::with_capacity(octets.len());
    let mut i = 0;
    while i < octets.len() {
        let hexa = octets
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (octets[i], hexa) {
            (b'%', Some(octet)) => {
                resultat.push(octet);
                i += 3;
            }
            (octet, _) => {
                resultat.push(octet);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&resultat).into_owned()
}
