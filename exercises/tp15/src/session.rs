//! La session d'un client, dans sa propre tâche : lire une commande,
//! répondre, recommencer, jusqu'à « fin », la fin du flux, une erreur de ce
//! client, ou la fermeture du bar.
//!
//! Une tâche n'attend qu'avec `.await` sur les opérations de tokio : une
//! lecture de la bibliothèque standard, un `thread::sleep` ou un verrou
//! gardé pendant l'attente retiendraient un thread du moteur, et les autres
//! clients avec lui.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, unused_mut, dead_code)]

use std::net::SocketAddr;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::watch;

/// Longueur maximale d'une commande, `\n` compris.
const LONGUEUR_MAX: u64 = 1024;

/// Sert un client jusqu'à son départ (fourni). Une erreur de ce client ne
/// termine que sa tâche.
pub async fn servir(service: TcpStream, adresse: SocketAddr, fermeture: watch::Receiver<bool>) {
    if let Err(erreur) = dialoguer(service, adresse, fermeture).await {
        eprintln!("erreur avec {adresse} : {erreur:#}");
    }
    println!("Client parti : {adresse}");
}

/// Étape 3 : une commande, une réponse, dans l'ordre, jusqu'à « fin », la
/// fin du flux ou la fermeture du bar.
async fn dialoguer(
    service: TcpStream,
    adresse: SocketAddr,
    mut fermeture: watch::Receiver<bool>,
) -> Result<()> {
    // service.into_split() donne une moitié pour lire (à mettre dans UN
    // BufReader pour toute la session) et une pour écrire. Dans la boucle,
    // tokio::select! attend à la fois lire_commande(…) et fermeture.changed().
    todo!("Étape 3 : répondre à chaque commande, jusqu'à « fin » ou la fin du flux")
}

/// Étape 3 : lit une commande terminée par `\n` et la rend sans lui (ni un
/// `\r` final) ; `None` à la fin du flux, ou si le flux finit au milieu
/// d'une ligne. Au plus LONGUEUR_MAX octets (AsyncReadExt::take) : au-delà,
/// une erreur. Des octets qui ne sont pas de l'UTF-8 : une erreur.
async fn lire_commande(lecteur: &mut (impl AsyncBufRead + Unpin)) -> Result<Option<String>> {
    todo!("Étape 3 : lire une commande d'au plus 1024 octets, jusqu'au « \\n »")
}

/// Étape 3 : la réponse du bar, en une seule écriture :
/// « vous m'avez demandé : COMMANDE bien reçu 5 / 5\n ».
async fn repondre(ecriture: &mut OwnedWriteHalf, commande: &str) -> Result<()> {
    todo!("Étape 3 : envoyer la réponse à la commande")
}
