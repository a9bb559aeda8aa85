//! Règle enfreinte : R8 — après une pause de contre-pression, la lecture ne reprend pas.
//!
//! Erreur volontaire : la pause de contre-pression sans reprise. Quand
//! trop de réponses attendent, la connexion cesse bien de lire ; quand la
//! sortie s'est vidée, elle se réabonne à READABLE et attend un événement.
//!
//! Mais mio règle epoll en mode front : les commandes arrivées pendant la
//! pause sont déjà dans le noyau, et aucun événement ne les signalera plus.
//! Le client a lu toutes ses réponses, attend les suivantes, et le serveur
//! dort.
//! Diagnostic attendu : `serveur_6_client_qui_ne_lit_pas`.

mod commun;

struct PauseSansReprise;

impl commun::Variante for PauseSansReprise {
    fn reprendre_apres_pause(&self) -> bool {
        // L'erreur : attendre un événement qui ne viendra pas.
        false
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(PauseSansReprise)
}
