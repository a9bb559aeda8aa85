//! Règle enfreinte : R5 — la tâche lit avec la bibliothèque standard, une
//! lecture bloquante.
//!
//! Chaque client silencieux retient un thread du moteur ; quand il y a
//! autant de clients silencieux que de threads (un par cœur), plus rien
//! n'avance, pas même l'accueil.

mod commun;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::process::ExitCode;

use tokio::net::TcpStream;
use tokio::sync::watch;

async fn session(service: TcpStream, adresse: SocketAddr, mut fermeture: watch::Receiver<bool>) {
    // L'erreur : la socket repasse en mode bloquant, et la session la lit
    // dans le thread du moteur au lieu de rendre la main avec .await.
    let Ok(flux) = service.into_std() else { return };
    if flux.set_nonblocking(false).is_err() {
        return;
    }
    // Le reste est juste : à la fermeture du bar, une tâche à part coupe la
    // connexion, ce qui réveille la lecture bloquée.
    let Ok(a_couper) = flux.try_clone() else {
        return;
    };
    let guet = tokio::spawn(async move {
        if fermeture.changed().await.is_ok() {
            let _ = a_couper.shutdown(Shutdown::Both);
        }
    });
    // Laisse le guet s'inscrire auprès du signal avant que ce thread ne se
    // bloque : sinon il attendrait, derrière la session, dans la file de ce
    // même thread.
    tokio::task::yield_now().await;
    servir(&flux, adresse);
    // La session finie, le guet lâche sa copie : la socket se ferme.
    guet.abort();
}

/// Une commande, une réponse, avec les appels bloquants de la bibliothèque
/// standard.
fn servir(flux: &std::net::TcpStream, adresse: SocketAddr) {
    let mut lecteur = BufReader::new(flux);
    loop {
        let mut octets = Vec::new();
        match (&mut lecteur)
            .take(commun::LONGUEUR_MAX)
            .read_until(b'\n', &mut octets)
        {
            Ok(_) if octets.pop() == Some(b'\n') => {}
            _ => return,
        }
        if octets.last() == Some(&b'\r') {
            octets.pop();
        }
        let Ok(commande) = String::from_utf8(octets) else {
            eprintln!("erreur avec {adresse} : pas de l'UTF-8");
            return;
        };
        if (&*flux)
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
