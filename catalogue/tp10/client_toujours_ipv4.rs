//! Règle enfreinte : R17 — ouvre toujours une socket IPv4, même quand HÔTE est une adresse IPv6 (::1).
//!
//! Erreur volontaire : la socket du client est attachée à `0.0.0.0:0` quoi
//! qu'il arrive. Avec `127.0.0.1` ou `localhost`, tout marche ; avec `::1`,
//! `send_to` échoue (une socket IPv4 n'écrit pas à une adresse IPv6) et le
//! client s'arrête sans avoir rien envoyé.
//!
//! Diagnostic attendu : `client_1_ipv6` (« sans envoyer de datagramme »).

mod commun;

use std::net::UdpSocket;

fn main() -> anyhow::Result<()> {
    let mut requetes = commun::ouvrir_client()?;
    // L'erreur : IPv4 en dur, quelle que soit l'adresse du serveur.
    for requete in &mut requetes {
        requete.socket = UdpSocket::bind("0.0.0.0:0")?;
    }
    for _ in 0..commun::ESSAIS {
        for requete in &requetes {
            if let Some(compte) = commun::essayer(requete)? {
                println!("réponse : {compte}");
                return Ok(());
            }
        }
        eprintln!("pas de réponse, nouvel essai");
    }
    anyhow::bail!(
        "pas de réponse de {} après {} essais",
        commun::adresses(&requetes),
        commun::ESSAIS
    )
}
