//! Pas une erreur : le bar d'un étudiant qui a fini les étapes 1 et 2. Il
//! écoute, annonce chaque client et lance sa tâche ; la tâche s'arrête
//! aussitôt sur le `todo!()` de l'étape 3 (une tâche qui panique n'arrête
//! pas le moteur).
//! Attendu : `serveur_1_ecoute` et `serveur_2_accueil` réussissent,
//! `serveur_3_commandes` échoue sur le `todo!()`.

mod commun;

use std::net::SocketAddr;
use std::process::ExitCode;

use tokio::net::TcpStream;
use tokio::sync::watch;

async fn session(_service: TcpStream, _adresse: SocketAddr, _fermeture: watch::Receiver<bool>) {
    todo!("Étape 3 : répondre à chaque commande, jusqu'à « fin » ou la fin du flux")
}

fn main() -> ExitCode {
    commun::lancer(commun::Reglages::default(), session)
}
