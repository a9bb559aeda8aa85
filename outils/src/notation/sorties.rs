//! Ce que produit la correction d'une classe : le carnet de notes (CSV), un
//! rapport Markdown par étudiant, un `results.json` Gradescope par copie.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::Context;
use serde_json::json;

use super::classe::Note;

/// Écrit les trois sorties dans `dossier` : `notes.csv`,
/// `rapports/ETUDIANT.md`, `gradescope/ETUDIANT/TP/results.json`.
pub fn ecrire(notes: &[Note], dossier: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(dossier)
        .with_context(|| format!("impossible de créer {}", dossier.display()))?;
    fs::write(dossier.join("notes.csv"), carnet_csv(notes)).context("écriture de notes.csv")?;
    let mut etudiants: Vec<&str> = notes.iter().map(|n| n.etudiant.as_str()).collect();
    etudiants.dedup();
    for etudiant in etudiants {
        let siennes: Vec<&Note> = notes.iter().filter(|n| n.etudiant == etudiant).collect();
        let chemin = dossier
            .join("rapports")
            .join(format!("{}.md", nom_de_fichier(etudiant)));
        ecrire_fichier(&chemin, &rapport(etudiant, &siennes))?;
        for note in siennes {
            let chemin = dossier
                .join("gradescope")
                .join(nom_de_fichier(etudiant))
                .join(&note.tp)
                .join("results.json");
            ecrire_fichier(&chemin, &serde_json::to_string_pretty(&gradescope(note))?)?;
        }
    }
    Ok(())
}

/// Le carnet : une ligne par étudiant et par TP.
pub fn carnet_csv(notes: &[Note]) -> String {
    let mut csv = String::from("etudiant,tp,reussies,total\n");
    for note in notes {
        let _ = writeln!(
            csv,
            "{},{},{},{}",
            champ_csv(&note.etudiant),
            note.tp,
            note.correction.reussies(),
            note.correction.total
        );
    }
    csv
}

/// Un champ CSV, entre guillemets s'il le faut.
fn champ_csv(texte: &str) -> String {
    if texte.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", texte.replace('"', "\"\""))
    } else {
        texte.to_string()
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
            } else {
                let _ = write!(
                    texte,
                    "- ✘ `{}`\n\n```text\n{}\n```\n\n",
                    etape.nom,
                    etape.diagnostic.trim_end()
                );
            }
        }
        if note.correction.etapes.is_empty() && note.correction.probleme.is_none() {
            texte.push_str("Aucune étape à corriger pour ce TP.\n");
        }
    }
    texte
}

/// Le `results.json` de Gradescope : un test par étape, un point chacun.
fn gradescope(note: &Note) -> serde_json::Value {
    let tests: Vec<_> = note
        .correction
        .etapes
        .iter()
        .map(|etape| {
            json!({
                "name": etape.nom,
                "score": if etape.reussie { 1 } else { 0 },
                "max_score": 1,
                "status": if etape.reussie { "passed" } else { "failed" },
                "output": etape.diagnostic,
            })
        })
        .collect();
    json!({
        "score": note.correction.reussies(),
        "max_score": note.correction.total,
        "output": note.correction.probleme.clone().unwrap_or_default(),
        "tests": tests,
    })
}

/// Un nom d'étudiant utilisable comme nom de fichier.
fn nom_de_fichier(nom: &str) -> String {
    nom.chars()
        .map(|c| {
            if c == '/' || c == '\0' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

fn ecrire_fichier(chemin: &Path, texte: &str) -> anyhow::Result<()> {
    if let Some(parent) = chemin.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(chemin, texte).with_context(|| format!("impossible d'écrire {}", chemin.display()))
}
