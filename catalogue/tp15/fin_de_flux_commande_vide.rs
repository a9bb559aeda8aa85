//! Règle enfreinte : R3 — la fin du flux est prise pour une commande vide.
//!
//! Le client qui ferme sans dire « fin » reçoit encore une réponse à une
//! commande qu'il n'a jamais envoyée.

mod commun;

use std::net::SocketAddr;
use std::process::ExitCode;

use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::watch;

async fn session(service: TcpStream, _adresse: SocketAddr, _fermeture: watch::Receiver<bool>) {
    let (lecture, mut ecriture) = service.into_split();
    let mut lecteur = BufReader::new(lecture);
    loop {
        let mut octets = Vec::new();
        let Ok(lus) = tokio::io::AsyncBufReadExt::read_until(
            &mut (&mut lecteur).take(commun::LONGUEUR_MAX),
            b'\n',
            &mut octets,
        )
        .await
        else {
            return;
        };
        // L'erreur : 0 octet lu (la fin du flux) passe pour une commande vide.
        let commande = String::from_utf8_lossy(&octets).trim_end().to_string();
        let _ = ecriture
            .write_all(commun::reponse(&commande).as_bytes())
            .await;
        if lus == 0 || commande == "fin" {
            return;
        }
    }
}

fn main() -> ExitCode {
    commun::lancer(commun::Reglages::default(), session)
}
