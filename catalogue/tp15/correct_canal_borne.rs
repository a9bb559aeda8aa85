//! Variante correcte : une tâche d'écriture par client, nourrie par un canal
//! borné (mpsc::channel(8)). Quand le client ne lit pas, le canal se
//! remplit, `send(…).await` attend, et la lecture s'arrête : la
//! contre-pression est là, et l'ordre des réponses aussi (un seul écrivain).

mod commun;

use std::net::SocketAddr;
use std::process::ExitCode;

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};

async fn session(service: TcpStream, adresse: SocketAddr, mut fermeture: watch::Receiver<bool>) {
    let (lecture, mut ecriture) = service.into_split();
    let (envoi, mut reponses) = mpsc::channel::<String>(8);
    let ecrivain = tokio::spawn(async move {
        while let Some(reponse) = reponses.recv().await {
            if ecriture.write_all(reponse.as_bytes()).await.is_err() {
                return;
            }
        }
    });
    let mut lecteur = BufReader::new(lecture);
    loop {
        let commande = tokio::select! {
            commande = commun::lire_commande(&mut lecteur) => commande,
            _ = fermeture.changed() => break,
        };
        match commande {
            Ok(Some(commande)) => {
                if envoi.send(commun::reponse(&commande)).await.is_err() || commande == "fin" {
                    break;
                }
            }
            Ok(None) => break,
            Err(erreur) => {
                eprintln!("erreur avec {adresse} : {erreur}");
                break;
            }
        }
    }
    // L'écrivain finit d'envoyer ce qui reste, puis la socket se ferme.
    drop(envoi);
    let _ = ecrivain.await;
}

fn main() -> ExitCode {
    commun::lancer(commun::Reglages::default(), session)
}
