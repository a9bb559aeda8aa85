//! Règle enfreinte : R18 — n'essaie que la première adresse de HÔTE : si elle ne répond pas, les autres ne servent jamais.
//!
//! Erreur volontaire : le client garde la première adresse résolue, et
//! elle seule, avec une socket de sa famille. Avec `127.0.0.1` ou `::1`,
//! tout marche ; avec un `localhost` qui donne `::1` puis `127.0.0.1` face
//! à un serveur qui n'écoute qu'en IPv4, ses trois essais partent vers
//! `::1`, où personne ne répond, et il abandonne.
//!
//! Diagnostic attendu : `client_2_chaque_adresse` (« aucune à 127.0.0.1 »).

mod commun;

use std::net::UdpSocket;

fn main() -> anyhow::Result<()> {
    let (adresses, message, delai) = commun::arguments_du_client()?;
    // L'erreur : la première adresse, les suivantes jamais essayées.
    let serveur = adresses[0];
    let locale = if serveur.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let requete = commun::Requete {
        socket: UdpSocket::bind(locale)?,
        serveur,
        message,
        delai,
    };
    for _ in 0..commun::ESSAIS {
        requete.socket.send_to(&requete.message, requete.serveur)?;
        if let Some(compte) = commun::attendre_du_serveur(&requete)? {
            println!("réponse : {compte}");
            return Ok(());
        }
        eprintln!("pas de réponse, nouvel essai");
    }
    anyhow::bail!(
        "pas de réponse de {} après {} essais",
        requete.serveur,
        commun::ESSAIS
    )
}
