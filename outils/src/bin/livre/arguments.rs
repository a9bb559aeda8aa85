//! La ligne de commande de `livre` (`cargo livre`), décrite pour `clap` ;
//! l'aide et les erreurs en français viennent de `ligne-de-commande`.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use ligne_de_commande::clap::{self, Args, Parser, Subcommand, ValueEnum};
use ligne_de_commande::entier;
use outils::Edition;

/// Outil du livre « Programmation réseau par sockets » : le construit, le
/// vérifie et le sert sur cette machine.
#[derive(Parser, Debug)]
#[command(
    name = "livre",
    bin_name = "cargo livre",
    version,
    args_conflicts_with_subcommands = true,
    after_help = "Sans commande, cargo livre sert le livre (comme cargo livre servir) ; \
                  ses options se donnent alors directement.\n\
                  L'aide d'une commande : cargo livre COMMANDE --help."
)]
pub struct Arguments {
    #[command(subcommand)]
    commande: Option<Commande>,
    #[command(flatten)]
    servir: OptionsServir,
}

#[derive(Subcommand, Debug)]
enum Commande {
    /// Construit le livre puis le sert en HTTP, en le reconstruisant quand
    /// ses sources changent (commande par défaut ; alias : serve)
    #[command(alias = "serve")]
    Servir(OptionsServir),
    /// Construit le livre (alias : build)
    #[command(alias = "build")]
    Construire {
        /// Dossier de sortie (par défaut, celui du book.toml : livre/,
        /// livre-corriges/ ou livre-enseignant/)
        #[arg(long, value_name = "DOSSIER")]
        dest: Option<PathBuf>,
        #[command(flatten)]
        edition: ChoixEdition,
    },
    /// Construit le livre dans un dossier temporaire et échoue sur toute
    /// erreur : construction, lien interne cassé, faute de typographie,
    /// contenu réservé à une autre édition (alias : test)
    #[command(alias = "test")]
    Tester {
        #[command(flatten)]
        edition: ChoixEdition,
    },
    /// Construit le livre et l'imprime en PDF avec Chromium (schémas
    /// compris, réponses dépliées)
    Pdf {
        /// Fichier PDF (par défaut livre.pdf, livre-corriges.pdf…)
        #[arg(long, value_name = "FICHIER")]
        dest: Option<PathBuf>,
        #[command(flatten)]
        edition: ChoixEdition,
    },
    /// Échoue si le livre construit dans DOSSIER montre une ligne que son
    /// édition retire (alias : check)
    ///
    /// Notes de séance, corrigés : même échappée ou rendue autrement, une
    /// ligne réservée est trouvée. Le workflow de publication le vérifie
    /// avant toute mise en ligne.
    #[command(alias = "check")]
    Verifier {
        /// Le dossier du livre construit
        dossier: PathBuf,
        #[command(flatten)]
        edition: ChoixEdition,
    },
    /// Écrit dans DOSSIER (absent ou vide) l'espace de travail des étudiants
    /// (alias : export)
    ///
    /// Livre sans blocs de l'enseignant, squelettes, correcteur, outils ; ni
    /// corrigés ni catalogue.
    #[command(alias = "export")]
    Exporter {
        /// Le dossier à créer (absent ou vide)
        dossier: PathBuf,
        /// Fin de semestre : en plus les corrigés (solutions/) et le livre
        /// avec corrigés, sans notes de séance
        #[arg(long)]
        corriges: bool,
    },
    /// Préprocesseur [preprocessor.livre] du book.toml, lancé par mdBook
    /// (pas à la main) : retire les blocs de l'enseignant
    ///
    /// Un simple `mdbook build` ou `mdbook serve` publie ainsi l'édition
    /// étudiante. Le livre arrive en JSON sur l'entrée standard et repart
    /// sur la sortie standard.
    Pretraiter {
        #[command(subcommand)]
        question: Option<QuestionDeMdbook>,
    },
    /// Préprocesseur [preprocessor.typographie] du book.toml, lancé par
    /// mdBook (pas à la main) : espaces insécables de la typographie
    /// française
    Typographier {
        #[command(subcommand)]
        question: Option<QuestionDeMdbook>,
    },
}

