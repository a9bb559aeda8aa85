//! Le client du TP10 : un datagramme vers un serveur connu, une réponse
//! attendue, et des essais répétés parce qu'UDP peut perdre l'un ou l'autre.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Nombre d'essais, le premier compris. Chaque essai envoie la requête à
/// chaque adresse du serveur, l'une après l'autre, jusqu'à une réponse.
const ESSAIS: u32 = 3;

// ANCHOR: deroule
/// Le scénario du client, étape par étape.
pub fn lancer(hote: &str, port: u16, message: &str, delai: Duration) -> Result<()> {
    // Étape 1 : les adresses du serveur, toutes, dans l'ordre de la
    // résolution, et pour chacune une socket UDP à nous, de sa famille.
    let mut destinations = Vec::new();
    for serveur in resoudre(hote, port)? {
        match ouvrir_socket(serveur) {
            Ok(socket) => destinations.push((socket, serveur)),
            // Une famille absente de la machine (pas d'IPv6) : on écarte
            // l'adresse, les suivantes peuvent servir.
            Err(e) => eprintln!("adresse {serveur} écartée : {e:#}"),
        }
    }
    if destinations.is_empty() {
        bail!("aucune adresse de « {hote} » n'est utilisable sur cette machine");
    }

    // Étapes 1 à 3 : envoyer, attendre la réponse, recommencer si besoin.
    let compte = interroger(&destinations, message.as_bytes(), delai)?;
    println!("réponse : {compte}");
    Ok(())
}
// ANCHOR_END: deroule

/// Étape 1 : résout HÔTE en adresses, et les garde toutes, dans l'ordre où
/// la résolution les rend (getaddrinfo les range dans l'ordre où les
/// essayer). `localhost` peut donner `::1` puis `127.0.0.1`, alors que le
/// serveur du TP n'écoute qu'en IPv4 : c'est en les essayant l'une après
/// l'autre (étape 3) qu'on le trouve. Contrairement à TCP, rien ne dira
/// qu'une adresse est la mauvaise : en UDP, seule la réponse renseigne.
fn resoudre(hote: &str, port: u16) -> Result<Vec<SocketAddr>> {
    let adresses: Vec<SocketAddr> = (hote, port)
        .to_socket_addrs()
        .with_context(|| format!("impossible de résoudre « {hote} »"))?
        .collect();
    if adresses.is_empty() {
        bail!("« {hote} » ne donne aucune adresse");
    }
    Ok(adresses)
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
///
/// Chaque essai passe les adresses du serveur en revue, dans l'ordre : la
/// requête part vers l'une, on attend `delai` ; sans réponse, on passe à la
/// suivante. Une socket UDP non connectée n'apprend pas que personne
/// n'écoute (le message ICMP « port injoignable » ne lui parvient pas) : le
/// silence pendant le délai est le seul signe qu'une adresse ne sert à rien.
/// Un envoi qui échoue sur place (famille non prise en charge : EAFNOSUPPORT,
/// réseau injoignable : ENETUNREACH, adresse indisponible : EADDRNOTAVAIL)
/// fait passer tout de suite à l'adresse suivante.
fn interroger(
    destinations: &[(UdpSocket, SocketAddr)],
    message: &[u8],
    delai: Duration,
) -> Result<u32> {
    let mut echec_d_envoi = None;
    let mut envois = 0;
    for essai in 1..=ESSAIS {
        for (socket, serveur) in destinations {
            if let Err(e) = envoyer_requete(socket, *serveur, message) {
                eprintln!("{e:#}");
                echec_d_envoi = Some(e);
                continue;
            }
            envois += 1;
            if let Some(compte) = attendre_reponse(socket, *serveur, delai)? {
                return Ok(compte);
            }
            eprintln!(
                "pas de réponse de {serveur} en {} ms (essai {essai} sur {ESSAIS})",
                delai.as_millis()
            );
        }
    }
    // Aucune requête n'a pu partir : l'erreur d'envoi dit pourquoi.
    if let (0, Some(e)) = (envois, echec_d_envoi) {
        return Err(e);
    }
    let adresses: Vec<String> = destinations.iter().map(|(_, a)| a.to_string()).collect();
    bail!(
        "pas de réponse de {} après {ESSAIS} essais : le serveur est-il lancé, sur ce port ?",
        adresses.join(", ")
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
