//! Ce que produit la correction d'une classe : le résultat de chaque copie
//! dès qu'il est connu (`resultats/ID/TP.json`, relu pour reprendre une
//! correction interrompue), le carnet de notes (`notes.csv`), un rapport
//! Markdown par étudiant, un `results.json` Gradescope par copie. Chaque
//! fichier est écrit à part puis renommé : jamais à moitié écrit.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::json;

use super::banc::{Correction, Etape};
use super::classe::Note;

/// Les notes connues, par (identifiant, TP).
pub type Carnet = BTreeMap<(String, String), Note>;

/// Le fichier de résultat d'une copie.
fn chemin_resultat(dossier: &Path, identifiant: &str, tp: &str) -> PathBuf {
    dossier
        .join("resultats")
        .join(identifiant)
        .join(format!("{tp}.json"))
}

/// Écrit le résultat d'une copie et son `results.json` Gradescope (`noms` :
/// les étapes du TP, pour une copie dont aucune n'a pu être lancée).
pub fn ecrire_copie(note: &Note, noms: &[&str], dossier: &Path) -> anyhow::Result<()> {
    let resultat = json!({
        "etudiant": note.etudiant,
        "identifiant": note.identifiant,
        "tp": note.tp,
        "total": note.correction.total,
        "probleme": note.correction.probleme,
        "etapes": note.correction.etapes.iter().map(|e| json!({
            "nom": e.nom, "reussie": e.reussie, "non_verifiable": e.non_verifiable,
            "diagnostic": e.diagnostic,
        })).collect::<Vec<_>>(),
    });
    ecrire_atomique(
        &chemin_resultat(dossier, &note.identifiant, &note.tp),
        &serde_json::to_string_pretty(&resultat)?,
    )?;
    let chemin = dossier
        .join("gradescope")
        .join(&note.identifiant)
        .join(&note.tp)
        .join("results.json");
    ecrire_atomique(
        &chemin,
        &serde_json::to_string_pretty(&gradescope(note, noms))?,
    )
}

