//! Les éditions du livre.
//!
//! Un chapitre de TP se termine par deux blocs réservés, chacun entre ses
//! marques (seules sur leur ligne) :
//!
//! ```text
//! <!-- ENSEIGNANT -->
//! ## Pour l'enseignant : la séance
//! … notes de séance (déroulement, erreurs vues en salle) …
//! <!-- /ENSEIGNANT -->
//!
//! <!-- CORRIGE -->
//! ## Le corrigé
//! … corrigé inclus par ancre depuis solutions/ …
//! <!-- /CORRIGE -->
//! ```
//!
//! L'édition étudiante (celle qu'on publie pendant le semestre) retire les
//! deux ; l'édition « avec corrigés » (à publier en fin de semestre) retire
//! les notes de séance seulement ; celle de l'enseignant garde tout. Le
//! retrait se fait sur le texte des chapitres **avant** que mdBook ne
//! développe les inclusions (voir [`crate::Pretraitement`]) : un corrigé
//! retiré n'est jamais lu, ni dans les pages ni dans l'index de recherche.
//! L'export étudiant applique le même retrait aux fichiers `.md` eux-mêmes.

use std::fmt;

use anyhow::bail;

/// Marque d'ouverture des notes de séance (seule sur sa ligne).
pub const DEBUT_ENSEIGNANT: &str = "<!-- ENSEIGNANT -->";
/// Marque de fermeture des notes de séance.
pub const FIN_ENSEIGNANT: &str = "<!-- /ENSEIGNANT -->";
/// Marque d'ouverture d'un corrigé.
pub const DEBUT_CORRIGE: &str = "<!-- CORRIGE -->";
/// Marque de fermeture d'un corrigé.
pub const FIN_CORRIGE: &str = "<!-- /CORRIGE -->";

/// Les deux sortes de blocs réservés.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bloc {
    /// Notes de séance : pour l'enseignant seulement, jamais publiées.
    Notes,
    /// Corrigé : publié en fin de semestre (édition « avec corrigés »).
    Corrige,
}

impl Bloc {
    /// Toutes les sortes de blocs.
    pub const TOUS: [Bloc; 2] = [Bloc::Notes, Bloc::Corrige];

    /// Les marques d'ouverture et de fermeture du bloc.
    pub fn marques(self) -> (&'static str, &'static str) {
        match self {
            Bloc::Notes => (DEBUT_ENSEIGNANT, FIN_ENSEIGNANT),
            Bloc::Corrige => (DEBUT_CORRIGE, FIN_CORRIGE),
        }
    }
}

/// L'édition à construire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edition {
    /// Sans aucun bloc réservé : celle qu'on publie pendant le semestre.
    #[default]
    Etudiant,
    /// Avec les corrigés, sans les notes de séance : celle qu'on publie en
    /// fin de semestre.
    Corriges,
    /// Avec les notes de séance et les corrigés : ne se publie pas.
    Enseignant,
}

impl Edition {
    /// Vrai si l'édition montre les blocs de cette sorte.
    pub fn montre(self, bloc: Bloc) -> bool {
        match (self, bloc) {
            (Edition::Enseignant, _) | (Edition::Corriges, Bloc::Corrige) => true,
            (Edition::Etudiant, _) | (Edition::Corriges, Bloc::Notes) => false,
        }
    }

    /// Suffixe du dossier de sortie par défaut (`livre`, `livre-corriges`,
    /// `livre-enseignant`) : une édition ne peut pas écraser une autre.
    pub fn suffixe(self) -> &'static str {
        match self {
            Edition::Etudiant => "",
            Edition::Corriges => "-corriges",
            Edition::Enseignant => "-enseignant",
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Edition::Etudiant => "étudiante",
            Edition::Corriges => "avec corrigés",
            Edition::Enseignant => "enseignant",
        })
    }
}

/// Retire du texte d'un chapitre tous les blocs réservés, marques comprises :
/// l'édition étudiante.
pub fn retirer_blocs_enseignant(texte: &str) -> anyhow::Result<String> {
    retirer_blocs(texte, Edition::Etudiant)
}

/// Le texte d'un chapitre tel que le montre `edition` : les blocs qu'elle ne
/// montre pas disparaissent avec leurs marques ; ceux qu'elle montre perdent
/// seulement leurs marques. Une marque orpheline (ouverture sans fermeture,
/// fermeture sans ouverture, blocs imbriqués, marque qui n'est pas seule sur
/// sa ligne) est une erreur dans toutes les éditions : mieux vaut refuser de
/// construire que publier un corrigé par accident.
pub fn retirer_blocs(texte: &str, edition: Edition) -> anyhow::Result<String> {
    let mut resultat = String::with_capacity(texte.len());
    let mut ouvert: Option<(Bloc, usize)> = None;
    for (indice, ligne) in texte.split_inclusive('\n').enumerate() {
        let numero = indice + 1;
        let marque = ligne.trim();
        let ouverture = Bloc::TOUS.into_iter().find(|b| b.marques().0 == marque);
        let fermeture = Bloc::TOUS.into_iter().find(|b| b.marques().1 == marque);
        match (ouverture, fermeture, ouvert) {
            (Some(bloc), _, None) => ouvert = Some((bloc, numero)),
            (Some(_), _, Some((_, debut))) => {
                bail!("ligne {numero} : bloc réservé ouvert dans celui de la ligne {debut}")
            }
            (_, Some(bloc), Some((ouvert_bloc, _))) if bloc == ouvert_bloc => ouvert = None,
            (_, Some(bloc), _) => {
                let (debut, fin) = bloc.marques();
                bail!("ligne {numero} : « {fin} » sans « {debut} » avant")
            }
            (None, None, Some((bloc, _))) => {
                if edition.montre(bloc) {
                    verifier_sans_marque(ligne, numero)?;
                    resultat.push_str(ligne);
                }
            }
            (None, None, None) => {
                verifier_sans_marque(ligne, numero)?;
                resultat.push_str(ligne);
            }
        }
    }
    if let Some((bloc, debut)) = ouvert {
        let fin = bloc.marques().1;
        bail!("le bloc réservé ouvert ligne {debut} n'est jamais fermé (« {fin} »)");
    }
    Ok(resultat)
}

/// Une marque qui n'est pas seule sur sa ligne ne serait pas reconnue : on le
/// dit plutôt que de laisser passer le bloc.
fn verifier_sans_marque(ligne: &str, numero: usize) -> anyhow::Result<()> {
    let marques = Bloc::TOUS.into_iter().flat_map(|b| {
        let (debut, fin) = b.marques();
        [debut, fin]
    });
    for marque in marques {
        if ligne.contains(marque) {
            bail!("ligne {numero} : une marque de bloc réservé doit être seule sur sa ligne");
        }
    }
    Ok(())
}
