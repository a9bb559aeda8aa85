//! Les règles d'un TP, lues là où elles sont écrites :
//! - dans le chapitre (`src/tpNN-*.md`), la section « Les règles » :
//!   ```text
//!   - **R3** · Le serveur envoie la bienvenue avant toute lecture. — *étapes* `serveur_2_bienvenue`
//!   - **R9** · Le vote est sur disque avant le reçu. — *non vérifiable* : la boucle locale ne perd rien.
//!   ```
//!   (un élément peut continuer sur les lignes suivantes, indentées) ;
//! - dans le catalogue, la première ligne de chaque programme :
//!   `//! Règle enfreinte : R3 — …`, `//! Variante correcte : …` ou
//!   `//! Pas une erreur : …` (un étudiant à mi-parcours).
//!
//! `tests/regles.rs` tient les trois ensemble ; la macro `solution_fausse!`
//! s'en sert pour exiger que le diagnostic nomme la règle enfreinte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Une règle du chapitre.
#[derive(Debug, Clone)]
pub struct Regle {
    /// « R3 ».
    pub id: String,
    /// Le texte de la règle (sans l'identifiant ni la vérification).
    pub texte: String,
    /// Les étapes du correcteur qui la vérifient ; vide si elle ne l'est pas.
    pub etapes: Vec<String>,
    /// Pourquoi aucune étape ne peut la vérifier (`None` si elle l'est).
    pub non_verifiable: Option<String>,
}

/// Ce qu'un programme du catalogue déclare être.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nature {
    /// Il enfreint cette règle-là, et elle seule.
    Enfreint(String),
    /// Il suit toutes les règles, autrement que le corrigé.
    Correct,
    /// Un étudiant à mi-parcours (pas une erreur).
    MiParcours,
}

/// Un programme du catalogue : son binaire, son source, sa nature.
#[derive(Debug, Clone)]
pub struct Programme {
    pub binaire: String,
    pub source: PathBuf,
    pub nature: Result<Nature, String>,
}

/// La racine de l'espace de travail.
pub fn racine() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Le chapitre d'un TP (« tp09 » → `src/tp09-client-serveur-tcp.md`).
pub fn chapitre(tp: &str) -> PathBuf {
    let prefixe = format!("{tp}-");
    let mut trouves: Vec<PathBuf> = std::fs::read_dir(racine().join("src"))
        .expect("src/ illisible")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefixe) && n.ends_with(".md"))
        })
        .collect();
    assert_eq!(
        trouves.len(),
        1,
        "un seul chapitre {prefixe}*.md attendu : {trouves:?}"
    );
    trouves.remove(0)
}

/// Les règles du chapitre d'un TP, dans l'ordre, ou ce qui ne va pas.
pub fn du_chapitre(tp: &str) -> Result<Vec<Regle>, String> {
    let chemin = chapitre(tp);
    let texte = std::fs::read_to_string(&chemin).map_err(|e| e.to_string())?;
    lire_regles(&texte).map_err(|e| format!("{} : {e}", chemin.display()))
}

/// Lit la section « ## Les règles » d'un chapitre.
pub fn lire_regles(chapitre: &str) -> Result<Vec<Regle>, String> {
    let mut lignes = chapitre.lines().skip_while(|l| l.trim() != "## Les règles");
    if lignes.next().is_none() {
        return Err("pas de section « ## Les règles »".into());
    }
    // Les éléments de liste, continuations (lignes indentées) comprises.
    let mut elements: Vec<String> = Vec::new();
    for ligne in lignes.take_while(|l| !l.starts_with("## ")) {
        if ligne.starts_with("- **R") {
            elements.push(ligne.to_string());
        } else if let (Some(dernier), true) = (elements.last_mut(), ligne.starts_with("  ")) {
            dernier.push(' ');
            dernier.push_str(ligne.trim());
        }
    }
    let mut regles = Vec::new();
    for element in elements {
        let reste = element.strip_prefix("- **").unwrap_or_default();
        let (id, reste) = reste
            .split_once("** · ")
            .ok_or_else(|| format!("élément mal formé (« - **Rn** · … » attendu) : {element}"))?;
        if !id.starts_with('R') || id[1..].parse::<u32>().is_err() {
            return Err(format!("identifiant de règle invalide : {id}"));
        }
        let (texte, verification) = reste
            .rsplit_once(" — *")
            .ok_or_else(|| format!("{id} : ni « — *étapes* … » ni « — *non vérifiable* : … »"))?;
        let mut regle = Regle {
            id: id.to_string(),
            texte: texte.trim().to_string(),
            etapes: Vec::new(),
            non_verifiable: None,
        };
        if let Some(raison) = verification.strip_prefix("non vérifiable* :") {
            let raison = raison.trim();
            if raison.is_empty() {
                return Err(format!("{id} : non vérifiable, mais sans raison"));
            }
            regle.non_verifiable = Some(raison.to_string());
        } else if let Some(etapes) = verification
            .strip_prefix("étapes*")
            .or_else(|| verification.strip_prefix("étape*"))
        {
            regle.etapes = etapes
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            if regle.etapes.is_empty() {
                return Err(format!(
                    "{id} : « *étapes* » sans étape entre accents graves"
                ));
            }
        } else {
            return Err(format!(
                "{id} : vérification illisible : « *{verification} »"
            ));
        }
        regles.push(regle);
    }
    if regles.is_empty() {
        return Err("la section « Les règles » ne contient aucune règle".into());
    }
    for (i, regle) in regles.iter().enumerate() {
        if regle.id != format!("R{}", i + 1) {
            return Err(format!(
                "les règles sont numérotées R1, R2… dans l'ordre : {} à la place de R{}",
                regle.id,
                i + 1
            ));
        }
    }
    Ok(regles)
}

