//! `cargo fil` : régénère les captures du chapitre « Ce qui passe sur le
//! fil » (`src/captures/`) en faisant parler les programmes du cours sur la
//! boucle locale sous l'œil de `tcpdump`. Il faut le droit de capturer
//! (root, ou CAP_NET_RAW).

use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage : cargo fil [DOSSIER]\n\
    Capture, avec tcpdump sur la boucle locale, un échange du TP09, une \
    réinitialisation (RST), un échange UDP du TP10 et un ICMP « port \
    injoignable », et les écrit dans DOSSIER (par défaut src/captures/).";

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // Le paquet `outils` est à la racine de l'espace de travail.
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."));
    let dossier = match args.as_slice() {
        [] => racine.join("src/captures"),
        [aide] if aide == "--help" || aide == "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [dossier] if !dossier.to_string_lossy().starts_with('-') => dossier.into(),
        _ => {
            eprintln!("erreur : arguments inattendus\n{USAGE}");
            return ExitCode::from(64);
        }
    };
    let resultat = outils::fil::construire_les_programmes(racine)
        .and_then(|programmes| outils::fil::capturer(&programmes))
        .and_then(|captures| {
            outils::fil::ecrire(&captures, &dossier)?;
            Ok(captures.len())
        });
    match resultat {
        Ok(nombre) => {
            println!("{nombre} captures écrites dans {}", dossier.display());
            ExitCode::SUCCESS
        }
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
    }
}
