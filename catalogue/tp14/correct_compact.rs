//! Variante correcte : un serveur et un client compacts, sans types Requete/Reponse : en-tête lu à la main, places de connexion comptées sous un Condvar, échéance par trame dans un lecteur à soi.
//!
//! C'est le programme commun du catalogue, sans aucune faute : chaque
//! solution fausse n'en change qu'un comportement. Il doit passer toutes les
//! étapes, alors qu'il ne partage aucune ligne avec le corrigé.

mod commun;

struct Compact;

impl commun::Variante for Compact {}

fn main() -> std::process::ExitCode {
    commun::principal(Compact)
}
