//! Règle enfreinte : R4 — un verrou partagé est gardé pendant toute la
//! session, y compris pendant les `.await` qui attendent le client.
//!
//! Le verrou de tokio (tokio::sync::Mutex) ne bloque aucun thread : il
//! compile, il ne fige pas le moteur… mais les clients sont servis chacun
//! leur tour, et un client silencieux fait attendre tous les autres.

mod commun;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, LazyLock};

use tokio::io::BufReader;
use tokio::net::TcpStream;
use tokio::sync::{Mutex, watch};

/// Le nombre de commandes servies, pour un journal imaginaire.
static COMMANDES: LazyLock<Arc<Mutex<u64>>> = LazyLock::new(|| Arc::new(Mutex::new(0)));

async fn session(service: TcpStream, _adresse: SocketAddr, _fermeture: watch::Receiver<bool>) {
    // L'erreur : le verrou est pris au début de la session et gardé jusqu'à
    // la fin, à travers chaque attente du client.
    let mut compte = COMMANDES.lock().await;
    let (lecture, mut ecriture) = service.into_split();
    let mut lecteur = BufReader::new(lecture);
    while let Ok(Some(commande)) = commun::lire_commande(&mut lecteur).await {
        *compte += 1;
        if commun::repondre(&mut ecriture, &commande).await.is_err() || commande == "fin" {
            break;
        }
    }
}

fn main() -> ExitCode {
    commun::lancer(commun::Reglages::default(), session)
}
