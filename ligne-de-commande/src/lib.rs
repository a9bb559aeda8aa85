//! La ligne de commande des outils du cours, en français.
//!
//! Les outils (`cargo livre`, `cargo corriger`, `cargo progression`,
//! `cargo suivre`, `cargo fil`, `cargo charge`, `cargo banc`,
//! `plancher-echo`) décrivent leurs arguments avec `clap` (API dérivée) ; ce
//! petit paquet, partagé par `outils` et `performances`, fait le reste :
//!
//! - l'aide en français : « Utilisation : », « Arguments : », « Options : »,
//!   « Commandes : », `-h, --help` et `-V, --version` décrits en français,
//!   valeurs par défaut et valeurs possibles annoncées en français ;
//! - les erreurs de `clap` (en anglais) traduites à partir de leur nature et
//!   de leur contexte, suivies de l'utilisation et d'un renvoi à `--help` ;
//! - les codes de sortie des outils : 0 pour l'aide et la version (sur la
//!   sortie standard), 64 (`EX_USAGE` de `sysexits.h`) pour une erreur
//!   d'utilisation (sur la sortie d'erreur) ;
//! - une sortie standard qui se ferme ou refuse l'écriture (`| head`, disque
//!   plein) sans panique : [`afficher!`] et [`afficherln!`] ([`sortie`]).

mod aide;
mod erreurs;
pub mod sortie;

use std::ffi::OsString;
use std::io::Write as _;
use std::process::ExitCode;

pub use clap;
use clap::error::ErrorKind;
use clap::{Command, CommandFactory, Parser};

/// Code de sortie d'une erreur d'utilisation (`EX_USAGE` de `sysexits.h`).
pub const SORTIE_USAGE: u8 = 64;

/// Ce qu'il faut afficher au lieu de lancer l'outil.
#[derive(Debug, PartialEq, Eq)]
pub enum Arret {
    /// L'aide ou la version demandée : sur la sortie standard, code 0.
    Information(String),
    /// Une erreur d'utilisation, déjà rédigée (message, utilisation, renvoi
    /// à l'aide) : sur la sortie d'erreur, code 64.
    Usage(String),
}

impl Arret {
    /// Affiche le texte là où il va et rend le code de sortie.
    ///
    /// Une sortie fermée (`cargo livre --help | head -1`) n'est pas une
    /// erreur : le texte est perdu, sans panique (`print!` paniquerait).
    pub fn afficher(&self) -> ExitCode {
        match self {
            Arret::Information(texte) => {
                let _ = std::io::stdout().lock().write_all(texte.as_bytes());
                ExitCode::SUCCESS
            }
            Arret::Usage(texte) => {
                let _ = std::io::stderr().lock().write_all(texte.as_bytes());
                ExitCode::from(SORTIE_USAGE)
            }
        }
    }
}

/// Lit la ligne de commande du programme. En cas d'aide, de version ou
/// d'erreur, l'affiche et rend le code de sortie à rendre tel quel.
pub fn analyser<T: Parser>() -> Result<T, ExitCode> {
    lire(std::env::args_os()).map_err(|arret| arret.afficher())
}

/// Comme [`analyser`], sur des arguments donnés (le premier est le nom du
/// programme), sans rien afficher.
pub fn lire<T: Parser>(arguments: impl IntoIterator<Item = OsString>) -> Result<T, Arret> {
    let arguments: Vec<OsString> = arguments.into_iter().collect();
    let mut commande = commande::<T>();
    // Un chemin qui n'est pas de l'UTF-8 ne s'afficherait pas dans les
    // rapports (CSV, JSON, messages) : il est refusé d'emblée, pour tous les
    // outils, avant même de savoir à quel argument il est destiné.
    if let Some(illisible) = arguments.iter().skip(1).find(|a| a.to_str().is_none()) {
        let message = format!(
            "argument illisible : {} n'est pas de l'UTF-8 valide",
            illisible.to_string_lossy()
        );
        return Err(Arret::Usage(erreurs::rediger(
            &message,
            visee(&commande, &arguments),
        )));
    }
    let correspondances = commande
        .try_get_matches_from_mut(arguments.iter().cloned())
        .map_err(|e| arret(e, visee(&commande, &arguments)))?;
    T::from_arg_matches(&correspondances).map_err(|e| arret(e, visee(&commande, &arguments)))
}

/// La commande de l'outil, francisée : c'est elle qu'analyse [`lire`] et
/// qu'un test peut examiner (aide, `debug_assert`).
pub fn commande<T: CommandFactory>() -> Command {
    aide::franciser(T::command())
}

/// Une erreur d'utilisation découverte après l'analyse (deux valeurs
/// incompatibles, un TP inconnu…) : même présentation et même code (64) que
/// celles que repère `clap`.
pub fn erreur_d_usage<T: CommandFactory>(message: &str) -> ExitCode {
    let commande = commande::<T>();
    Arret::Usage(erreurs::rediger(message, &commande)).afficher()
}

/// Traduit une erreur de `clap` : l'aide et la version passent telles
/// quelles (elles sont déjà en français), le reste devient une erreur
/// d'utilisation rédigée en français.
fn arret(erreur: clap::Error, visee: &Command) -> Arret {
    match erreur.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            Arret::Information(erreur.render().to_string())
        }
        _ => Arret::Usage(erreurs::rediger(&erreurs::traduire(&erreur, visee), visee)),
    }
}

/// La (sous-)commande que visent les arguments : celle dont l'utilisation et
/// l'aide accompagnent un message d'erreur (`cargo livre servir --port x`
/// renvoie à `cargo livre servir --help`).
fn visee<'c>(commande: &'c Command, arguments: &[OsString]) -> &'c Command {
    let mut courante = commande;
    for argument in arguments.iter().skip(1).filter_map(|a| a.to_str()) {
        if argument == "--" {
            break;
        }
        if let Some(sous_commande) = courante.find_subcommand(argument) {
            courante = sous_commande;
        }
    }
    courante
}

/// Un analyseur de nombre entier borné, au message d'erreur français :
/// `#[arg(value_parser = entier(1, 50_000))]`.
pub fn entier<N>(min: N, max: N) -> impl Fn(&str) -> Result<N, String> + Clone + Send + Sync
where
    N: std::str::FromStr + PartialOrd + std::fmt::Display + Copy + Send + Sync + 'static,
{
    move |texte: &str| match texte.parse::<N>() {
        Ok(n) if min <= n && n <= max => Ok(n),
        _ => Err(format!("un entier de {min} à {max} est attendu")),
    }
}

/// Un analyseur de nombre entier sans maximum, au message d'erreur
/// français : `#[arg(value_parser = entier_au_moins(1u64))]`.
pub fn entier_au_moins<N>(min: N) -> impl Fn(&str) -> Result<N, String> + Clone + Send + Sync
where
    N: std::str::FromStr + PartialOrd + std::fmt::Display + Copy + Send + Sync + 'static,
{
    move |texte: &str| match texte.parse::<N>() {
        Ok(n) if min <= n => Ok(n),
        _ => Err(format!("un entier d'au moins {min} est attendu")),
    }
}

#[cfg(test)]
mod tests;
