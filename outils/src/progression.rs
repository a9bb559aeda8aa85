//! La progression d'un étudiant : chaque TP de son espace de travail noté
//! étape par étape, résumé en un tableau (`cargo progression`), avec le
//! temps passé que le mode suivi (`cargo suivre`) a mesuré.

use std::fmt::Write as _;
use std::path::Path;

use crate::notation::{Bornes, Correction, banc};
use crate::suivi::etat::Etat;
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
    tableau_avec_suivi(lignes, couleur, None)
}

/// Garde dans l'état du mode suivi le résultat de chaque TP (étapes
/// réussies, prochaine étape), pour que `cargo suivre` parte du premier TP
/// qui n'est pas fini et montre le cours d'un coup d'œil.
pub fn noter_dans_le_suivi(racine: &Path, lignes: &[(Tp, Correction)], etat: &mut Etat) {
    for (tp, correction) in lignes {
        let empreinte = crate::suivi::passe::empreinte(racine, tp);
        let suivi = etat.tp(&tp.nom);
        suivi.reussies = correction.reussies();
        suivi.total = correction.total;
        suivi.prochaine = correction.a_reprendre().map(|e| e.nom.clone());
        suivi.complet = correction.complete();
        suivi.empreinte = empreinte;
    }
}

/// Le tableau, avec le temps passé sur chaque TP quand le mode suivi l'a
/// mesuré (`etat`).
pub fn tableau_avec_suivi(
    lignes: &[(Tp, Correction)],
    couleur: bool,
    etat: Option<&Etat>,
) -> String {
    let peindre = |texte: String, code: &str| {
        if couleur {
            format!("\x1b[{code}m{texte}\x1b[0m")
        } else {
            texte
        }
    };
    let mut texte = format!(
        "{:<6} {:>9} {:>8}  {}\n",
        "TP", "étapes", "temps", "première étape à reprendre"
    );
    for (tp, correction) in lignes {
        let score = if correction.total == 0 && correction.probleme.is_none() {
            "—".to_string()
        } else {
            format!("{}/{}", correction.reussies(), correction.total)
        };
        let (suite, code) = match (&correction.probleme, correction.a_reprendre()) {
            (Some(probleme), _) if correction.etapes.is_empty() => {
                (probleme.lines().next().unwrap_or("").to_string(), "31")
            }
            (_, Some(etape)) => (etape.titre_ou_nom().to_string(), "31"),
            (_, None) if correction.total == 0 => ("pas encore d'étapes à corriger".into(), "2"),
            (_, None) => match correction.non_verifiables() {
                0 => ("tout est juste".into(), "32"),
                n => (
                    format!(
                        "tout est juste ; {n} étape{} non vérifiable{} sur cette machine",
                        if n > 1 { "s" } else { "" },
                        if n > 1 { "s" } else { "" }
                    ),
                    "32",
                ),
            },
        };
        let temps = etat
            .and_then(|e| e.tps.get(&tp.nom))
            .and_then(|e| e.temps_passe())
            .unwrap_or_else(|| "—".into());
        let _ = writeln!(
            texte,
            "{:<6} {:>9} {:>8}  {}",
            tp.nom,
            score,
            temps,
            peindre(suite, code)
        );
    }
    texte
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notation::Etape;

    #[test]
    fn le_tableau_montre_le_temps_passe_mesure_par_le_mode_suivi() {
        let tp = |nom: &str| Tp {
            nom: nom.into(),
            paquet: nom.into(),
            dossier: nom.into(),
        };
        let etape = |nom: &str, reussie| Etape {
            nom: nom.into(),
            reussie,
            non_verifiable: false,
            diagnostic: String::new(),
        };
        let lignes = vec![
            (
                tp("tp08"),
                Correction {
                    etapes: vec![etape("serveur_1", true)],
                    total: 1,
                    probleme: None,
                },
            ),
            (
                tp("tp09"),
                Correction {
                    etapes: vec![
                        etape("serveur_1_ecoute", true),
                        etape("serveur_2_bienvenue", false),
                    ],
                    total: 2,
                    probleme: None,
                },
            ),
        ];
        let dossier = tempfile::tempdir().unwrap();
        let mut etat = Etat::lire(Etat::chemin_dans(dossier.path()));
        for minute in [0, 5, 10, 15, 20] {
            etat.tp("tp09").compter_correction(1000 + minute * 60);
        }
        noter_dans_le_suivi(dossier.path(), &lignes, &mut etat);
        assert!(etat.tps["tp08"].complet);
        assert_eq!(
            etat.tps["tp09"].prochaine.as_deref(),
            Some("serveur_2_bienvenue")
        );
        let texte = tableau_avec_suivi(&lignes, false, Some(&etat));
        assert!(
            texte.contains("tp08         1/1        —  tout est juste"),
            "{texte}"
        );
        assert!(
            texte.contains("tp09         1/2   20 min  serveur_2_bienvenue"),
            "{texte}"
        );
    }
}
