//! L'aide en français : titres des sections, drapeaux d'aide et de version,
//! valeurs par défaut et valeurs possibles. Les mots anglais de `clap`
//! (« Usage: », « Options: », « Print help », « [default: …] ») ne
//! paraissent jamais : chaque commande reçoit son propre modèle d'aide.

use clap::{Arg, ArgAction, Command};

/// L'espace insécable : `clap` ne coupe jamais une ligne d'aide à cet
/// endroit (« [par défaut : 3000] » reste d'un seul tenant, et aucune
/// ligne ne commence par un deux-points).
const INSECABLE: char = '\u{a0}';

/// Le titre de l'utilisation, dans l'aide et sous les erreurs.
pub(crate) const TITRE_UTILISATION: &str = "Utilisation : ";

/// Francise une commande et ses sous-commandes, puis la construit (ce qui
/// donne à chaque sous-commande son nom complet : `cargo livre servir`).
pub(crate) fn franciser(commande: Command) -> Command {
    let mut commande = preparer(commande, true);
    commande.build();
    finir(&mut commande);
    commande
}

/// Remplace les drapeaux anglais de `clap` par les nôtres et annonce en
/// français ce que `clap` annoncerait en anglais.
fn preparer(commande: Command, racine: bool) -> Command {
    // La version n'a de sens que pour l'outil lui-même, pas ses commandes.
    let avec_version = racine && commande.get_version().is_some();
    let mut commande = commande
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .subcommand_value_name("COMMANDE")
        // L'aide suit la largeur du terminal, sans dépasser 100 colonnes.
        .max_term_width(100)
        .mut_args(annoncer_en_francais)
        .arg(
            Arg::new("aide")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche cette aide"),
        );
    if avec_version {
        commande = commande.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Affiche le nom et la version de l'outil"),
        );
    }
    commande.mut_subcommands(|sous_commande| preparer(sous_commande, false))
}

/// Ajoute à l'aide d'un argument sa valeur par défaut et ses valeurs
/// possibles, en français, et cache les mentions anglaises de `clap`.
fn annoncer_en_francais(argument: Arg) -> Arg {
    if !argument.get_action().takes_values() {
        return argument;
    }
    let mut precisions = Vec::new();
    let possibles: Vec<String> = argument
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !possibles.is_empty() {
        precisions.push(format!("[valeurs{INSECABLE}: {}]", possibles.join(", ")));
    }
    let defauts: Vec<String> = argument
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defauts.is_empty() {
        precisions.push(format!(
            "[par{INSECABLE}défaut{INSECABLE}:{INSECABLE}{}]",
            defauts.join(" ")
        ));
    }
    let argument = argument.hide_default_value(true).hide_possible_values(true);
    if precisions.is_empty() {
        return argument;
    }
    let suffixe = precisions.join(" ");
    let completer = |texte: Option<&clap::builder::StyledStr>| match texte {
        Some(texte) => format!("{texte} {suffixe}"),
        None => suffixe.clone(),
    };
    let aide = completer(argument.get_help());
    let aide_longue = argument.get_long_help().map(|t| completer(Some(t)));
    let argument = argument.help(aide);
    match aide_longue {
        Some(texte) => argument.long_help(texte),
        None => argument,
    }
}

/// Donne à chaque commande construite son utilisation (alignée sous
/// « Utilisation : ») et son modèle d'aide aux titres français.
fn finir(commande: &mut Command) {
    let utilisation = commande.render_usage().to_string();
    let utilisation = utilisation
        .strip_prefix("Usage: ")
        .unwrap_or(&utilisation)
        // Les lignes suivantes s'alignent sous la première.
        .replace(
            "\n       ",
            &format!("\n{}", " ".repeat(TITRE_UTILISATION.len())),
        );
    let mut sections = vec![format!("{TITRE_UTILISATION}{{usage}}")];
    if commande.get_positionals().any(|a| !a.is_hide_set()) {
        sections.push("Arguments :\n{positionals}".to_string());
    }
    // Il y a toujours au moins -h, --help.
    sections.push("Options :\n{options}".to_string());
    if commande.get_subcommands().any(|s| !s.is_hide_set()) {
        sections.push("Commandes :\n{subcommands}".to_string());
    }
    // `clap` fait précéder le texte final d'une ligne vide et termine l'aide
    // par un seul saut de ligne.
    let modele = format!(
        "{{before-help}}{{about-with-newline}}\n{}{{after-help}}",
        sections.join("\n\n")
    );
    let prete = std::mem::take(commande)
        .override_usage(utilisation)
        .help_template(modele);
    *commande = prete;
    for sous_commande in commande.get_subcommands_mut() {
        finir(sous_commande);
    }
}