/// Les programmes du catalogue d'un TP (binaires `tpNN-…`), d'après
/// `catalogue/Cargo.toml`.
pub fn du_catalogue(tp: &str) -> Vec<Programme> {
    let manifeste = std::fs::read_to_string(racine().join("catalogue/Cargo.toml"))
        .expect("catalogue/Cargo.toml illisible");
    let mut binaires: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut nom: Option<String> = None;
    for ligne in manifeste.lines() {
        let valeur = |cle: &str| {
            ligne
                .strip_prefix(cle)
                .and_then(|r| r.trim().strip_prefix('='))
                .map(|v| v.trim().trim_matches('"').to_string())
        };
        if let Some(n) = valeur("name") {
            nom = Some(n);
        } else if let (Some(chemin), Some(n)) = (valeur("path"), nom.take()) {
            binaires.insert(n, racine().join("catalogue").join(chemin));
        }
    }
    let prefixe = format!("{tp}-");
    binaires
        .into_iter()
        .filter(|(n, _)| n.starts_with(&prefixe))
        .map(|(binaire, source)| {
            let nature = nature(&source);
            Programme {
                binaire,
                source,
                nature,
            }
        })
        .collect()
}

/// La nature d'un programme du catalogue, lue sur sa première ligne.
fn nature(source: &Path) -> Result<Nature, String> {
    let texte = std::fs::read_to_string(source).map_err(|e| e.to_string())?;
    let premiere = texte.lines().next().unwrap_or_default();
    if let Some(reste) = premiere.strip_prefix("//! Règle enfreinte : ") {
        let id = reste.split([' ', ',', '.']).next().unwrap_or_default();
        return Ok(Nature::Enfreint(id.to_string()));
    }
    if premiere.starts_with("//! Variante correcte : ") {
        return Ok(Nature::Correct);
    }
    if premiere.starts_with("//! Pas une erreur : ") {
        return Ok(Nature::MiParcours);
    }
    Err(format!(
        "{} : la première ligne doit être « //! Règle enfreinte : Rn — … », \
         « //! Variante correcte : … » ou « //! Pas une erreur : … », pas « {premiere} »",
        source.display()
    ))
}

/// La règle qu'enfreint un binaire du catalogue (`tp09-port-en-dur` → R2).
pub fn regle_enfreinte(binaire: &str) -> String {
    let tp = binaire.split('-').next().unwrap_or_default();
    let programme = du_catalogue(tp)
        .into_iter()
        .find(|p| p.binaire == binaire)
        .unwrap_or_else(|| panic!("{binaire} n'est pas dans catalogue/Cargo.toml"));
    match programme.nature {
        Ok(Nature::Enfreint(id)) => id,
        autre => panic!("{binaire} ne déclare pas de règle enfreinte : {autre:?}"),
    }
}

/// Le nom d'une étape à partir de son chemin (`tp09::serveur_2_bienvenue`).
pub fn nom_d_etape(chemin: &str) -> &str {
    chemin.rsplit("::").next().unwrap_or(chemin).trim()
}