/// Ce que mdBook demande à un préprocesseur avant de lui confier le livre.
#[derive(Subcommand, Debug)]
enum QuestionDeMdbook {
    /// Répond à mdBook que ce moteur de rendu est pris en charge (tous le
    /// sont : l'édition étudiante ne doit paraître dans aucune sortie avec
    /// un corrigé)
    Supports {
        /// Le moteur de rendu (html, markdown…)
        moteur: String,
    },
}

/// Les options de `servir`.
#[derive(Args, Debug)]
struct OptionsServir {
    /// Port d'écoute
    #[arg(long, default_value_t = 3000, value_parser = entier::<u16>(0, u16::MAX))]
    port: u16,
    /// Adresse d'écoute : seule cette machine voit le livre avec
    /// l'adresse par défaut
    #[arg(
        long = "hote",
        alias = "host",
        value_name = "ADRESSE",
        default_value = "127.0.0.1",
        value_parser = lire_hote
    )]
    hote: IpAddr,
    #[command(flatten)]
    edition: ChoixEdition,
}

/// L'édition à construire : la dernière option donnée l'emporte.
#[derive(Args, Debug)]
struct ChoixEdition {
    /// Édition « avec corrigés » : chaque TP gagne son corrigé, sans les
    /// notes de séance (à publier en fin de semestre)
    #[arg(long, overrides_with_all = ["enseignant", "edition"])]
    corriges: bool,
    /// Édition de l'enseignant : notes de séance et corrigés. Ne la publiez
    /// pas.
    #[arg(long, overrides_with_all = ["corriges", "edition"])]
    enseignant: bool,
    /// La même chose par son nom
    #[arg(long, value_enum, value_name = "NOM", overrides_with_all = ["corriges", "enseignant"])]
    edition: Option<NomEdition>,
}

/// Les noms d'édition de `--edition`.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum NomEdition {
    #[value(alias = "étudiante")]
    Etudiante,
    #[value(alias = "corrigés")]
    Corriges,
    Enseignant,
}

impl ChoixEdition {
    fn edition(&self) -> Edition {
        match (self.corriges, self.enseignant, self.edition) {
            (true, _, _) | (_, _, Some(NomEdition::Corriges)) => Edition::Corriges,
            (_, true, _) | (_, _, Some(NomEdition::Enseignant)) => Edition::Enseignant,
            _ => Edition::Etudiant,
        }
    }
}

