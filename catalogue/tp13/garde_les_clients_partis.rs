//! Règle enfreinte : R5 — les clients partis restent dans la table, leurs sockets ouvertes.
//!
//! Erreur volontaire : au départ d'un client, le programme termine
//! l'échange avec shutdown() et marque la connexion « partie », mais la
//! laisse dans sa table (et dans l'ensemble surveillé par epoll).
//!
//! Le client lit bien la fin du flux : tout semble juste. Mais shutdown()
//! ne ferme pas le descripteur ; seul close() (lâcher la socket) le rend au
//! système. Le serveur en accumule un par client servi, jusqu'à ne plus
//! pouvoir accepter personne (EMFILE).
//! Diagnostic attendu : `serveur_4_descripteurs`.

mod commun;

use std::net::Shutdown;

use mio::Token;

struct GardeLesClientsPartis;

impl commun::Variante for GardeLesClientsPartis {
    fn fermer(&self, bar: &mut commun::Bar, jeton: Token) {
        let Some(connexion) = bar.connexions.get_mut(&jeton) else {
            return;
        };
        let _ = connexion.flux.shutdown(Shutdown::Both);
        connexion.partie = true;
        println!("Client parti : {}", connexion.adresse);
        // L'erreur : il manque bar.connexions.remove(&jeton), et avec lui
        // le deregister et la fermeture de la socket.
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(GardeLesClientsPartis)
}
