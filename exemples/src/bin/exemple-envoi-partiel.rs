//! Un envoi partiel : `write` peut accepter moins d'octets qu'on ne lui en
//! donne.
//!
//! Un écrivain veut envoyer 8 Mio à un lecteur qui, pour l'instant, ne lit
//! pas. Les octets s'entassent dans le tampon de réception du lecteur, puis
//! dans le tampon d'émission de l'écrivain ; quand les deux sont pleins, le
//! noyau ne peut plus rien prendre.
//!
//! 1. La socket de l'écrivain est mise en mode **non bloquant** : au lieu
//!    d'attendre, `write` rend aussitôt le nombre d'octets qu'il a pu
//!    prendre, bien moins que demandé. L'appel suivant échoue avec
//!    `WouldBlock` (`EAGAIN` en C) : il n'y a plus de place du tout.
//! 2. Le lecteur se met à lire. L'écrivain envoie le reste avec une boucle
//!    qui rappelle `write` tant qu'il reste des octets, et attend un peu
//!    quand le noyau n'a plus de place : chaque appel ne prend qu'une partie
//!    de ce qu'on lui donne. Sur une socket bloquante, `write_all` fait cette
//!    boucle pour nous (et c'est `write` lui-même qui attend la place).
//! 3. Sur une nouvelle connexion, la socket reste **bloquante** : un seul
//!    `write` de 8 Mio attend que le lecteur fasse de la place, et rend les
//!    8 Mio. Sous Linux, un `write` TCP bloquant ne s'arrête pas en route…
//! 4. … sauf si quelque chose l'interrompt : ici un délai d'écriture
//!    (`SO_SNDTIMEO`, `set_write_timeout`) alors que le lecteur ne lit
//!    jamais. Le `write` rend alors ce qu'il a pu copier avant l'échéance.
//!    (Un signal ferait de même ; il n'est pas montré ici.)
//!
//! Tout se passe sur 127.0.0.1, port choisi par le système ; chaque attente
//! est bornée.
//!
//! Lancement : `cargo run -p exemples --bin exemple-envoi-partiel`

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

/// Volume à envoyer : bien plus que ce que les tampons du noyau peuvent
/// contenir sur cette connexion.
const VOLUME: usize = 8 * 1024 * 1024;
/// Délai maximal de chaque lecture et de chaque écriture bloquante.
const DELAI_MAX: Duration = Duration::from_secs(10);

fn main() -> Result<()> {
    // Des octets reconnaissables, pour vérifier à l'arrivée que rien n'a été
    // perdu, dupliqué ni déplacé.
    let donnees: Vec<u8> = (0..VOLUME).map(|i| (i % 251) as u8).collect();
    non_bloquant(&donnees)?;
    bloquant(&donnees)?;
    delai_d_ecriture(&donnees)
}

/// Une connexion sur la boucle locale : l'écrivain, et le lecteur rendu par
/// `accept`, dont les lectures sont bornées.
fn connexion() -> Result<(TcpStream, TcpStream)> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'ouvrir une socket d'écoute sur 127.0.0.1")?;
    let adresse = ecoute.local_addr().context("adresse illisible")?;
    let ecrivain =
        TcpStream::connect(adresse).with_context(|| format!("connexion à {adresse} impossible"))?;
    let (lecteur, _) = ecoute.accept().context("échec de accept")?;
    lecteur
        .set_read_timeout(Some(DELAI_MAX))
        .context("impossible de régler le délai de lecture")?;
    Ok((ecrivain, lecteur))
}

/// Un lecteur qui attend `pause`, puis lit jusqu'à la fin du flux.
fn lire_apres(mut lecteur: TcpStream, pause: Duration) -> thread::JoinHandle<Result<Vec<u8>>> {
    thread::spawn(move || -> Result<Vec<u8>> {
        thread::sleep(pause);
        let mut recu = Vec::with_capacity(VOLUME);
        lecteur
            .read_to_end(&mut recu)
            .context("échec de la lecture")?;
        Ok(recu)
    })
}

/// Parties 1 et 2 : `write` non bloquant, puis la boucle qui envoie le reste.
fn non_bloquant(donnees: &[u8]) -> Result<()> {
    let (mut ecrivain, lecteur) = connexion()?;

    println!("1. Le lecteur ne lit pas ; l'écrivain est en mode non bloquant.");
    // ANCHOR: envoi_partiel
    ecrivain
        .set_nonblocking(true)
        .context("impossible de passer en mode non bloquant")?;
    // Un seul write pour 8 Mio : le noyau copie dans le tampon d'émission ce
    // qui y tient, et rend ce nombre. Ce n'est pas une erreur.
    let accepte = ecrivain.write(donnees).context("échec du premier write")?;
    println!("   write({VOLUME} octets) → {accepte} octets acceptés");
    // Tout de suite après, il n'y a plus de place du tout : en mode non
    // bloquant, write échoue avec WouldBlock au lieu d'attendre.
    match ecrivain.write(&donnees[accepte..]) {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {
            println!("   write(reste) → WouldBlock (EAGAIN) : tampons pleins");
        }
        Ok(n) => println!("   write(reste) → encore {n} octets acceptés"),
        Err(e) => return Err(e).context("échec du second write"),
    }
    // ANCHOR_END: envoi_partiel
    if accepte >= VOLUME {
        bail!("le noyau a tout accepté d'un coup : la démonstration n'a rien montré");
    }

    println!("2. Le lecteur lit ; l'écrivain boucle jusqu'au dernier octet.");
    // Lire jusqu'à la fin du flux : l'écrivain fermera après le dernier octet.
    let fil_lecteur = lire_apres(lecteur, Duration::ZERO);

    let bilan = envoyer_le_reste(&mut ecrivain, donnees, accepte)?;
    println!(
        "   le reste est parti en {} appels à write, dont le plus gros a pris {} octets",
        bilan.appels, bilan.plus_gros
    );
    println!(
        "   entre-temps, {} appels ont rendu WouldBlock : il fallait attendre le lecteur",
        bilan.refus
    );
    // Fermer : le lecteur verra la fin du flux après le dernier octet.
    drop(ecrivain);

    let recu = fil_lecteur
        .join()
        .map_err(|_| anyhow!("le thread lecteur a paniqué"))??;
    println!("   le lecteur a reçu {} octets sur {VOLUME}", recu.len());
    if recu == donnees {
        println!("   Bilan : tous les octets sont arrivés, dans l'ordre.");
    } else {
        bail!("les octets reçus diffèrent des octets envoyés");
    }
    Ok(())
}

