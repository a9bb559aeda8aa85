//! `cargo fil` : régénère les captures du chapitre « Ce qui passe sur le
//! fil » (`src/captures/`) en faisant parler les programmes du cours sur la
//! boucle locale sous l'œil de `tcpdump`. Il faut le droit de capturer
//! (root, ou CAP_NET_RAW).

use ligne_de_commande::afficherln;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ligne_de_commande::clap::{self, Parser};

/// Régénère les captures du chapitre « Ce qui passe sur le fil »
///
/// Capture, avec tcpdump sur la boucle locale, un échange du TP09, une
/// réinitialisation (RST), un échange UDP du TP10 et un ICMP « port
/// injoignable ». Il faut le droit de capturer (root, ou CAP_NET_RAW).
#[derive(Parser)]
#[command(name = "fil", bin_name = "cargo fil", version)]
struct Arguments {
    /// Le dossier des captures (par défaut src/captures/)
    dossier: Option<PathBuf>,
}

fn main() -> ExitCode {
    let arguments = match ligne_de_commande::analyser::<Arguments>() {
        Ok(arguments) => arguments,
        Err(code) => return code,
    };
    // Le paquet `outils` est à la racine de l'espace de travail.
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."));
    let dossier = arguments
        .dossier
        .unwrap_or_else(|| racine.join("src/captures"));
    let resultat = outils::fil::construire_les_programmes(racine)
        .and_then(|programmes| outils::fil::capturer(&programmes))
        .and_then(|captures| {
            outils::fil::ecrire(&captures, &dossier)?;
            Ok(captures.len())
        });
    match resultat {
        Ok(nombre) => {
            afficherln!("{nombre} captures écrites dans {}", dossier.display());
            ExitCode::SUCCESS
        }
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
    }
}
