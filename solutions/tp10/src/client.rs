//! Le client du TP10 : un datagramme vers un serveur connu, une réponse
//! attendue, et des essais répétés parce qu'UDP peut perdre l'un ou l'autre.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Nombre d'envois de la requête, le premier compris.
const ESSAIS: u32 = 3;

// ANCHOR: deroule
/// Le scénario du client, étape par étape.
pub fn lancer(hote: &str, port: u16, message: &str, delai: Duration) -> Result<()> {
    // Étape 1 : l'adresse du serveur, et une socket UDP à nous.
    let serveur = resoudre(hote, port)?;
    let socket = ouvrir_socket(serveur)?;

    // Étapes 1 à 3 : envoyer, attendre la réponse, recommencer si besoin.
    let compte = interroger(&socket, serveur, message.as_bytes(), delai)?;
    println!("réponse : {compte}");
    Ok(())
}
// ANCHOR_END: deroule

/// Étape 1 : résout HÔTE en adresses. Le serveur du TP n'écoute qu'en IPv4 :
/// on préfère donc une adresse IPv4 (`localhost` peut donner `::1` d'abord).
/// Contrairement à TCP, rien ne nous dira qu'une adresse est la mauvaise :
/// en UDP, on n'apprend rien tant que la réponse n'arrive pas.
fn resoudre(hote: &str, port: u16) -> Result<SocketAddr> {
    let adresses: Vec<SocketAddr> = (hote, port)
        .to_socket_addrs()
        .with_context(|| format!("impossible de résoudre « {hote} »"))?
        .collect();
    adresses
        .iter()
        .find(|a| a.is_ipv4())
        .or(adresses.first())
        .copied()
        .with_context(|| format!("« {hote} » ne donne aucune adresse"))
}

/// Étape 1 : une socket UDP attachée au port 0 : le noyau choisit un port
/// éphémère. C'est l'adresse que le serveur lira dans recv_from, et à
/// laquelle il répondra. Même famille (IPv4 ou IPv6) que le serveur.
fn ouvrir_socket(serveur: SocketAddr) -> Result<UdpSocket> {
    let locale = if serveur.is_ipv4() {
        SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0))
    } else {
        SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0))
    };
    UdpSocket::bind(locale).context("impossible de créer la socket UDP du client")
}

// ANCHOR: interroger
/// Étape 3 : envoie la requête et attend la réponse, au plus `ESSAIS` fois.
/// UDP n'accuse pas réception et ne renvoie rien de lui-même : si la requête
/// ou la réponse se perd, c'est à nous de recommencer.
fn interroger(
    socket: &UdpSocket,
    serveur: SocketAddr,
    message: &[u8],
    delai: Duration,
) -> Result<u32> {
    for essai in 1..=ESSAIS {
        envoyer_requete(socket, serveur, message)?;
        if let Some(compte) = attendre_reponse(socket, serveur, delai)? {
            return Ok(compte);
        }
        eprintln!(
            "pas de réponse en {} ms (essai {essai} sur {ESSAIS})",
            delai.as_millis()
        );
    }
    bail!(
        "pas de réponse de {serveur} après {ESSAIS} essais : le serveur est-il lancé, \
         sur ce port ?"
    )
}
// ANCHOR_END: interroger

/// Étape 1 : un seul datagramme, le message tel quel (ses octets UTF-8, sans
/// `\n` : le datagramme a ses propres frontières).
fn envoyer_requete(socket: &UdpSocket, serveur: SocketAddr, message: &[u8]) -> Result<()> {
    socket
        .send_to(message, serveur)
        .with_context(|| format!("impossible d'envoyer la requête à {serveur}"))?;
    Ok(())
}

// ANCHOR: attendre
/// Étapes 2 et 4 : attend la réponse du serveur, au plus `delai`. Rend
/// `None` si rien n'est venu du serveur à temps.
///
/// Notre socket reçoit ce que **n'importe qui** lui envoie : un datagramme
/// qui ne vient pas de l'adresse du serveur est ignoré, et l'attente reprend
/// avec le temps qui reste.
fn attendre_reponse(
    socket: &UdpSocket,
    serveur: SocketAddr,
    delai: Duration,
) -> Result<Option<u32>> {
    let limite = Instant::now() + delai;
    // 4 octets attendus ; un octet de plus permet de voir un datagramme trop long.
    let mut tampon = [0u8; 5];
    loop {
        let reste = limite.saturating_duration_since(Instant::now());
        if reste.is_zero() {
            return Ok(None);
        }
        // Sans délai, recv_from attendrait pour toujours une réponse perdue.
        socket
            .set_read_timeout(Some(reste))
            .context("impossible de régler le délai de lecture")?;
        let (taille, expediteur) = match socket.recv_from(&mut tampon) {
            Ok(recu) => recu,
            // Délai écoulé : Linux rend WouldBlock (EAGAIN), d'autres TimedOut.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(None);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context("impossible de recevoir la réponse"),
        };
        if expediteur != serveur {
            eprintln!("datagramme de {expediteur} ignoré : il ne vient pas du serveur {serveur}");
            continue;
        }
        // Le protocole : exactement 4 octets, poids fort en premier.
        let octets: [u8; 4] = tampon[..taille].try_into().context(
            "la réponse du serveur ne fait pas 4 octets : ce n'est pas le protocole du TP",
        )?;
        return Ok(Some(u32::from_be_bytes(octets)));
    }
}
// ANCHOR_END: attendre
