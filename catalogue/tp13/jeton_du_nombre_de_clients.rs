//! Règle enfreinte : R15 — le jeton d'un nouveau client est tiré du nombre de clients présents.
//!
//! Erreur volontaire : `Token(connexions.len() + 1)`. Tant que personne ne
//! part, chaque jeton est neuf. Après un départ, le nouveau venu reçoit le
//! jeton d'un client encore là : `insert` remplace la connexion de ce
//! dernier dans la table, sa socket est fermée, et il perd sa place sans
//! avoir rien fait.
//! Diagnostic attendu : `serveur_3_jetons_uniques`.

mod commun;

use mio::Token;

struct JetonDuNombreDeClients;

impl commun::Variante for JetonDuNombreDeClients {
    fn jeton(&self, bar: &mut commun::Bar) -> Token {
        // L'erreur : un nombre qui redescend après un départ.
        Token(bar.connexions.len() + 1)
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(JetonDuNombreDeClients)
}
