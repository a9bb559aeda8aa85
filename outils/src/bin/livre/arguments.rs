//! Analyse de la ligne de commande de `livre` (sans dépendance : quelques
//! sous-commandes et options suffisent).

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use outils::Edition;

/// Port par défaut de `livre servir`.
const PORT_PAR_DEFAUT: u16 = 3000;

/// Les options connues qui attendent une valeur.
const OPTIONS: [&str; 5] = ["--port", "--hote", "--host", "--dest", "--edition"];
/// Les options sans valeur.
const DRAPEAUX: [&str; 2] = ["--enseignant", "--corriges"];

/// Le mode d'emploi, affiché par `--help` (sur la sortie standard) et après
/// une erreur d'arguments (sur la sortie d'erreur).
pub const USAGE: &str = "\
Outil du livre « Programmation réseau par sockets ».

Usage : cargo livre [COMMANDE] [OPTIONS]

Commandes :
  servir       construit le livre puis le sert en HTTP, en le reconstruisant
               quand ses sources changent (commande par défaut ; alias : serve)
  construire   construit le livre (alias : build)
  tester       construit le livre dans un dossier temporaire et échoue sur
               toute erreur de construction, tout lien interne cassé, toute
               faute de typographie française et tout contenu réservé à une
               autre édition (alias : test)
  pdf          construit le livre et l'imprime en PDF avec Chromium (schémas
               compris, réponses dépliées) : livre.pdf, ou --dest FICHIER
  verifier DOSSIER
               échoue si le livre construit dans DOSSIER montre une ligne
               que l'édition retire (notes de séance, corrigés), même
               échappée ou rendue autrement (alias : check)
  exporter DOSSIER [--corriges]
               écrit dans DOSSIER (absent ou vide) l'espace de travail des
               étudiants : livre sans blocs de l'enseignant, squelettes,
               correcteur, outils ; ni corrigés ni catalogue (alias : export).
               Avec --corriges (fin de semestre) : en plus les corrigés
               (solutions/) et le livre avec corrigés, sans notes de séance

Options de servir :
  --port N          port d'écoute (3000 par défaut)
  --hote ADRESSE    adresse d'écoute (127.0.0.1 par défaut : seule cette
                    machine voit le livre)

Options de construire et pdf :
  --dest CHEMIN     dossier de sortie (par défaut, celui du book.toml :
                    livre/, livre-corriges/ ou livre-enseignant/), ou
                    fichier PDF (par défaut livre.pdf, livre-corriges.pdf…)

Options de servir, construire, tester, pdf et verifier :
  --corriges        édition « avec corrigés » : chaque TP gagne son corrigé,
                    sans les notes de séance (à publier en fin de semestre)
  --enseignant      édition de l'enseignant : notes de séance et corrigés.
                    Ne la publiez pas.
  --edition NOM     la même chose par son nom : etudiante (par défaut),
                    corriges ou enseignant

  -h, --help        affiche cette aide

Commande lancée par mdBook (pas à la main) :
  pretraiter   le préprocesseur `[preprocessor.livre]` du book.toml : un
               simple `mdbook build` ou `mdbook serve` publie ainsi l'édition
               étudiante, sans les blocs de l'enseignant
  typographier le préprocesseur `[preprocessor.typographie]` : espaces
               insécables de la typographie française
";

