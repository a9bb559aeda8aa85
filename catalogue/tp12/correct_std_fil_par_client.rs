//! Variante correcte : std::net seul (TcpListener::bind, sans socket2), un fil par client, client qui essaie chaque adresse, lecture bornée par Read::take, compteur sous Mutex.
//!
//! La construction des programmes du catalogue, sans erreur : elle diffère
//! du corrigé par la création de la socket d'écoute (TcpListener::bind
//! règle SO_REUSEADDR lui-même) et par le découpage des fichiers.

mod commun;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};

/// Le client : chaque adresse du nom essayée tour à tour, un BufReader pour
/// les réponses.
fn client() -> anyhow::Result<()> {
    let hote = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "localhost".into());
    let port: u16 = std::env::args().nth(3).map_or(Ok(1664), |p| p.parse())?;
    let flux = (hote.as_str(), port)
        .to_socket_addrs()?
        .find_map(|adresse| TcpStream::connect(adresse).ok())
        .ok_or_else(|| anyhow::anyhow!("aucune adresse de {hote} ne répond"))?;
    println!("Connecté au bar {}", flux.peer_addr()?);
    let mut reponses = BufReader::new(&flux);
    for ligne in std::io::stdin().lock().lines() {
        let commande = ligne?;
        (&flux).write_all(format!("{commande}\n").as_bytes())?;
        let mut reponse = String::new();
        if reponses.read_line(&mut reponse)? == 0 {
            anyhow::bail!("le bar a fermé la connexion sans répondre");
        }
        println!("{}", reponse.trim_end_matches('\n'));
        if commande == "fin" {
            break;
        }
    }
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}

fn main() -> anyhow::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("client") {
        return client();
    }
    let (ecoute, max) = commun::ouvrir()?;
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        commun::executant(service, adresse, place, commun::session_juste)
    });
    Ok(())
}
