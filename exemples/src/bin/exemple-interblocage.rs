//! Deux interblocages classiques, et leur remède.
//!
//! Un interblocage : deux programmes attendent chacun quelque chose de
//! l'autre, et aucun ne peut avancer. Rien ne plante, rien ne s'affiche ; le
//! noyau ne voit que deux processus endormis. L'exemple monte deux cas sur
//! 127.0.0.1, dans deux threads qui jouent le client et le serveur, avec des
//! délais pour que l'attente finisse :
//!
//! 1. **chacun attend que l'autre parle** : les deux commencent par lire ;
//! 2. **chacun parle sans écouter** : les deux envoient un gros message
//!    avant de lire celui de l'autre ; les tampons se remplissent, et les deux
//!    `write` attendent une place qui ne se libérera jamais.
//!
//! Puis le remède du second cas : envoyer et recevoir en même temps, dans
//! deux threads.
//!
//! Lancement : `cargo run -p exemples --bin exemple-interblocage`

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

/// Délai au bout duquel on déclare l'attente sans issue.
const DELAI: Duration = Duration::from_millis(500);
/// Taille du « gros message » du cas 2 : plus que tous les tampons réunis.
const GROS: usize = 16 * 1024 * 1024;

fn main() -> Result<()> {
    println!("Cas 1 — les deux lisent d'abord");
    // Chaque thread garde sa socket jusqu'à la fin du cas : si l'un fermait
    // dès son délai écoulé, l'autre verrait la fin du flux et se débloquerait.
    let (mut client, serveur) = connexion()?;
    let fil = thread::spawn(move || {
        let mut serveur = serveur;
        (lire_d_abord("serveur", &mut serveur), serveur)
    });
    let client = lire_d_abord("client", &mut client);
    let (serveur, _socket) = rejoindre(fil)?;
    if client.is_ok() || serveur.is_ok() {
        bail!("cas 1 : l'un des deux aurait dû rester bloqué");
    }
    println!("  Bilan : interblocage ; chacun attendait que l'autre parle.\n");

    println!("Cas 2 — les deux écrivent {} Mio avant de lire", GROS >> 20);
    let (mut client, serveur) = connexion()?;
    let fil = thread::spawn(move || {
        let mut serveur = serveur;
        (ecrire_puis_lire("serveur", &mut serveur), serveur)
    });
    let client = ecrire_puis_lire("client", &mut client);
    let (serveur, _socket) = rejoindre(fil)?;
    if client.is_ok() || serveur.is_ok() {
        bail!("cas 2 : l'un des deux aurait dû rester bloqué");
    }
    println!("  Bilan : interblocage ; les tampons sont pleins dans les deux sens.\n");

    println!("Cas 2 corrigé — chacun lit dans un thread pendant qu'il écrit");
    let (client, serveur) = connexion()?;
    let fil = thread::spawn(move || ecrire_et_lire("serveur", serveur));
    ecrire_et_lire("client", client)?;
    rejoindre(fil)??;
    println!("  Bilan : les deux messages sont passés.");
    Ok(())
}

/// Une connexion TCP sur 127.0.0.1 : (client, socket de service du serveur).
/// Chaque lecture et chaque écriture a un délai maximal.
fn connexion() -> Result<(TcpStream, TcpStream)> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'ouvrir une socket d'écoute")?;
    let adresse = ecoute.local_addr().context("adresse illisible")?;
    let client = TcpStream::connect(adresse).context("connexion impossible")?;
    let (serveur, _) = ecoute.accept().context("échec de accept")?;
    for flux in [&client, &serveur] {
        flux.set_read_timeout(Some(DELAI))
            .context("impossible de régler le délai de lecture")?;
        flux.set_write_timeout(Some(DELAI))
            .context("impossible de régler le délai d'écriture")?;
    }
    Ok((client, serveur))
}

/// Attend la fin d'un thread et rend son résultat.
fn rejoindre<T>(fil: thread::JoinHandle<T>) -> Result<T> {
    fil.join().map_err(|_| anyhow!("un thread a paniqué"))
}

/// Vrai si l'erreur signale un délai dépassé (EAGAIN ou ETIMEDOUT).
fn delai_depasse(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

// ANCHOR: lire_d_abord
/// Cas 1 : attendre la bienvenue de l'autre avant de dire quoi que ce soit.
fn lire_d_abord(qui: &str, flux: &mut TcpStream) -> Result<()> {
    let mut tampon = [0u8; 100];
    match flux.read(&mut tampon) {
        Ok(n) => {
            flux.write_all(b"bonjour\n")?;
            println!("  {qui} : reçu {n} octets");
            Ok(())
        }
        Err(e) if delai_depasse(&e) => {
            println!(
                "  {qui} : bloqué dans read, rien reçu en {} ms",
                DELAI.as_millis()
            );
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}
// ANCHOR_END: lire_d_abord

// ANCHOR: ecrire_puis_lire
/// Cas 2 : tout envoyer, puis seulement lire ce que l'autre envoie.
fn ecrire_puis_lire(qui: &str, flux: &mut TcpStream) -> Result<()> {
    let message = vec![b'x'; GROS];
    let mut envoye = 0;
    while envoye < message.len() {
        match flux.write(&message[envoye..]) {
            Ok(n) => envoye += n,
            Err(e) if delai_depasse(&e) => {
                println!(
                    "  {qui} : bloqué dans write après {} Kio envoyés",
                    envoye >> 10
                );
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        }
    }
    // Jamais atteint ici : l'autre n'a pas lu, il est lui-même dans write.
    let mut recu = Vec::new();
    flux.read_to_end(&mut recu)?;
    Ok(())
}
// ANCHOR_END: ecrire_puis_lire

// ANCHOR: ecrire_et_lire
/// Le remède : un thread lit pendant que l'autre écrit. Les tampons se
/// vident au fur et à mesure, et aucun write n'attend plus indéfiniment.
fn ecrire_et_lire(qui: &str, flux: TcpStream) -> Result<()> {
    let mut lecteur = flux
        .try_clone()
        .context("impossible de dupliquer la socket")?;
    let lecture = thread::spawn(move || -> Result<usize> {
        let mut recu = vec![0u8; GROS];
        lecteur.read_exact(&mut recu).context("message incomplet")?;
        Ok(recu.len())
    });
    let mut ecrivain = &flux;
    ecrivain
        .write_all(&vec![b'x'; GROS])
        .context("échec de l'envoi")?;
    let recu = rejoindre(lecture)??;
    println!(
        "  {qui} : {} Mio envoyés, {} Mio reçus",
        GROS >> 20,
        recu >> 20
    );
    Ok(())
}
// ANCHOR_END: ecrire_et_lire