/// Ce que l'utilisateur a demandé, valeurs par défaut appliquées.
#[derive(Debug, PartialEq, Eq)]
pub enum Demande {
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

impl From<Arguments> for Demande {
    fn from(arguments: Arguments) -> Self {
        let servir = |options: OptionsServir| Demande::Servir {
            hote: options.hote,
            port: options.port,
            edition: options.edition.edition(),
        };
        let pretraiter = |question: Option<QuestionDeMdbook>, typographie| match question {
            Some(QuestionDeMdbook::Supports { .. }) => Demande::PretraiterSupporte,
            None => Demande::Pretraiter { typographie },
        };
        match arguments.commande {
            None => servir(arguments.servir),
            Some(Commande::Servir(options)) => servir(options),
            Some(Commande::Construire { dest, edition }) => Demande::Construire {
                destination: dest,
                edition: edition.edition(),
            },
            Some(Commande::Tester { edition }) => Demande::Tester {
                edition: edition.edition(),
            },
            Some(Commande::Pdf { dest, edition }) => Demande::Pdf {
                destination: dest,
                edition: edition.edition(),
            },
            Some(Commande::Verifier { dossier, edition }) => Demande::Verifier {
                dossier,
                edition: edition.edition(),
            },
            Some(Commande::Exporter { dossier, corriges }) => Demande::Exporter {
                dossier,
                edition: if corriges {
                    Edition::Corriges
                } else {
                    Edition::Etudiant
                },
            },
            Some(Commande::Pretraiter { question }) => pretraiter(question, false),
            Some(Commande::Typographier { question }) => pretraiter(question, true),
        }
    }
}

/// Lit l'adresse d'écoute : une adresse IP, ou `localhost`.
fn lire_hote(valeur: &str) -> Result<IpAddr, String> {
    if valeur.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    valeur
        .parse()
        .map_err(|_| "une adresse IP est attendue, par exemple 127.0.0.1".to_string())
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;

    fn demande(arguments: &[&str]) -> Demande {
        let arguments = std::iter::once("livre")
            .chain(arguments.iter().copied())
            .map(OsString::from);
        match ligne_de_commande::lire::<Arguments>(arguments) {
            Ok(arguments) => arguments.into(),
            Err(arret) => panic!("{arret:?}"),
        }
    }

    fn servir(port: u16, edition: Edition) -> Demande {
        Demande::Servir {
            hote: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port,
            edition,
        }
    }

    #[test]
    fn la_commande_est_bien_formee() {
        ligne_de_commande::commande::<Arguments>().debug_assert();
    }

    #[test]
    fn sans_commande_le_livre_est_servi() {
        assert_eq!(demande(&[]), servir(3000, Edition::Etudiant));
        assert_eq!(
            demande(&["--port", "3001"]),
            servir(3001, Edition::Etudiant)
        );
        assert_eq!(
            demande(&["--enseignant"]),
            servir(3000, Edition::Enseignant)
        );
        assert_eq!(
            demande(&["serve", "--port=0"]),
            servir(0, Edition::Etudiant)
        );
        assert_eq!(
            demande(&["servir", "--host", "::1"]),
            Demande::Servir {
                hote: "::1".parse().unwrap(),
                port: 3000,
                edition: Edition::Etudiant
            }
        );
    }

    #[test]
    fn la_derniere_edition_donnee_l_emporte() {
        let construire = |edition| Demande::Construire {
            destination: None,
            edition,
        };
        assert_eq!(demande(&["build"]), construire(Edition::Etudiant));
        assert_eq!(
            demande(&["construire", "--corriges", "--enseignant"]),
            construire(Edition::Enseignant)
        );
        assert_eq!(
            demande(&["construire", "--enseignant", "--edition", "corrigés"]),
            construire(Edition::Corriges)
        );
        assert_eq!(
            demande(&["construire", "--edition=étudiante"]),
            construire(Edition::Etudiant)
        );
    }

    #[test]
    fn les_autres_commandes_sont_lues() {
        assert_eq!(
            demande(&["exporter", "--corriges", "copie"]),
            Demande::Exporter {
                dossier: "copie".into(),
                edition: Edition::Corriges
            }
        );
        assert_eq!(
            demande(&["check", "publie", "--edition", "corriges"]),
            Demande::Verifier {
                dossier: "publie".into(),
                edition: Edition::Corriges
            }
        );
        assert_eq!(
            demande(&["pdf", "--dest", "x.pdf"]),
            Demande::Pdf {
                destination: Some("x.pdf".into()),
                edition: Edition::Etudiant
            }
        );
        assert_eq!(
            demande(&["tester", "--corriges"]),
            Demande::Tester {
                edition: Edition::Corriges
            }
        );
        assert_eq!(
            demande(&["pretraiter"]),
            Demande::Pretraiter { typographie: false }
        );
        assert_eq!(
            demande(&["typographier"]),
            Demande::Pretraiter { typographie: true }
        );
        assert_eq!(
            demande(&["pretraiter", "supports", "html"]),
            Demande::PretraiterSupporte
        );
    }
}
