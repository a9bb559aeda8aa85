//! Les deux éditions du livre.
//!
//! Chaque chapitre de TP se termine par un bloc réservé à l'enseignant :
//!
//! ```text
//! <!-- ENSEIGNANT -->
//! ## Pour l'enseignant
//! … notes de séance, corrigé inclus par ancre …
//! <!-- /ENSEIGNANT -->
//! ```
//!
//! L'édition étudiante (celle par défaut) retire ces blocs du texte des
//! chapitres **avant** tout préprocesseur de mdBook : les `{{#include}}` du
//! corrigé ne sont donc jamais développés, et ni le HTML ni l'index de
//! recherche ne peuvent en contenir une ligne. L'export étudiant applique le
//! même retrait aux fichiers `.md` eux-mêmes.

use std::fmt;

use anyhow::bail;

/// Marque d'ouverture d'un bloc réservé à l'enseignant (seule sur sa ligne).
pub const DEBUT_ENSEIGNANT: &str = "<!-- ENSEIGNANT -->";
/// Marque de fermeture du bloc.
pub const FIN_ENSEIGNANT: &str = "<!-- /ENSEIGNANT -->";

/// L'édition à construire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edition {
    /// Sans les blocs de l'enseignant : celle qu'on publie.
    #[default]
    Etudiant,
    /// Avec les notes de séance et les corrigés.
    Enseignant,
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Edition::Etudiant => "étudiante",
            Edition::Enseignant => "enseignant",
        })
    }
}

/// Retire du texte d'un chapitre tous les blocs de l'enseignant, marques
/// comprises. Une marque orpheline (ouverture sans fermeture, fermeture
/// sans ouverture, blocs imbriqués) est une erreur : mieux vaut refuser de
/// construire que publier un corrigé par accident.
pub fn retirer_blocs_enseignant(texte: &str) -> anyhow::Result<String> {
    let mut resultat = String::with_capacity(texte.len());
    let mut ouvert_a: Option<usize> = None;
    for (indice, ligne) in texte.split_inclusive('\n').enumerate() {
        let numero = indice + 1;
        match (ligne.trim(), ouvert_a) {
            (DEBUT_ENSEIGNANT, None) => ouvert_a = Some(numero),
            (DEBUT_ENSEIGNANT, Some(debut)) => {
                bail!("ligne {numero} : bloc enseignant ouvert dans celui de la ligne {debut}")
            }
            (FIN_ENSEIGNANT, Some(_)) => ouvert_a = None,
            (FIN_ENSEIGNANT, None) => {
                bail!("ligne {numero} : « {FIN_ENSEIGNANT} » sans « {DEBUT_ENSEIGNANT} » avant")
            }
            (_, Some(_)) => {}
            (_, None) => {
                // Une marque qui n'est pas seule sur sa ligne ne serait pas
                // reconnue : on le dit plutôt que de laisser passer le bloc.
                if ligne.contains(DEBUT_ENSEIGNANT) || ligne.contains(FIN_ENSEIGNANT) {
                    bail!(
                        "ligne {numero} : une marque de bloc enseignant doit être seule sur sa ligne"
                    );
                }
                resultat.push_str(ligne);
            }
        }
    }
    if let Some(debut) = ouvert_a {
        bail!("le bloc enseignant ouvert ligne {debut} n'est jamais fermé (« {FIN_ENSEIGNANT} »)");
    }
    Ok(resultat)
}