/// Le résultat déjà écrit d'une copie, s'il est là et lisible.
pub fn lire_copie(dossier: &Path, identifiant: &str, tp: &str) -> Option<Note> {
    let texte = fs::read_to_string(chemin_resultat(dossier, identifiant, tp)).ok()?;
    let v: serde_json::Value = serde_json::from_str(&texte).ok()?;
    let etapes = v["etapes"]
        .as_array()?
        .iter()
        .map(|e| {
            Some(Etape {
                nom: e["nom"].as_str()?.to_string(),
                reussie: e["reussie"].as_bool()?,
                non_verifiable: e["non_verifiable"].as_bool().unwrap_or(false),
                diagnostic: e["diagnostic"].as_str()?.to_string(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Note {
        etudiant: v["etudiant"].as_str()?.to_string(),
        identifiant: identifiant.to_string(),
        tp: tp.to_string(),
        correction: Correction {
            etapes,
            total: usize::try_from(v["total"].as_u64()?).ok()?,
            probleme: v["probleme"].as_str().map(str::to_string),
        },
    })
}

/// Tous les résultats déjà écrits dans `dossier`.
pub fn lire_tout(dossier: &Path) -> Carnet {
    let mut carnet = Carnet::new();
    let Ok(etudiants) = fs::read_dir(dossier.join("resultats")) else {
        return carnet;
    };
    for etudiant in etudiants.flatten() {
        let identifiant = etudiant.file_name().to_string_lossy().into_owned();
        let Ok(fichiers) = fs::read_dir(etudiant.path()) else {
            continue;
        };
        for fichier in fichiers.flatten() {
            let nom = fichier.file_name().to_string_lossy().into_owned();
            if let Some(tp) = nom.strip_suffix(".json")
                && let Some(note) = lire_copie(dossier, &identifiant, tp)
            {
                carnet.insert((identifiant.clone(), tp.to_string()), note);
            }
        }
    }
    carnet
}

/// Réécrit `notes.csv` et le rapport de l'étudiant `identifiant` (tous les
/// rapports si `None`) à partir du carnet.
pub fn ecrire_bilan(
    carnet: &Carnet,
    dossier: &Path,
    identifiant: Option<&str>,
) -> anyhow::Result<()> {
    let notes: Vec<&Note> = carnet.values().collect();
    ecrire_atomique(&dossier.join("notes.csv"), &carnet_csv(&notes))?;
    let mut ids: Vec<&str> = notes.iter().map(|n| n.identifiant.as_str()).collect();
    ids.dedup();
    for id in ids {
        if identifiant.is_some_and(|i| i != id) {
            continue;
        }
        let siennes: Vec<&Note> = notes
            .iter()
            .copied()
            .filter(|n| n.identifiant == id)
            .collect();
        let chemin = dossier.join("rapports").join(format!("{id}.md"));
        ecrire_atomique(&chemin, &rapport(&siennes[0].etudiant, &siennes))?;
    }
    Ok(())
}

/// Le carnet : une ligne par étudiant et par TP.
pub fn carnet_csv(notes: &[&Note]) -> String {
    let mut csv = String::from("identifiant,etudiant,tp,reussies,total\n");
    for note in notes {
        let _ = writeln!(
            csv,
            "{},{},{},{},{}",
            champ_csv(&note.identifiant),
            champ_csv(&note.etudiant),
            champ_csv(&note.tp),
            note.correction.reussies(),
            note.correction.total
        );
    }
    csv
}

/// Un champ CSV : neutralisé s'il commence comme une formule de tableur
/// (`=`, `+`, `-`, `@`, tabulation, retour chariot : précédé d'une
/// apostrophe), entre guillemets s'il le faut.
fn champ_csv(texte: &str) -> String {
    let texte = if texte.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{texte}")
    } else {
        texte.to_string()
    };
    if texte.contains([',', '"', '\n', '\r', '\'']) {
        format!("\"{}\"", texte.replace('"', "\"\""))
    } else {
        texte
    }
}

/// Le rapport d'un étudiant : un résumé par TP, puis chaque diagnostic.
fn rapport(etudiant: &str, notes: &[&Note]) -> String {
    let mut texte = format!("# Correction — {etudiant}\n\n| TP | étapes réussies |\n|---|---|\n");
    for note in notes {
        let _ = writeln!(
            texte,
            "| {} | {} / {} |",
            note.tp,
            note.correction.reussies(),
            note.correction.total
        );
    }
    for note in notes {
        let _ = write!(texte, "\n## {}\n\n", note.tp);
        if let Some(probleme) = &note.correction.probleme {
            let (premiere, suite) = probleme.split_once('\n').unwrap_or((probleme, ""));
            let _ = write!(texte, "**{premiere}**\n\n");
            if !suite.trim().is_empty() {
                let _ = write!(texte, "```text\n{}\n```\n\n", suite.trim_end());
            }
        }
        for etape in &note.correction.etapes {
            if etape.reussie {
                let _ = writeln!(texte, "- ✔ `{}`", etape.nom);
            } else if etape.non_verifiable {
                let _ = writeln!(texte, "- – `{}` : {}", etape.nom, etape.diagnostic);
            } else {
                let _ = write!(
                    texte,
                    "- ✘ `{}`\n\n```text\n{}\n```\n\n",
                    etape.nom,
                    etape.diagnostic.trim_end()
                );
                // Le même échange, dessiné (le Markdown admet le HTML).
                if let Some(diagramme) = super::diagramme::html(&etape.diagnostic) {
                    let _ = write!(
                        texte,
                        "<details><summary>L'échange, en diagramme</summary>\n\n{diagramme}\n</details>\n\n"
                    );
                }
            }
        }
        if note.correction.etapes.is_empty() && note.correction.probleme.is_none() {
            texte.push_str("Aucune étape à corriger pour ce TP.\n");
        }
    }
    texte
}

/// Le `results.json` de Gradescope : un test par étape, un point chacun ;
/// si aucune n'a pu être lancée (ne compile pas, refusée…), chacune est
/// ratée avec la raison.
fn gradescope(note: &Note, noms: &[&str]) -> serde_json::Value {
    // Un diagnostic avec son échange s'affiche en HTML : le texte, puis le
    // diagramme de séquence ; sinon en texte.
    let test = |nom: &str, reussie: bool, diagnostic: &str| {
        let (sortie, format) = match super::diagramme::diagnostic_html(diagnostic) {
            Some(html) => (html, "html"),
            None => (diagnostic.to_string(), "text"),
        };
        json!({
            "name": nom,
            "score": if reussie { 1 } else { 0 },
            "max_score": 1,
            "status": if reussie { "passed" } else { "failed" },
            "output": sortie,
            "output_format": format,
            "visibility": "visible",
        })
    };
    let tests: Vec<_> = if note.correction.etapes.is_empty() {
        let raison = note.correction.probleme.as_deref().unwrap_or("");
        noms.iter().map(|nom| test(nom, false, raison)).collect()
    } else {
        note.correction
            .etapes
            .iter()
            .map(|e| test(&e.nom, e.reussie, &e.diagnostic))
            .collect()
    };
    json!({
        "score": note.correction.reussies(),
        "max_score": note.correction.total,
        "output": note.correction.probleme.clone().unwrap_or_default(),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    })
}

/// Écrit `texte` dans un fichier voisin, puis le renomme en `chemin` : un
/// arrêt brutal laisse l'ancien fichier ou le nouveau, jamais un morceau.
pub fn ecrire_atomique(chemin: &Path, texte: &str) -> anyhow::Result<()> {
    let parent = chemin.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)
        .with_context(|| format!("impossible de créer {}", parent.display()))?;
    let mut provisoire = tempfile::NamedTempFile::new_in(parent)
        .with_context(|| format!("impossible d'écrire dans {}", parent.display()))?;
    std::io::Write::write_all(&mut provisoire, texte.as_bytes())
        .with_context(|| format!("impossible d'écrire {}", chemin.display()))?;
    provisoire
        .persist(chemin)
        .with_context(|| format!("impossible d'écrire {}", chemin.display()))?;
    Ok(())
}
