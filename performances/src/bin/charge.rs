//! `charge` : l'outil de charge des serveurs du cours (`cargo charge`).
//!
//! N clients simultanés, chacun passe M commandes (la dernière est « fin »)
//! et vérifie chaque réponse. Boucle locale seulement ; bornée en nombre de
//! requêtes et en durée ; s'arrête d'elle-même.

use std::process::ExitCode;
use std::time::Duration;

use performances::charge::{self, Mode, Reglages};
use performances::systeme;

/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;
/// Bornes : la charge doit rester raisonnable et finir d'elle-même.
const CLIENTS_MAX: usize = 50_000;
const REQUETES_MAX: usize = 10_000_000;
const DELAI_MAX_S: u64 = 3_600;

/// Comment présenter le bilan.
enum Format {
    Texte,
    Json,
    Csv,
}

fn usage() -> String {
    format!(
        "usage : charge [OPTIONS] ADRESSE\n\
         \n\
         Lance N clients simultanés contre un serveur de cette machine ; chacun passe\n\
         M commandes (la dernière est « fin ») et vérifie chaque réponse.\n\
         \n\
         ADRESSE                127.0.0.1:PORT, [::1]:PORT, localhost:PORT ou PORT seul\n\
         \x20                      (la boucle locale uniquement)\n\
         -c, --clients N        clients simultanés (défaut 10, au plus {CLIENTS_MAX})\n\
         -n, --commandes M      commandes par visite, « fin » comprise (défaut 100)\n\
         --visites V            visites de chaque client, une connexion chacune (défaut 1)\n\
         --mode bar|echo        protocole : le bar des TP12-13, ou un écho (défaut bar)\n\
         --delai S              durée maximale en secondes (défaut 60, au plus {DELAI_MAX_S})\n\
         --fils T               threads de l'outil (défaut 1)\n\
         --sans-rendez-vous     chaque client enchaîne ses commandes sans attendre les autres\n\
         --format texte|json|csv  le bilan pour un humain (défaut) ou pour un programme\n\
         -h, --help             cette aide\n\
         \n\
         N × V × M ne dépasse pas {REQUETES_MAX}. Code de sortie : 0 si toutes les réponses\n\
         sont justes et à temps, 1 sinon, 64 pour des arguments invalides."
    )
}

/// Lit la valeur d'une option numérique, dans ses bornes.
fn nombre(option: &str, valeur: Option<&String>, min: usize, max: usize) -> Result<usize, String> {
    let texte = valeur.ok_or_else(|| format!("{option} attend une valeur"))?;
    match texte.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "{option} : « {texte} » invalide (un entier de {min} à {max} est attendu)"
        )),
    }
}

/// Analyse la ligne de commande ; `None` pour l'aide.
fn analyser(args: &[String]) -> Result<Option<(Reglages, Format)>, String> {
    let (mut clients, mut commandes, mut visites, mut delai, mut fils) = (10, 100, 1, 60, 1);
    let (mut mode, mut format) = (Mode::Bar, Format::Texte);
    let mut rendez_vous = true;
    let mut adresse = None;
    let mut restants = args.iter();
    while let Some(arg) = restants.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "-c" | "--clients" => clients = nombre(arg, restants.next(), 1, CLIENTS_MAX)?,
            "-n" | "--commandes" => commandes = nombre(arg, restants.next(), 1, REQUETES_MAX)?,
            "--visites" => visites = nombre(arg, restants.next(), 1, REQUETES_MAX)?,
            "--delai" => delai = nombre(arg, restants.next(), 1, DELAI_MAX_S as usize)?,
            "--fils" => fils = nombre(arg, restants.next(), 1, 64)?,
            "--sans-rendez-vous" => rendez_vous = false,
            "--mode" => {
                mode = match restants.next().map(String::as_str) {
                    Some("bar") => Mode::Bar,
                    Some("echo") => Mode::Echo,
                    _ => return Err("--mode attend « bar » ou « echo »".to_string()),
                }
            }
            "--format" => {
                format = match restants.next().map(String::as_str) {
                    Some("texte") => Format::Texte,
                    Some("json") => Format::Json,
                    Some("csv") => Format::Csv,
                    _ => return Err("--format attend « texte », « json » ou « csv »".to_string()),
                }
            }
            option if option.starts_with('-') => {
                return Err(format!("option inconnue : « {option} »"));
            }
            texte if adresse.is_none() => adresse = Some(systeme::adresse_locale(texte)?),
            _ => return Err("trop d'arguments : une seule adresse est attendue".to_string()),
        }
    }
    let adresse = adresse.ok_or("il manque l'adresse du serveur (par exemple 127.0.0.1:1664)")?;
    // Les facteurs sont bornés chacun : le produit ne peut pas déborder en u128.
    if clients as u128 * visites as u128 * commandes as u128 > REQUETES_MAX as u128 {
        return Err(format!(
            "{clients} clients × {visites} visites × {commandes} commandes dépassent \
             {REQUETES_MAX} requêtes"
        ));
    }
    let reglages = Reglages {
        adresse,
        clients,
        commandes,
        visites,
        mode,
        delai: Duration::from_secs(delai as u64),
        fils,
        rendez_vous,
        barre: true,
    };
    Ok(Some((reglages, format)))
}

fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let analyse = args
        .map_err(|_| "argument illisible (pas de l'UTF-8)".to_string())
        .and_then(|args| analyser(&args));
    let (reglages, format) = match analyse {
        Ok(Some(demande)) => demande,
        Ok(None) => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("erreur : {message}\n{}", usage());
            return ExitCode::from(EX_USAGE);
        }
    };
    let rapport = match charge::lancer(&reglages) {
        Ok(rapport) => rapport,
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            return ExitCode::FAILURE;
        }
    };
    match format {
        Format::Texte => print!("{}", rapport.texte()),
        Format::Json => println!("{}", rapport.json()),
        Format::Csv => println!(
            "{}\n{}",
            performances::mesure::Rapport::EN_TETE_CSV,
            rapport.csv()
        ),
    }
    if rapport.reussi() {
        return ExitCode::SUCCESS;
    }
    // L'échec se dit sur la sortie d'erreur, en clair, quel que soit le format.
    if rapport.delai_depasse {
        eprintln!(
            "erreur : délai de {} s dépassé : {} client(s) sur {} n'avaient pas fini \
             ({} réponses justes sur {} attendues)",
            reglages.delai.as_secs(),
            rapport.inacheves,
            rapport.clients,
            rapport.reponses,
            rapport.prevues()
        );
        if reglages.rendez_vous && rapport.pic < rapport.clients {
            eprintln!(
                "Indice : au plus {} client(s) servis à la fois ; un serveur itératif ne \
                 sert qu'un client à la fois et n'atteint jamais le rendez-vous \
                 (essayez --sans-rendez-vous).",
                rapport.pic
            );
        }
    }
    if rapport.erreurs > 0 {
        eprintln!(
            "erreur : {} client(s) en erreur ; {}",
            rapport.erreurs,
            if rapport.diagnostics.len() < rapport.erreurs {
                format!("les {} premiers :", rapport.diagnostics.len())
            } else {
                "détail :".to_string()
            }
        );
        for diagnostic in &rapport.diagnostics {
            eprintln!("  ✗ {diagnostic}");
        }
    }
    ExitCode::FAILURE
}