/// Partie 3 : un seul `write` bloquant, qui attend le lecteur et prend tout.
fn bloquant(donnees: &[u8]) -> Result<()> {
    println!("3. Socket bloquante : le lecteur ne commence à lire qu'après 200 ms.");
    let (mut ecrivain, lecteur) = connexion()?;
    let fil_lecteur = lire_apres(lecteur, Duration::from_millis(200));
    // ANCHOR: bloquant
    // Socket bloquante, sans délai d'écriture : quand les tampons sont
    // pleins, le noyau endort l'écrivain jusqu'à ce que le lecteur fasse de
    // la place, puis continue la copie. Sous Linux, write ne rend la main
    // qu'une fois tous les octets copiés.
    let debut = Instant::now();
    let accepte = ecrivain.write(donnees).context("échec du write bloquant")?;
    println!(
        "   write({VOLUME} octets) → {accepte} octets acceptés, après {} ms d'attente",
        debut.elapsed().as_millis()
    );
    // ANCHOR_END: bloquant
    drop(ecrivain);
    let recu = fil_lecteur
        .join()
        .map_err(|_| anyhow!("le thread lecteur a paniqué"))??;
    if accepte != VOLUME || recu.len() != VOLUME {
        bail!(
            "write bloquant : {accepte} octets acceptés, {} reçus",
            recu.len()
        );
    }
    Ok(())
}

/// Partie 4 : un délai d'écriture coupe un `write` bloquant en route.
fn delai_d_ecriture(donnees: &[u8]) -> Result<()> {
    println!("4. Socket bloquante avec un délai d'écriture de 200 ms ; le lecteur ne lit pas.");
    // Le lecteur reste ouvert (sinon l'écrivain recevrait une erreur), mais
    // ne lit jamais.
    let (mut ecrivain, _lecteur) = connexion()?;
    // ANCHOR: delai
    // SO_SNDTIMEO : au bout de 200 ms d'attente, write abandonne. S'il a déjà
    // copié des octets, il rend leur nombre (un envoi partiel) ; sinon, il
    // échoue avec WouldBlock (EAGAIN).
    ecrivain
        .set_write_timeout(Some(Duration::from_millis(200)))
        .context("impossible de régler le délai d'écriture")?;
    let accepte = ecrivain.write(donnees).context("échec du write")?;
    println!("   write({VOLUME} octets) → {accepte} octets acceptés : le délai a coupé l'envoi");
    // ANCHOR_END: delai
    if accepte == 0 || accepte >= VOLUME {
        bail!("le délai d'écriture n'a pas produit d'envoi partiel ({accepte} octets)");
    }
    Ok(())
}

/// Ce qu'a coûté l'envoi du reste.
struct Bilan {
    /// Appels à `write` qui ont pris des octets.
    appels: usize,
    /// Appels à `write` refusés faute de place (`WouldBlock`).
    refus: usize,
    /// Le plus grand nombre d'octets pris par un seul appel.
    plus_gros: usize,
}

// ANCHOR: boucle
/// Envoie `donnees[deja..]` sur une socket non bloquante, en rappelant
/// `write` tant qu'il reste des octets.
fn envoyer_le_reste(flux: &mut TcpStream, donnees: &[u8], deja: usize) -> Result<Bilan> {
    let limite = Instant::now() + DELAI_MAX;
    let mut envoye = deja;
    let mut bilan = Bilan {
        appels: 0,
        refus: 0,
        plus_gros: 0,
    };
    while envoye < donnees.len() {
        match flux.write(&donnees[envoye..]) {
            // Le noyau a pris n octets, peut-être bien moins que demandé :
            // on avance d'autant, et on recommence avec la suite.
            Ok(0) => bail!("la connexion n'accepte plus rien après {envoye} octets"),
            Ok(n) => {
                envoye += n;
                bilan.appels += 1;
                bilan.plus_gros = bilan.plus_gros.max(n);
            }
            // Plus de place pour l'instant : attendre un peu que le lecteur
            // vide son tampon. (Un vrai programme attendrait avec poll,
            // voir le TP13, plutôt que de dormir.)
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                if Instant::now() > limite {
                    bail!("le lecteur ne fait plus de place après {envoye} octets");
                }
                bilan.refus += 1;
                thread::sleep(Duration::from_millis(1));
            }
            Err(e) => return Err(e).with_context(|| format!("échec après {envoye} octets")),
        }
    }
    Ok(bilan)
}
// ANCHOR_END: boucle
