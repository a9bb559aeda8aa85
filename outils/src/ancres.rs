//! Vérification des ancres des inclusions `{{#include fichier:ancre}}`.
//!
//! mdBook signale une inclusion dont le fichier manque, mais si le fichier
//! existe sans l'ancre demandée, il insère un texte vide sans rien dire. Or le
//! livre cite les corrigés par ancres : une ancre renommée dans le code ferait
//! disparaître un extrait sans bruit. On émet donc une erreur `tracing`, que le
//! journal de construction compte comme les autres.

use std::path::Path;

use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;

/// Directives d'inclusion qui acceptent une ancre.
const DIRECTIVES: [&str; 2] = ["{{#include", "{{#rustdoc_include"];

/// Émet une erreur pour chaque inclusion dont l'ancre est introuvable dans le
/// fichier inclus (les fichiers illisibles sont laissés à mdBook, qui les
/// signale lui-même).
pub(crate) fn verifier(livre: &MDBook) {
    let sources = livre.source_dir();
    for element in livre.iter() {
        let BookItem::Chapter(chapitre) = element else {
            continue;
        };
        let Some(chemin) = &chapitre.path else {
            continue;
        };
        // Les chemins des inclusions sont relatifs au dossier du chapitre.
        let dossier = sources.join(chemin).parent().map(Path::to_path_buf);
        let Some(dossier) = dossier else {
            continue;
        };
        for (fichier, ancre) in inclusions_avec_ancre(&chapitre.content) {
            let Ok(texte) = std::fs::read_to_string(dossier.join(fichier)) else {
                continue;
            };
            if !contient_ancre(&texte, ancre) {
                tracing::error!(
                    "ancre « {ancre} » introuvable dans {fichier} (inclus par {})",
                    chemin.display()
                );
            }
        }
    }
}

/// Les couples (fichier, ancre) des inclusions d'un chapitre qui citent une ancre.
fn inclusions_avec_ancre(texte: &str) -> Vec<(&str, &str)> {
    inclusions(texte)
        .into_iter()
        .filter_map(|(fichier, ancre)| ancre.map(|a| (fichier, a)))
        .collect()
}

/// Les inclusions d'un chapitre : le fichier (relatif au dossier du
/// chapitre) et l'ancre s'il y en a une. Une inclusion précédée d'une barre
/// oblique inverse est échappée : mdBook l'affiche telle quelle au lieu de
/// l'exécuter.
pub(crate) fn inclusions(texte: &str) -> Vec<(&str, Option<&str>)> {
    let mut trouvees = Vec::new();
    for directive in DIRECTIVES {
        for (debut, _) in texte.match_indices(directive) {
            if texte[..debut].ends_with('\\') {
                continue;
            }
            let reste = &texte[debut + directive.len()..];
            // `{{#include` doit être suivi d'un blanc (et non de `_…`).
            if !reste.starts_with(char::is_whitespace) {
                continue;
            }
            let Some(fin) = reste.find("}}") else {
                continue;
            };
            let argument = reste[..fin].split_whitespace().next().unwrap_or("");
            let (fichier, suite) = argument.split_once(':').unwrap_or((argument, ""));
            // Même règle que mdBook : si la partie après `:` ne commence
            // pas par un numéro de ligne (ni n'est vide), c'est une ancre.
            let premier = suite.split(':').next().unwrap_or("");
            let ancre =
                (!premier.is_empty() && premier.parse::<usize>().is_err()).then_some(premier);
            trouvees.push((fichier, ancre));
        }
    }
    trouvees
}

/// Vrai si une ligne du texte ouvre l'ancre `ancre` (`ANCHOR: ancre`).
fn contient_ancre(texte: &str, ancre: &str) -> bool {
    texte.lines().any(|ligne| {
        let Some(position) = ligne.find("ANCHOR:") else {
            return false;
        };
        let nom: String = ligne[position + "ANCHOR:".len()..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        nom == ancre
    })
}
