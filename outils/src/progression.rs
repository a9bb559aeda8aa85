//! La progression d'un étudiant : chaque TP de son espace de travail noté
//! étape par étape, résumé en un tableau (`cargo progression`).

use std::fmt::Write as _;
use std::path::Path;

use crate::notation::{Bornes, Correction, banc};
use crate::tps::{self, Tp};

/// Note chaque TP de l'espace de travail `racine` (ses squelettes remplis
/// par l'étudiant), en compilant dans `cible`. `suivi` est appelé avant
/// chaque TP (pour dire où on en est).
pub fn progression(
    racine: &Path,
    cible: &Path,
    mut suivi: impl FnMut(&Tp),
) -> anyhow::Result<Vec<(Tp, Correction)>> {
    let bornes = Bornes::default();
    let mut lignes = Vec::new();
    for tp in tps::decouvrir(racine, false)? {
        suivi(&tp);
        let correction = match banc::compiler(racine, &tp.paquet, cible, &bornes.compilation)? {
            Ok(executables) => banc::executer(&executables, &bornes)?,
            Err(erreurs) => Correction::impossible(0, format!("ne compile pas :\n{erreurs}")),
        };
        lignes.push((tp, correction));
    }
    Ok(lignes)
}

/// Le tableau : TP, étapes réussies / total, première étape ratée. Avec
/// `couleur`, les codes ANSI colorent vert ce qui est fini, rouge le reste.
pub fn tableau(lignes: &[(Tp, Correction)], couleur: bool) -> String {
    let peindre = |texte: String, code: &str| {
        if couleur {
            format!("\x1b[{code}m{texte}\x1b[0m")
        } else {
            texte
        }
    };
    let mut texte = format!(
        "{:<6} {:>9}  {}\n",
        "TP", "étapes", "première étape à reprendre"
    );
    for (tp, correction) in lignes {
        let score = if correction.total == 0 && correction.probleme.is_none() {
            "—".to_string()
        } else {
            format!("{}/{}", correction.reussies(), correction.total)
        };
        let (suite, code) = match (
            &correction.probleme,
            correction.etapes.iter().find(|e| !e.reussie),
        ) {
            (Some(probleme), _) if correction.etapes.is_empty() => {
                (probleme.lines().next().unwrap_or("").to_string(), "31")
            }
            (_, Some(etape)) => (etape.titre_ou_nom().to_string(), "31"),
            (_, None) if correction.total == 0 => ("pas encore d'étapes à corriger".into(), "2"),
            (_, None) => ("tout est juste".into(), "32"),
        };
        let _ = writeln!(
            texte,
            "{:<6} {:>9}  {}",
            tp.nom,
            score,
            peindre(suite, code)
        );
    }
    texte
}
