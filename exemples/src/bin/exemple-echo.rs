//! Le service d'écho : le serveur renvoie tel quel tout ce qu'il reçoit.
//!
//! - `exemple-echo serveur [PORT]` : serveur itératif sur 127.0.0.1 (port
//!   7777 par défaut, 0 pour un port libre choisi par le système). Il sert un
//!   client après l'autre, jusqu'à ce qu'on l'arrête.
//! - `exemple-echo client PORT MESSAGE` : envoie le message, relit exactement
//!   autant d'octets qu'il en a envoyé, les affiche, puis ferme.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};

/// Port par défaut du serveur.
const PORT_PAR_DEFAUT: u16 = 7777;
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;
/// Attente maximale de l'écho, côté client.
const DELAI_CLIENT: Duration = Duration::from_secs(3);
/// Taille du tampon de réception du serveur : un message plus long est
/// simplement reçu, et renvoyé, en plusieurs fois.
const TAILLE_TAMPON: usize = 32;

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} serveur [PORT]\n        {nom} client PORT MESSAGE\n\
         Par défaut, le serveur écoute sur le port {PORT_PAR_DEFAUT}."
    )
}

fn lire_port(texte: &str) -> Result<u16, String> {
    texte
        .parse()
        .map_err(|_| format!("port invalide : « {texte} »"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let commande = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["serveur"] => Ok(serveur(PORT_PAR_DEFAUT)),
        ["serveur", port] => lire_port(port).map(serveur),
        ["client", port, message] => lire_port(port).map(|port| client(port, message)),
        _ => Err("arguments invalides".to_string()),
    };
    match commande {
        Err(message) => {
            eprintln!("erreur : {message}\n{}", usage());
            ExitCode::from(EX_USAGE)
        }
        Ok(Err(erreur)) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
        Ok(Ok(())) => ExitCode::SUCCESS,
    }
}

// ANCHOR: serveur
/// Le serveur : socket, bind, listen, puis « pour toujours » : accept,
/// dialogue, fermeture.
fn serveur(port: u16) -> Result<()> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .with_context(|| format!("impossible d'écouter sur le port {port}"))?;
    let port = ecoute.local_addr().context("adresse illisible")?.port();
    println!("Serveur d'écho sur 127.0.0.1, port {port}");
    loop {
        // accept bloque jusqu'à ce qu'un client se connecte.
        let (service, client) = ecoute.accept().context("échec de accept")?;
        // Une erreur avec un client (départ brutal…) ne doit pas arrêter le
        // serveur : on la signale, et on passe au suivant.
        match renvoyer_tout(service) {
            Ok(total) => println!("{client} : {total} octets renvoyés"),
            Err(e) => eprintln!("{client} : {e:#}"),
        }
    }
}

/// Renvoie chaque morceau reçu, jusqu'à la fin du flux ; rend le total.
fn renvoyer_tout(mut service: TcpStream) -> Result<usize> {
    let mut tampon = [0u8; TAILLE_TAMPON];
    let mut total = 0;
    loop {
        // read rend ce qui est arrivé (au plus 32 octets), ou 0 quand le
        // client a fermé son sens d'émission : l'échange est fini.
        let n = service.read(&mut tampon).context("échec de la lecture")?;
        if n == 0 {
            return Ok(total);
        }
        // write_all, et non write : un write peut n'en prendre qu'une partie.
        service.write_all(&tampon[..n]).context("échec du renvoi")?;
        total += n;
    }
}
// ANCHOR_END: serveur

// ANCHOR: client
/// Le client : connect, envoi du message, lecture d'exactement autant
/// d'octets, fermeture.
fn client(port: u16, message: &str) -> Result<()> {
    let serveur = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut flux = TcpStream::connect_timeout(&serveur, DELAI_CLIENT)
        .with_context(|| format!("impossible de se connecter à {serveur}"))?;
    flux.set_read_timeout(Some(DELAI_CLIENT))
        .context("impossible de régler le délai de lecture")?;

    flux.write_all(message.as_bytes())
        .context("échec de l'envoi du message")?;
    // Rien de plus à envoyer : shutdown(Write) envoie la fin de flux au
    // serveur, qui sort de sa boucle après avoir tout renvoyé.
    flux.shutdown(Shutdown::Write)
        .context("échec de la fermeture du sens d'émission")?;

    // L'écho peut revenir en plusieurs morceaux (le serveur renvoie par
    // blocs de 32 octets) : read_exact boucle jusqu'à avoir tout.
    let mut echo = vec![0u8; message.len()];
    flux.read_exact(&mut echo).context("l'écho est incomplet")?;
    println!("Reçu : {}", String::from_utf8_lossy(&echo));
    Ok(())
}
// ANCHOR_END: client
