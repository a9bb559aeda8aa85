//! Règle enfreinte : R7 — une tâche par commande, au lieu d'une par client.
//!
//! Les réponses courent en parallèle vers la même socket : la plus rapide
//! passe devant, et l'ordre des commandes se perd.

mod commun;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use tokio::io::BufReader;
use tokio::net::TcpStream;
use tokio::sync::{Mutex, watch};

/// Les réponses en attente d'écriture, au plus.
const EN_VOL: usize = 8;

async fn session(service: TcpStream, _adresse: SocketAddr, _fermeture: watch::Receiver<bool>) {
    let (lecture, ecriture) = service.into_split();
    let ecriture = Arc::new(Mutex::new(ecriture));
    let mut lecteur = BufReader::new(lecture);
    let mut reponses = tokio::task::JoinSet::new();
    while let Ok(Some(commande)) = commun::lire_commande(&mut lecteur).await {
        // Le reste est juste : au plus EN_VOL réponses en attente d'écriture ;
        // au-delà, la lecture attend (la contre-pression est là).
        if reponses.len() >= EN_VOL {
            reponses.join_next().await;
        }
        let fin = commande == "fin";
        // L'erreur : chaque commande part dans sa propre tâche.
        let ecriture = Arc::clone(&ecriture);
        reponses.spawn(async move {
            let _ = commun::repondre(&mut *ecriture.lock().await, &commande).await;
        });
        if fin {
            break;
        }
    }
    while reponses.join_next().await.is_some() {}
}

fn main() -> ExitCode {
    commun::lancer(commun::Reglages::default(), session)
}