/// Ce que l'utilisateur a demandé.
#[derive(Debug, PartialEq, Eq)]
pub enum Commande {
    /// Afficher l'aide.
    Aide,
    /// Construire puis servir le livre.
    Servir {
        /// Adresse d'écoute.
        hote: IpAddr,
        /// Port d'écoute.
        port: u16,
        /// L'édition servie.
        edition: Edition,
    },
    /// Construire le livre.
    Construire {
        /// Dossier de sortie, s'il diffère de celui par défaut.
        destination: Option<PathBuf>,
        /// L'édition construite.
        edition: Edition,
    },
    /// Construire dans un dossier temporaire et vérifier les liens.
    Tester {
        /// L'édition vérifiée.
        edition: Edition,
    },
    /// Servir de préprocesseur à mdBook (livre sur l'entrée standard) :
    /// retrait des blocs réservés (`pretraiter`) ou typographie.
    Pretraiter {
        /// Vrai pour `typographier`.
        typographie: bool,
    },
    /// Répondre à mdBook qu'un moteur de rendu est pris en charge.
    PretraiterSupporte,
    /// Imprimer le livre en PDF.
    Pdf {
        /// Le fichier PDF, s'il diffère de celui par défaut.
        destination: Option<PathBuf>,
        /// L'édition imprimée.
        edition: Edition,
    },
    /// Vérifier qu'un livre construit ne montre rien de réservé.
    Verifier {
        /// Le dossier du livre construit.
        dossier: PathBuf,
        /// L'édition qu'il doit être.
        edition: Edition,
    },
    /// Écrire l'espace de travail des étudiants dans un dossier.
    Exporter {
        /// Le dossier à créer (absent ou vide).
        dossier: PathBuf,
        /// L'édition : étudiante, ou avec corrigés en fin de semestre.
        edition: Edition,
    },
}

/// Analyse les arguments (sans le nom du programme). L'erreur est un message
/// en français, à afficher avant le mode d'emploi.
pub fn analyser(arguments: &[String]) -> Result<Commande, String> {
    if arguments.iter().any(|a| a == "-h" || a == "--help") {
        return Ok(Commande::Aide);
    }
    let (nom, options) = match arguments.split_first() {
        Some((premier, reste)) if !premier.starts_with('-') => (premier.as_str(), reste),
        _ => ("servir", arguments),
    };
    // mdBook lance `livre pretraiter` (livre sur l'entrée standard) et peut
    // demander `livre pretraiter supports MOTEUR`.
    if nom == "pretraiter" || nom == "typographier" {
        return match options {
            [] => Ok(Commande::Pretraiter {
                typographie: nom == "typographier",
            }),
            [question, _moteur] if question == "supports" => Ok(Commande::PretraiterSupporte),
            _ => Err(format!("{nom} est lancé par mdBook, sans argument")),
        };
    }
    // `exporter` prend un dossier avant ses (absentes) options.
    if matches!(nom, "exporter" | "export") {
        return match options {
            [dossier] if !dossier.starts_with('-') => Ok(Commande::Exporter {
                dossier: PathBuf::from(dossier),
                edition: Edition::Etudiant,
            }),
            [dossier, option] | [option, dossier]
                if !dossier.starts_with('-') && option == "--corriges" =>
            {
                Ok(Commande::Exporter {
                    dossier: PathBuf::from(dossier),
                    edition: Edition::Corriges,
                })
            }
            [] => Err("il manque le dossier de l'export".to_string()),
            _ => Err("exporter attend le dossier, et --corriges en fin de semestre".to_string()),
        };
    }
    // `verifier` prend le dossier du livre construit en premier.
    let (dossier, options) = match (nom, options) {
        ("verifier" | "check", [dossier, reste @ ..]) if !dossier.starts_with('-') => {
            (Some(PathBuf::from(dossier)), reste)
        }
        ("verifier" | "check", _) => return Err("il manque le dossier du livre construit".into()),
        _ => (None, options),
    };
    let options = lire_options(options)?;
    let mut edition = Edition::Etudiant;
    let mut autres = Vec::new();
    for (option, valeur) in options {
        match (option.as_str(), valeur) {
            ("--corriges", None) => edition = Edition::Corriges,
            (_, None) => edition = Edition::Enseignant,
            ("--edition", Some(valeur)) => edition = lire_edition(&valeur)?,
            (_, Some(valeur)) => autres.push((option, valeur)),
        }
    }
    match nom {
        "servir" | "serve" => {
            let (mut hote, mut port) = (IpAddr::V4(Ipv4Addr::LOCALHOST), PORT_PAR_DEFAUT);
            for (option, valeur) in autres {
                match option.as_str() {
                    "--port" => {
                        port = valeur
                            .parse()
                            .map_err(|_| format!("port invalide : « {valeur} »"))?;
                    }
                    "--hote" | "--host" => hote = lire_hote(&valeur)?,
                    _ => return Err(format!("option inconnue pour servir : {option}")),
                }
            }
            Ok(Commande::Servir {
                hote,
                port,
                edition,
            })
        }
        "construire" | "build" => {
            let mut destination = None;
            for (option, valeur) in autres {
                match option.as_str() {
                    "--dest" => destination = Some(PathBuf::from(valeur)),
                    _ => return Err(format!("option inconnue pour construire : {option}")),
                }
            }
            Ok(Commande::Construire {
                destination,
                edition,
            })
        }
        "pdf" => {
            let mut destination = None;
            for (option, valeur) in autres {
                match option.as_str() {
                    "--dest" => destination = Some(PathBuf::from(valeur)),
                    _ => return Err(format!("option inconnue pour pdf : {option}")),
                }
            }
            Ok(Commande::Pdf {
                destination,
                edition,
            })
        }
        "verifier" | "check" => match (dossier, autres.first()) {
            (Some(dossier), None) => Ok(Commande::Verifier { dossier, edition }),
            (_, Some((option, _))) => Err(format!("option inconnue pour verifier : {option}")),
            (None, None) => Err("il manque le dossier du livre construit".to_string()),
        },
        "tester" | "test" => match autres.first() {
            None => Ok(Commande::Tester { edition }),
            Some((option, _)) => Err(format!("option inconnue pour tester : {option}")),
        },
        autre => Err(format!("commande inconnue : {autre}")),
    }
}

