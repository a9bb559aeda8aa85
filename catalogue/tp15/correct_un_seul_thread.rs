//! Variante correcte : un moteur à un seul thread (current_thread), et une
//! session qui lit par morceaux dans son propre tampon, sans BufReader.
//!
//! Tout tient dans un thread, comme au TP13 : c'est possible parce qu'aucune
//! tâche n'attend autrement qu'avec .await.

mod commun;

use std::net::SocketAddr;
use std::process::ExitCode;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;

async fn session(
    mut service: TcpStream,
    adresse: SocketAddr,
    mut fermeture: watch::Receiver<bool>,
) {
    let mut recus: Vec<u8> = Vec::new();
    let mut morceau = [0u8; 512];
    loop {
        // Les commandes entières déjà reçues, une à une.
        while let Some(commande) = commun::extraire_commande(&mut recus) {
            let Ok(commande) = commande else {
                eprintln!("erreur avec {adresse} : pas de l'UTF-8");
                return;
            };
            if service
                .write_all(commun::reponse(&commande).as_bytes())
                .await
                .is_err()
                || commande == "fin"
            {
                return;
            }
        }
        if recus.len() >= commun::LONGUEUR_MAX as usize {
            eprintln!("erreur avec {adresse} : commande trop longue");
            return;
        }
        let lus = tokio::select! {
            lus = service.read(&mut morceau) => lus,
            _ = fermeture.changed() => return,
        };
        match lus {
            Ok(0) | Err(_) => return,
            Ok(n) => recus.extend_from_slice(&morceau[..n]),
        }
    }
}

fn main() -> ExitCode {
    let reglages = commun::Reglages {
        un_seul_thread: true,
        ..Default::default()
    };
    commun::lancer(reglages, session)
}
