//! Règle enfreinte : R6 — les réponses passent par un canal sans limite vers
//! une tâche d'écriture : quand le client ne lit pas, elles s'accumulent en
//! mémoire, et la tâche de lecture continue d'avaler ses commandes.

mod commun;

use std::net::SocketAddr;
use std::process::ExitCode;

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};

async fn session(service: TcpStream, _adresse: SocketAddr, _fermeture: watch::Receiver<bool>) {
    let (lecture, mut ecriture) = service.into_split();
    // L'erreur : unbounded_channel ne refuse jamais rien ; le lecteur n'attend
    // jamais l'écrivain.
    let (envoi, mut reponses) = mpsc::unbounded_channel::<String>();
    let ecrivain = tokio::spawn(async move {
        while let Some(reponse) = reponses.recv().await {
            if ecriture.write_all(reponse.as_bytes()).await.is_err() {
                return;
            }
        }
    });
    let mut lecteur = BufReader::new(lecture);
    while let Ok(Some(commande)) = commun::lire_commande(&mut lecteur).await {
        if envoi.send(commun::reponse(&commande)).is_err() || commande == "fin" {
            break;
        }
    }
    drop(envoi);
    let _ = ecrivain.await;
}

fn main() -> ExitCode {
    commun::lancer(commun::Reglages::default(), session)
}
