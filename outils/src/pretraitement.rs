//! Le préprocesseur mdBook du livre : `[preprocessor.livre]` dans `book.toml`.
//!
//! Il retire les blocs de l'enseignant des chapitres avant que mdBook ne
//! développe les inclusions (`before = ["links"]`), si bien que ni les pages,
//! ni la page d'impression, ni l'index de recherche ne contiennent un
//! corrigé, **quel que soit l'outil qui construit le livre** :
//!
//! - `cargo livre` remplace la commande déclarée par ce même préprocesseur,
//!   exécuté dans son propre processus, réglé sur l'édition demandée ;
//! - un simple `mdbook build` ou `mdbook serve` lance la commande déclarée
//!   (`cargo run -p outils --bin livre -- pretraiter`), qui produit toujours
//!   l'édition étudiante. Si la commande est introuvable ou échoue (outil qui
//!   ne compile pas, cargo absent), mdBook arrête la construction : la table
//!   ne dit pas `optional = true`, et elle nomme ses moteurs de rendu
//!   (`renderers`) pour que mdBook ne lui pose pas la question
//!   `supports html`, dont il prendrait un échec pour un « non » et sauterait
//!   le préprocesseur sans rien dire.

use std::io::{Read, Write};

use anyhow::{Context, bail};
use mdbook_driver::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::edition::{Edition, retirer_blocs};

/// Nom du préprocesseur : la table `[preprocessor.livre]` du `book.toml`.
pub const NOM_PRETRAITEMENT: &str = "livre";

/// Le préprocesseur du livre, réglé sur une édition.
#[derive(Debug, Clone, Copy)]
pub struct Pretraitement {
    edition: Edition,
}

impl Pretraitement {
    /// Le préprocesseur qui produit `edition`.
    pub fn new(edition: Edition) -> Self {
        Self { edition }
    }

    /// Applique le préprocesseur au texte de chaque chapitre. Une erreur
    /// nomme le fichier du chapitre.
    pub fn traiter(&self, mut livre: Book) -> anyhow::Result<Book> {
        let mut erreur = None;
        livre.for_each_chapter_mut(|chapitre| {
            if erreur.is_some() {
                return;
            }
            match retirer_blocs(&chapitre.content, self.edition) {
                Ok(texte) => chapitre.content = texte,
                Err(e) => {
                    let nom = chapitre
                        .source_path
                        .as_deref()
                        .map_or_else(|| chapitre.name.clone(), |p| p.display().to_string());
                    erreur = Some(e.context(nom));
                }
            }
        });
        match erreur {
            Some(e) => Err(e.context("bloc de l'enseignant mal formé")),
            None => Ok(livre),
        }
    }
}

impl Preprocessor for Pretraitement {
    fn name(&self) -> &str {
        NOM_PRETRAITEMENT
    }

    fn run(&self, _contexte: &PreprocessorContext, livre: Book) -> anyhow::Result<Book> {
        self.traiter(livre)
    }

    /// Tous les moteurs de rendu : un corrigé ne doit paraître dans aucune
    /// sortie de l'édition étudiante.
    fn supports_renderer(&self, _moteur: &str) -> anyhow::Result<bool> {
        Ok(true)
    }
}

/// Le protocole des préprocesseurs de mdBook, côté commande : lit sur
/// `entree` le couple JSON (contexte, livre) qu'envoie mdBook, écrit sur
/// `sortie` le livre transformé par `traitement` (pour `livre pretraiter`,
/// le retrait des blocs réservés de l'édition étudiante).
pub fn pretraiter_flux(
    entree: impl Read,
    mut sortie: impl Write,
    traitement: &dyn Fn(Book) -> anyhow::Result<Book>,
) -> anyhow::Result<()> {
    let mut brut = Vec::new();
    let mut entree = entree;
    entree
        .read_to_end(&mut brut)
        .context("impossible de lire ce qu'envoie mdBook sur l'entrée standard")?;
    if brut.iter().all(u8::is_ascii_whitespace) {
        bail!(
            "rien reçu sur l'entrée standard : cette commande est lancée par mdBook \
             (`mdbook build`), pas à la main"
        );
    }
    let (contexte, livre) =
        mdbook_preprocessor::parse_input(brut.as_slice()).with_context(|| {
            format!(
                "ce que mdBook a envoyé est illisible : le livre demande mdBook {}",
                mdbook_preprocessor::MDBOOK_VERSION
            )
        })?;
    if !meme_version_mineure(
        &contexte.mdbook_version,
        mdbook_preprocessor::MDBOOK_VERSION,
    ) {
        bail!(
            "mdbook {} lance ce préprocesseur, écrit pour mdBook {} : installez cette \
             version-là (cargo install mdbook --version {}) ou construisez avec `cargo livre`",
            contexte.mdbook_version,
            mdbook_preprocessor::MDBOOK_VERSION,
            mdbook_preprocessor::MDBOOK_VERSION
        );
    }
    let livre = traitement(livre)?;
    serde_json::to_writer(&mut sortie, &livre)
        .context("impossible de renvoyer le livre à mdBook")?;
    sortie
        .flush()
        .context("impossible de renvoyer le livre à mdBook")
}

/// Deux versions `a.b.c` de même `a.b` (le format échangé change entre
/// versions mineures tant que mdBook est en 0.x).
fn meme_version_mineure(a: &str, b: &str) -> bool {
    a.split('.').take(2).eq(b.split('.').take(2))
}
