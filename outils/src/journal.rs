//! Journal de construction : mdBook signale ses problèmes par des événements
//! `tracing` (et continue souvent la construction malgré eux). On branche donc
//! un abonné le temps d'une construction pour afficher les avertissements et
//! compter les erreurs, qui deviennent ensuite un `Err`.
//!
//! L'abonné est installé avec [`tracing::subscriber::with_default`] : il ne
//! vaut que pour le fil d'exécution courant et jusqu'à la fin de la
//! construction. Plusieurs constructions peuvent ainsi tourner en même temps
//! dans un même processus (les tests le font), chacune avec son propre
//! compteur ; un abonné global, lui, ne peut être posé qu'une fois par
//! processus. mdBook construit tout dans le fil appelant (il ne lance pas de
//! fil d'exécution), donc aucun événement n'échappe à l'abonné local.

use std::fmt::{self, Write as _};
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::anyhow;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// Préfixe des avertissements qui détaillent la cause de l'erreur précédente
/// (mdBook émet la chaîne des causes en avertissements séparés).
const PREFIXE_CAUSE: &str = "Caused By: ";

/// Exécute `travail` sous un abonné local qui affiche les avertissements et
/// erreurs sur la sortie d'erreur et compte les erreurs : s'il y en a eu au
/// moins une, le résultat devient un `Err` qui les énumère.
pub(crate) fn avec_journal<T>(travail: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let erreurs = Erreurs::default();
    let affichage = tracing_subscriber::fmt::layer()
        .with_writer(|| SortieErreur)
        .event_format(FormatFrancais)
        .with_filter(LevelFilter::WARN);
    let compteur = CompteurErreurs {
        erreurs: erreurs.clone(),
    }
    .with_filter(LevelFilter::WARN);
    let abonne = tracing_subscriber::registry()
        .with(affichage)
        .with(compteur);

    let resultat = tracing::subscriber::with_default(abonne, travail);

    let messages = erreurs.prendre();
    if messages.is_empty() {
        return resultat;
    }
    let resume = resumer(&messages);
    match resultat {
        Ok(_) => Err(anyhow!(resume)),
        Err(e) => Err(e.context(resume)),
    }
}

/// Met en forme la liste des erreurs pour le message final.
fn resumer(messages: &[String]) -> String {
    let mut texte = format!(
        "la construction du livre a signalé {} erreur(s) :",
        messages.len()
    );
    for message in messages {
        // Écrire dans une `String` ne peut pas échouer.
        let _ = write!(texte, "\n  - {message}");
    }
    texte
}

/// Messages d'erreur recueillis pendant une construction, partagés entre la
/// couche qui les compte et [`avec_journal`] qui les lit à la fin.
#[derive(Clone, Default)]
struct Erreurs(Arc<Mutex<Vec<String>>>);

impl Erreurs {
    /// Ajoute un message d'erreur.
    fn ajouter(&self, message: String) {
        self.verrou().push(message);
    }

    /// Rattache une cause à la dernière erreur (ignorée s'il n'y en a pas).
    fn ajouter_cause(&self, cause: &str) {
        if let Some(derniere) = self.verrou().last_mut() {
            let _ = write!(derniere, " (cause : {cause})");
        }
    }

    /// Vide la liste et la renvoie.
    fn prendre(&self) -> Vec<String> {
        std::mem::take(&mut *self.verrou())
    }

    /// Un fil qui a paniqué en tenant le verrou n'a pas pu laisser la liste
    /// incohérente (un `push` est atomique de notre point de vue) : on passe
    /// outre l'empoisonnement plutôt que de paniquer à notre tour.
    fn verrou(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Couche `tracing` qui relève chaque événement de niveau ERROR (et rattache à
/// l'erreur précédente les avertissements « Caused By » qui la détaillent).
struct CompteurErreurs {
    erreurs: Erreurs,
}

impl<S: Subscriber> Layer<S> for CompteurErreurs {
    fn on_event(&self, event: &Event<'_>, _contexte: Context<'_, S>) {
        let niveau = *event.metadata().level();
        if niveau != Level::ERROR && niveau != Level::WARN {
            return;
        }
        let mut texte = TexteEvenement::default();
        event.record(&mut texte);
        if niveau == Level::ERROR {
            self.erreurs.ajouter(texte.0);
        } else if let Some(cause) = texte.0.strip_prefix(PREFIXE_CAUSE) {
            self.erreurs.ajouter_cause(cause);
        }
    }
}

/// Reconstitue le texte d'un événement : son message, puis ses autres champs
/// sous la forme `nom=valeur`.
#[derive(Default)]
struct TexteEvenement(String);

impl Visit for TexteEvenement {
    fn record_debug(&mut self, champ: &Field, valeur: &dyn fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        // Le message d'un événement est un `fmt::Arguments` : son `Debug`
        // affiche le texte tel quel, sans guillemets.
        let _ = if champ.name() == "message" {
            write!(self.0, "{valeur:?}")
        } else {
            write!(self.0, "{}={valeur:?}", champ.name())
        };
    }
}

/// Format d'affichage en français : `livre : erreur : …`.
struct FormatFrancais;

impl<S, N> FormatEvent<S, N> for FormatFrancais
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        contexte: &FmtContext<'_, S, N>,
        mut ecrivain: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let etiquette = match *event.metadata().level() {
            Level::ERROR => "erreur",
            Level::WARN => "avertissement",
            _ => "information",
        };
        write!(ecrivain, "livre : {etiquette} : ")?;
        contexte
            .field_format()
            .format_fields(ecrivain.by_ref(), event)?;
        writeln!(ecrivain)
    }
}

/// Destination de l'affichage : la sortie d'erreur, mais à travers `eprint!`
/// pour que le harnais de test capture ces lignes comme il capture les
/// `eprintln!` (une écriture directe sur `io::stderr()` lui échapperait).
struct SortieErreur;

impl io::Write for SortieErreur {
    fn write(&mut self, octets: &[u8]) -> io::Result<usize> {
        eprint!("{}", String::from_utf8_lossy(octets));
        Ok(octets.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