/// Découpe les options en couples (nom, valeur), sous la forme
/// `--nom valeur` ou `--nom=valeur` ; les drapeaux (`--enseignant`) n'ont
/// pas de valeur.
fn lire_options(arguments: &[String]) -> Result<Vec<(String, Option<String>)>, String> {
    let mut couples = Vec::new();
    let mut restants = arguments.iter();
    while let Some(argument) = restants.next() {
        if !argument.starts_with("--") {
            return Err(format!("argument inattendu : {argument}"));
        }
        if DRAPEAUX.contains(&argument.as_str()) {
            couples.push((argument.clone(), None));
            continue;
        }
        let nom = argument
            .split_once('=')
            .map_or(argument.as_str(), |(nom, _)| nom);
        if !OPTIONS.contains(&nom) {
            return Err(format!("option inconnue : {nom}"));
        }
        let couple = match argument.split_once('=') {
            Some((nom, valeur)) => (nom.to_string(), Some(valeur.to_string())),
            None => {
                let valeur = restants
                    .next()
                    .ok_or_else(|| format!("il manque une valeur après {argument}"))?;
                (argument.clone(), Some(valeur.clone()))
            }
        };
        couples.push(couple);
    }
    Ok(couples)
}

/// Lit le nom d'une édition (`--edition`).
fn lire_edition(valeur: &str) -> Result<Edition, String> {
    match valeur {
        "etudiante" | "étudiante" => Ok(Edition::Etudiant),
        "corriges" | "corrigés" => Ok(Edition::Corriges),
        "enseignant" => Ok(Edition::Enseignant),
        _ => Err(format!(
            "édition inconnue : « {valeur} » (etudiante, corriges ou enseignant)"
        )),
    }
}

/// Lit l'adresse d'écoute : une adresse IP, ou `localhost`.
fn lire_hote(valeur: &str) -> Result<IpAddr, String> {
    if valeur.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    valeur
        .parse()
        .map_err(|_| format!("adresse invalide : « {valeur} » (exemple : 127.0.0.1)"))
}
