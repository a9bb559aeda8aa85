//! Cinq appels qui bloquent, et le délai qui les débloque.
//!
//! Pour chaque appel bloquant du cours, l'exemple monte la situation qui le
//! fait attendre, sur 127.0.0.1 : `accept` sans client, `connect` vers un
//! serveur dont la file d'attente est pleine, `read` sans données, `write`
//! vers un pair qui ne lit pas, `recv_from` sans datagramme. Chaque appel a
//! reçu un délai maximal : au lieu d'attendre pour toujours, il échoue au
//! bout de ce délai, et l'exemple mesure combien de temps il a attendu.
//!
//! Lancement : `cargo run -p exemples --bin exemple-appels-bloquants`

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use socket2::{Domain, SockRef, Socket, Type};

/// Le délai donné à chaque appel bloquant.
const DELAI: Duration = Duration::from_millis(300);

fn main() -> Result<()> {
    println!("Chaque appel reçoit un délai de {} ms.", DELAI.as_millis());
    bloque_dans_accept()?;
    bloque_dans_connect()?;
    bloque_dans_read()?;
    bloque_dans_write()?;
    bloque_dans_recv_from()?;
    Ok(())
}

/// Exécute un appel bloquant, mesure son attente et vérifie qu'il s'est
/// arrêté parce que le délai était dépassé.
fn mesurer<T>(
    appel: &str,
    situation: &str,
    operation: impl FnOnce() -> io::Result<T>,
) -> Result<()> {
    let debut = Instant::now();
    let resultat = operation();
    let attente = debut.elapsed().as_millis();
    match resultat {
        // Selon l'appel, le noyau signale le délai dépassé par EAGAIN
        // (WouldBlock) ou par ETIMEDOUT (TimedOut).
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            println!("{appel:<10} {situation} : délai dépassé au bout de {attente} ms");
            Ok(())
        }
        Err(e) => bail!("{appel} : erreur inattendue : {e}"),
        Ok(_) => bail!("{appel} : l'appel aurait dû bloquer, il a réussi"),
    }
}

/// Une socket d'écoute TCP sur 127.0.0.1, port choisi par le système.
fn ecoute() -> Result<(TcpListener, SocketAddr)> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'ouvrir une socket d'écoute")?;
    let adresse = ecoute.local_addr().context("adresse illisible")?;
    Ok((ecoute, adresse))
}

/// Une connexion établie : (client, socket de service du serveur).
fn connexion() -> Result<(TcpStream, TcpStream)> {
    let (ecoute, adresse) = ecoute()?;
    let client = TcpStream::connect(adresse).context("connexion impossible")?;
    let (service, _) = ecoute.accept().context("échec de accept")?;
    Ok((client, service))
}

// ANCHOR: accept
/// accept attend qu'un client se connecte. Ici, personne ne viendra.
fn bloque_dans_accept() -> Result<()> {
    let (ecoute, _) = ecoute()?;
    // std ne propose pas de délai pour accept ; sous Linux, le délai de
    // lecture (SO_RCVTIMEO) de la socket d'écoute s'y applique.
    SockRef::from(&ecoute)
        .set_read_timeout(Some(DELAI))
        .context("impossible de régler le délai")?;
    mesurer("accept", "aucun client ne se connecte", || ecoute.accept())
}
// ANCHOR_END: accept

// ANCHOR: connect
/// connect attend la fin de la poignée de main. Si la file des connexions
/// en attente du serveur est pleine, le noyau du serveur ignore le SYN, et
/// le client attend une réponse qui ne vient pas.
fn bloque_dans_connect() -> Result<()> {
    // Une file de longueur minimale (listen(0)) et un serveur qui n'appelle
    // jamais accept : les premiers clients remplissent la file.
    let serveur =
        Socket::new(Domain::IPV4, Type::STREAM, None).context("impossible de créer la socket")?;
    let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    serveur.bind(&adresse.into()).context("échec de bind")?;
    serveur.listen(0).context("échec de listen")?;
    let adresse = serveur
        .local_addr()
        .context("adresse illisible")?
        .as_socket()
        .context("adresse non IP")?;
    let mut dans_la_file = Vec::new();
    for _ in 0..4 {
        match TcpStream::connect_timeout(&adresse, DELAI) {
            Ok(flux) => dans_la_file.push(flux),
            // La file est pleine : ce connect-là a attendu en vain. C'est
            // la situation qu'on voulait montrer ; on la rejoue en mesurant.
            Err(e) if e.kind() == ErrorKind::TimedOut => break,
            Err(e) => bail!("connect : erreur inattendue : {e}"),
        }
    }
    let situation = format!(
        "la file de listen est pleine ({} en attente)",
        dans_la_file.len()
    );
    mesurer("connect", &situation, || {
        TcpStream::connect_timeout(&adresse, DELAI)
    })
}
// ANCHOR_END: connect

// ANCHOR: read
/// read attend qu'au moins un octet soit arrivé. Ici, le pair n'écrit rien
/// (mais ne ferme pas non plus : sinon read rendrait 0, la fin du flux).
fn bloque_dans_read() -> Result<()> {
    let (mut client, _service) = connexion()?;
    client
        .set_read_timeout(Some(DELAI))
        .context("impossible de régler le délai")?;
    let mut tampon = [0u8; 100];
    mesurer("read", "le pair n'envoie rien", || client.read(&mut tampon))
}
// ANCHOR_END: read

// ANCHOR: write
/// write attend qu'il y ait de la place dans le tampon d'émission. Ici, le
/// pair ne lit pas : son tampon de réception, puis notre tampon d'émission,
/// se remplissent.
fn bloque_dans_write() -> Result<()> {
    let (mut client, _service) = connexion()?;
    client
        .set_write_timeout(Some(DELAI))
        .context("impossible de régler le délai")?;
    let bloc = vec![0u8; 64 * 1024];
    let mut envoye = 0usize;
    mesurer("write", "le pair ne lit pas", || -> io::Result<()> {
        loop {
            envoye += client.write(&bloc)?;
        }
    })?;
    println!(
        "{:<10} ({} Kio avaient été acceptés avant le blocage)",
        "",
        envoye / 1024
    );
    Ok(())
}
// ANCHOR_END: write

// ANCHOR: recv_from
/// recv_from attend un datagramme. Ici, personne n'en envoie.
fn bloque_dans_recv_from() -> Result<()> {
    let socket =
        UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).context("impossible de créer la socket UDP")?;
    socket
        .set_read_timeout(Some(DELAI))
        .context("impossible de régler le délai")?;
    let mut tampon = [0u8; 100];
    mesurer("recv_from", "aucun datagramme n'arrive", || {
        socket.recv_from(&mut tampon)
    })
}
// ANCHOR_END: recv_from
