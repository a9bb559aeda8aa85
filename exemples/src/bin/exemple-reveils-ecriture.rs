//! Combien de réveils « prêt en écriture » coûte un abonnement permanent ?
//!
//! Cet exemple accompagne le TP13. Une socket TCP non bloquante est
//! enregistrée auprès de `mio` pour la lecture **et** l'écriture, une fois
//! pour toutes, comme le ferait un serveur qui ne se désabonne jamais de
//! `WRITABLE`. `mio` utilise `epoll` en mode front (*edge-triggered*) sous
//! Linux. On compte ensuite les réveils « prêt en écriture » :
//!
//! 1. à l'enregistrement : la socket a de la place, un réveil ;
//! 2. pendant 200 envois de 100 octets, chacun lu et acquitté par le pair :
//!    le tampon d'émission ne se remplit jamais, et Linux ne réveille pas à
//!    chaque accusé de réception ;
//! 3. après avoir rempli le tampon (`WouldBlock`) puis laissé le pair le
//!    vider : là, un réveil, parce que la socket est repassée de « pleine »
//!    à « a de la place ».
//!
//! Tout se passe sur 127.0.0.1, port choisi par le système ; chaque attente
//! est bornée.
//!
//! Lancement : `cargo run -p exemples --bin exemple-reveils-ecriture`

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

/// Le nombre d'envois de la deuxième partie.
const ENVOIS: usize = 200;
/// L'attente de chaque `poll` : de quoi laisser arriver un réveil éventuel.
const ATTENTE: Duration = Duration::from_millis(10);
/// Attente maximale de chaque lecture du pair.
const DELAI_MAX: Duration = Duration::from_secs(10);
/// L'identifiant de la socket auprès de `mio`.
const SOCKET: Token = Token(0);

fn main() -> Result<()> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'ouvrir une socket d'écoute sur 127.0.0.1")?;
    let adresse = ecoute.local_addr().context("adresse illisible")?;
    let ecrivain = std::net::TcpStream::connect(adresse)
        .with_context(|| format!("connexion à {adresse} impossible"))?;
    let (mut pair, _) = ecoute.accept().context("échec de accept")?;
    pair.set_read_timeout(Some(DELAI_MAX))
        .context("impossible de régler le délai de lecture")?;
    ecrivain
        .set_nonblocking(true)
        .context("impossible de passer en mode non bloquant")?;
    let mut ecrivain = TcpStream::from_std(ecrivain);

    let mut poll = Poll::new().context("impossible de créer le Poll")?;
    let mut evenements = Events::with_capacity(16);
    // ANCHOR: abonnement
    // L'abonnement permanent : lecture et écriture, dès l'enregistrement.
    poll.registry()
        .register(
            &mut ecrivain,
            SOCKET,
            Interest::READABLE | Interest::WRITABLE,
        )
        .context("échec de l'enregistrement")?;
    // ANCHOR_END: abonnement
    let au_debut = reveils_en_ecriture(&mut poll, &mut evenements)?;
    println!("1. À l'enregistrement : {au_debut} réveil(s) « prêt en écriture »");

    let mut pendant = 0;
    let mut tampon = [0u8; 1024];
    for _ in 0..ENVOIS {
        ecrivain
            .write_all(&[b'x'; 100])
            .context("échec d'un envoi")?;
        // Le pair lit tout : les octets sont acquittés, la place libérée.
        pair.read_exact(&mut tampon[..100])
            .context("le pair n'a pas tout reçu")?;
        pendant += reveils_en_ecriture(&mut poll, &mut evenements)?;
    }
    println!(
        "2. {ENVOIS} envois de 100 octets, lus et acquittés : {pendant} réveil(s) « prêt en écriture »"
    );

    // Remplir le tampon jusqu'à WouldBlock, puis laisser le pair le vider.
    let mut envoye = 0usize;
    let limite = Instant::now() + DELAI_MAX;
    loop {
        match ecrivain.write(&[b'y'; 65536]) {
            Ok(n) => envoye += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) => return Err(e).context("échec du remplissage"),
        }
        if Instant::now() > limite {
            bail!("le tampon ne se remplit pas");
        }
    }
    let mut lu = 0;
    while lu < envoye {
        lu += pair
            .read(&mut tampon)
            .context("le pair ne vide pas le tampon")?;
    }
    let apres = reveils_en_ecriture(&mut poll, &mut evenements)?;
    println!(
        "3. Tampon rempli ({envoye} octets, puis WouldBlock), puis vidé par le pair : \
         {apres} réveil(s) « prêt en écriture »"
    );
    Ok(())
}

/// Les réveils « prêt en écriture » arrivés pendant `ATTENTE`.
fn reveils_en_ecriture(poll: &mut Poll, evenements: &mut Events) -> Result<usize> {
    poll.poll(evenements, Some(ATTENTE))
        .context("échec de poll")?;
    Ok(evenements
        .iter()
        .filter(|e| e.token() == SOCKET && e.is_writable())
        .count())
}
