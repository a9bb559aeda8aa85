//! `charge` : l'outil de charge des serveurs du cours (`cargo charge`).
//!
//! N clients simultanés, chacun passe M commandes (la dernière est « fin »)
//! et vérifie chaque réponse. Boucle locale seulement ; bornée en nombre de
//! requêtes et en durée ; s'arrête d'elle-même.

use ligne_de_commande::{afficher, afficherln};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use ligne_de_commande::clap::{self, Parser, ValueEnum};
use ligne_de_commande::entier;
use performances::charge::{self, Mode, Reglages};
use performances::systeme;

/// Bornes : la charge doit rester raisonnable et finir d'elle-même.
const CLIENTS_MAX: usize = 50_000;
const REQUETES_MAX: usize = 10_000_000;
const DELAI_MAX_S: u64 = 3_600;

/// Lance N clients simultanés contre un serveur de cette machine ; chacun
/// passe M commandes (la dernière est « fin ») et vérifie chaque réponse.
#[derive(Parser)]
#[command(
    name = "charge",
    bin_name = "cargo charge",
    version,
    after_help = format!(
        "N × V × M ne dépasse pas {REQUETES_MAX}. Code de sortie : 0 si toutes les réponses \
         sont justes et à temps, 1 sinon, 64 pour des arguments invalides."
    )
)]
struct Arguments {
    /// 127.0.0.1:PORT, [::1]:PORT, localhost:PORT ou PORT seul (la boucle
    /// locale uniquement)
    #[arg(value_parser = systeme::adresse_locale)]
    adresse: SocketAddr,
    #[arg(
        short,
        long,
        value_name = "N",
        help = format!("Clients simultanés, au plus {CLIENTS_MAX}"),
        default_value_t = 10,
        value_parser = entier::<usize>(1, CLIENTS_MAX)
    )]
    clients: usize,
    /// Commandes par visite, « fin » comprise
    #[arg(
        short = 'n',
        long,
        value_name = "M",
        default_value_t = 100,
        value_parser = entier::<usize>(1, REQUETES_MAX)
    )]
    commandes: usize,
    /// Visites de chaque client, une connexion chacune
    #[arg(
        long,
        value_name = "V",
        default_value_t = 1,
        value_parser = entier::<usize>(1, REQUETES_MAX)
    )]
    visites: usize,
    /// Protocole : le bar des TP12-13, ou un écho
    #[arg(long, value_enum, default_value_t = Protocole::Bar)]
    mode: Protocole,
    #[arg(
        long,
        value_name = "S",
        help = format!("Durée maximale en secondes, au plus {DELAI_MAX_S}"),
        default_value_t = 60,
        value_parser = entier::<u64>(1, DELAI_MAX_S)
    )]
    delai: u64,
    /// Threads de l'outil
    #[arg(
        long,
        value_name = "T",
        default_value_t = 1,
        value_parser = entier::<usize>(1, 64)
    )]
    fils: usize,
    /// Chaque client enchaîne ses commandes sans attendre les autres
    #[arg(long)]
    sans_rendez_vous: bool,
    /// Le bilan pour un humain, ou pour un programme
    #[arg(long, value_enum, default_value_t = Format::Texte)]
    format: Format,
}

/// Le protocole parlé (`--mode`).
#[derive(ValueEnum, Clone, Copy)]
enum Protocole {
    Bar,
    Echo,
}

/// Comment présenter le bilan.
#[derive(ValueEnum, Clone, Copy)]
enum Format {
    Texte,
    Json,
    Csv,
}

fn main() -> ExitCode {
    let arguments = match ligne_de_commande::analyser::<Arguments>() {
        Ok(arguments) => arguments,
        Err(code) => return code,
    };
    let Arguments {
        clients,
        visites,
        commandes,
        ..
    } = arguments;
    // Les facteurs sont bornés chacun : le produit ne peut pas déborder en u128.
    if clients as u128 * visites as u128 * commandes as u128 > REQUETES_MAX as u128 {
        return ligne_de_commande::erreur_d_usage::<Arguments>(&format!(
            "{clients} clients × {visites} visites × {commandes} commandes dépassent \
             {REQUETES_MAX} requêtes"
        ));
    }
    let reglages = Reglages {
        adresse: arguments.adresse,
        clients,
        commandes,
        visites,
        mode: match arguments.mode {
            Protocole::Bar => Mode::Bar,
            Protocole::Echo => Mode::Echo,
        },
        delai: Duration::from_secs(arguments.delai),
        fils: arguments.fils,
        rendez_vous: !arguments.sans_rendez_vous,
        barre: true,
    };
    let format = arguments.format;
    let rapport = match charge::lancer(&reglages) {
        Ok(rapport) => rapport,
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            return ExitCode::FAILURE;
        }
    };
    match format {
        Format::Texte => afficher!("{}", rapport.texte()),
        Format::Json => afficherln!("{}", rapport.json()),
        Format::Csv => afficherln!(
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
