//! Règle enfreinte : R5 — la tâche lit avec la bibliothèque standard, une
//! lecture bloquante.
//!
//! Chaque client silencieux retient un thread du moteur ; quand il y a
//! autant de clients silencieux que de threads (un par cœur), plus rien
//! n'avance, pas même l'accueil.

mod commun;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use tokio::net::TcpStream;
use tokio::sync::watch;

async fn session(service: TcpStream, _adresse: SocketAddr, _fermeture: watch::Receiver<bool>) {
    // L'erreur : la socket repasse en mode bloquant, et read_until attend
    // dans le thread du moteur au lieu de rendre la main avec .await.
    let Ok(flux) = service.into_std() else { return };
    if flux.set_nonblocking(false).is_err() {
        return;
    }
    let mut lecteur = BufReader::new(&flux);
    loop {
        let mut octets = Vec::new();
        match (&mut lecteur)
            .take(commun::LONGUEUR_MAX)
            .read_until(b'\n', &mut octets)
        {
            Ok(_) if octets.pop() == Some(b'\n') => {}
            _ => return,
        }
        let commande = String::from_utf8_lossy(&octets)
            .trim_end_matches('\r')
            .to_string();
        if (&flux)
            .write_all(commun::reponse(&commande).as_bytes())
            .is_err()
            || commande == "fin"
        {
            return;
        }
    }
}

fn main() -> ExitCode {
    commun::lancer(commun::Reglages::default(), session)
}
