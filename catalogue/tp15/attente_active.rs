//! Règle enfreinte : R8 — la session guette son client avec try_read et
//! yield_now, sans jamais attendre pour de bon : au repos, le bar tourne.

mod commun;

use std::net::SocketAddr;
use std::process::ExitCode;

use tokio::net::TcpStream;
use tokio::sync::watch;

async fn session(service: TcpStream, adresse: SocketAddr, _fermeture: watch::Receiver<bool>) {
    let mut recus: Vec<u8> = Vec::new();
    let mut morceau = [0u8; 1024];
    loop {
        // L'erreur : try_read rend WouldBlock tout de suite, et yield_now
        // rend la tâche aussitôt prête : elle tourne sans fin.
        match service.try_read(&mut morceau) {
            Ok(0) => return,
            Ok(n) => recus.extend_from_slice(&morceau[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                tokio::task::yield_now().await;
                continue;
            }
            Err(_) => return,
        }
        while let Some(commande) = commun::extraire_commande(&mut recus) {
            let Ok(commande) = commande else {
                eprintln!("erreur avec {adresse} : pas de l'UTF-8");
                return;
            };
            let reponse = commun::reponse(&commande);
            let mut ecrits = 0;
            while ecrits < reponse.len() {
                match service.try_write(&reponse.as_bytes()[ecrits..]) {
                    Ok(n) => ecrits += n,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        tokio::task::yield_now().await
                    }
                    Err(_) => return,
                }
            }
            if commande == "fin" {
                return;
            }
        }
        // Le reste est juste : plus de 1024 octets sans « \n », la session
        // s'arrête.
        if recus.len() >= commun::LONGUEUR_MAX as usize {
            eprintln!("erreur avec {adresse} : commande trop longue");
            return;
        }
    }
}

fn main() -> ExitCode {
    commun::lancer(commun::Reglages::default(), session)
}
