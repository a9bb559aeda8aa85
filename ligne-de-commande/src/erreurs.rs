//! Les erreurs d'utilisation en français. `clap` rédige les siennes en
//! anglais ; on n'en garde que la nature (`ErrorKind`) et le contexte
//! (l'option en cause, la valeur refusée, les valeurs possibles, la
//! suggestion…), et on rédige le message ici.

use std::error::Error as _;

use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::aide::TITRE_UTILISATION;

/// Le texte complet d'une erreur d'utilisation : le message, l'utilisation
/// de la commande visée et le renvoi à son aide.
pub(crate) fn rediger(message: &str, visee: &Command) -> String {
    let utilisation = visee.clone().render_usage().to_string();
    let utilisation = utilisation.strip_prefix("Usage: ").unwrap_or(&utilisation);
    let nom = visee.get_bin_name().unwrap_or(visee.get_name());
    format!(
        "erreur : {message}\n\n{TITRE_UTILISATION}{utilisation}\n\n\
         Pour en savoir plus : {nom} --help\n"
    )
}

/// Le message français d'une erreur de `clap` ; `visee` est la commande
/// que visaient les arguments.
pub(crate) fn traduire(erreur: &clap::Error, visee: &Command) -> String {
    let texte = |nature| texte(erreur, nature);
    let argument = texte(ContextKind::InvalidArg);
    let valeur = texte(ContextKind::InvalidValue);
    let mut message = match erreur.kind() {
        ErrorKind::InvalidValue if valeur.is_empty() => {
            format!("il manque une valeur après {argument}")
        }
        ErrorKind::InvalidValue => format!("valeur invalide pour {argument} : « {valeur} »"),
        ErrorKind::ValueValidation => match erreur.source() {
            Some(raison) => {
                format!("valeur invalide pour {argument} : « {valeur} » ({raison})")
            }
            None => format!("valeur invalide pour {argument} : « {valeur} »"),
        },
        ErrorKind::UnknownArgument if argument.starts_with('-') => {
            format!("option inconnue : {argument}")
        }
        ErrorKind::UnknownArgument => format!("argument inattendu : {argument}"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "commande inconnue : {}",
                texte(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::NoEquals => format!("{argument} attend sa valeur après un « = »"),
        ErrorKind::TooManyValues => {
            format!("valeur en trop pour {argument} : « {valeur} »")
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs inattendu pour {argument}")
        }
        ErrorKind::ArgumentConflict => {
            let autre = texte(ContextKind::PriorArg);
            match texte(ContextKind::InvalidSubcommand) {
                commande if commande.is_empty() && autre.is_empty() => {
                    format!("{argument} ne va pas avec les arguments déjà donnés")
                }
                commande if commande.is_empty() => format!("{argument} ne va pas avec {autre}"),
                // Un argument positionnel en trop, après ceux attendus,
                // passe pour une commande aux yeux de `clap`.
                commande if !est_une_commande(visee, &commande) => {
                    format!("argument inattendu : {commande}")
                }
                commande => format!(
                    "la commande {commande} ne va pas avec {autre} donné avant elle (les options \
                     d'une commande se donnent après son nom)"
                ),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            format!("il manque un argument obligatoire : {argument}")
        }
        ErrorKind::MissingSubcommand => "il manque la commande".to_string(),
        ErrorKind::InvalidUtf8 => "argument illisible : ce n'est pas de l'UTF-8 valide".into(),
        _ => "ligne de commande illisible".to_string(),
    };
    let possibles = texte(ContextKind::ValidValue);
    if !possibles.is_empty() {
        message.push_str(&format!(" ; valeurs possibles : {possibles}"));
    }
    let possibles = texte(ContextKind::ValidSubcommand);
    if !possibles.is_empty() {
        message.push_str(&format!(" ; commandes possibles : {possibles}"));
    }
    // La première sorte de suggestion présente : une option, une commande
    // ou une valeur proche de ce qui a été tapé.
    let suggestions = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(|nature| textes(erreur, nature))
    .find(|s| !s.is_empty());
    if let Some(suggestions) = suggestions {
        let suggestions: Vec<String> = suggestions.iter().map(|s| format!("« {s} »")).collect();
        message.push_str(&format!(
            " (vouliez-vous dire {} ?)",
            suggestions.join(" ou ")
        ));
    }
    message
}

/// Vrai si `nom` désigne la commande visée (nom ou alias) ou l'une de ses
/// sous-commandes.
fn est_une_commande(visee: &Command, nom: &str) -> bool {
    visee.get_name() == nom
        || visee.get_all_aliases().any(|alias| alias == nom)
        || visee.find_subcommand(nom).is_some()
}

/// Un élément du contexte de l'erreur, mis en texte (vide s'il manque).
fn texte(erreur: &clap::Error, nature: ContextKind) -> String {
    textes(erreur, nature).join(", ")
}

/// Un élément du contexte de l'erreur, valeur par valeur.
fn textes(erreur: &clap::Error, nature: ContextKind) -> Vec<String> {
    match erreur.get(nature) {
        Some(ContextValue::String(texte)) => vec![texte.clone()],
        Some(ContextValue::Strings(textes)) => textes.clone(),
        Some(ContextValue::StyledStr(texte)) => vec![texte.to_string()],
        Some(ContextValue::Number(nombre)) => vec![nombre.to_string()],
        _ => Vec::new(),
    }
}
