//! Le serveur du TP10 : une socket UDP attachée à un port connu, qui répond
//! à chaque datagramme par le nombre d'octets reçus.

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use anyhow::{Context, Result};
use socket2::{Domain, Protocol, Socket, Type};

/// La plus grande charge utile d'un datagramme UDP sur IPv4 : 65 535 octets
/// de paquet IP, moins 20 d'en-tête IP et 8 d'en-tête UDP.
const TAILLE_MAX_DATAGRAMME: usize = 65_507;

// ANCHOR: deroule
/// Le scénario du serveur, étape par étape.
pub fn lancer(port: u16) -> Result<()> {
    // Étape 1 : la socket UDP, attachée au port (socket, bind). Ni listen ni
    // accept : il n'y a pas de connexion, seulement des datagrammes.
    let socket = ouvrir(port)?;
    let adresse = socket
        .local_addr()
        .context("impossible de lire l'adresse de la socket")?;
    println!("Le serveur UDP attend sur {adresse}");

    // Un seul tampon, assez grand pour le plus grand datagramme possible.
    let mut tampon = vec![0u8; TAILLE_MAX_DATAGRAMME];
    // Serveur itératif : un datagramme après l'autre, sans fin.
    loop {
        // Étape 2 : recevoir un datagramme et apprendre qui l'envoie.
        let (taille, client) = recevoir(&socket, &mut tampon)?;
        // Les octets viennent du réseau : des caractères de contrôle
        // (ESC…) sont échappés avant d'atteindre le terminal.
        let texte = String::from_utf8_lossy(&tampon[..taille]);
        println!("reçu de {client} : {}", affichable(&texte));

        // Étape 3 : répondre à cette adresse-là. Un échec d'envoi ne concerne
        // que ce client : le serveur le signale et continue.
        if let Err(erreur) = repondre(&socket, taille, client) {
            eprintln!("attention : {erreur:#}");
        }
    }
}
// ANCHOR_END: deroule

// ANCHOR: affichable
/// Le texte reçu, prêt pour le terminal : chaque caractère de contrôle
/// (`char::is_control` : U+0000 à U+001F, U+007F à U+009F) est remplacé par
/// son écriture échappée, `\u{1b}` pour ESC, `\n`, `\r`, `\t`…
///
/// Les octets viennent de n'importe qui sur le réseau. Écrits tels quels,
/// ESC et les suivants sont des ordres pour le terminal : `ESC ] 0 ; … BEL`
/// change le titre de la fenêtre, `ESC [ 2 J` efface l'écran, `\r` ramène
/// le curseur en début de ligne pour écrire par-dessus l'adresse affichée.
/// Échappés, ils se voient sans agir.
fn affichable(texte: &str) -> String {
    let mut sur = String::with_capacity(texte.len());
    for c in texte.chars() {
        if c.is_control() {
            sur.extend(c.escape_default());
        } else {
            sur.push(c);
        }
    }
    sur
}
// ANCHOR_END: affichable

// ANCHOR: ouvrir
/// Étape 1 : crée une socket datagramme et l'attache à 127.0.0.1:`port`.
fn ouvrir(port: u16) -> Result<UdpSocket> {
    // socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) : une socket de type datagramme.
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))
        .context("impossible de créer la socket UDP")?;
    // bind : sans lui, le noyau donnerait un port au hasard au premier envoi,
    // et aucun client ne saurait où écrire. La boucle locale seulement : un
    // serveur UDP répond à quiconque lui écrit, sans poignée de main pour
    // vérifier l'adresse annoncée ; inutile de l'exposer au réseau pour le TP.
    let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    socket.bind(&adresse.into()).with_context(|| {
        format!("impossible d'attacher la socket au port UDP {port} (déjà pris ?)")
    })?;
    // Une socket2::Socket devient une UdpSocket : même descripteur, avec
    // recv_from et send_to.
    Ok(socket.into())
}
// ANCHOR_END: ouvrir

// ANCHOR: recevoir
/// Étape 2 : attend le prochain datagramme. recv_from bloque tant que la file
/// de réception de la socket est vide, puis rend **un** datagramme entier, et
/// l'adresse de son expéditeur : c'est tout ce que le serveur saura du client.
///
/// Un datagramme plus grand que le tampon serait tronqué sans erreur : le
/// reste est jeté par le noyau. D'où un tampon de 65 507 octets.
fn recevoir(socket: &UdpSocket, tampon: &mut [u8]) -> Result<(usize, SocketAddr)> {
    socket
        .recv_from(tampon)
        .context("impossible de recevoir un datagramme")
}
// ANCHOR_END: recevoir

// ANCHOR: repondre
/// Étape 3 : envoie à `client` le nombre d'octets reçus, sur 4 octets, le
/// poids fort en premier (gros-boutiste, l'ordre « réseau »), quelle que soit
/// la machine.
fn repondre(socket: &UdpSocket, taille: usize, client: SocketAddr) -> Result<()> {
    // Au plus 65 507 : le compte tient toujours dans un u32.
    let compte = u32::try_from(taille).context("taille de datagramme impossible")?;
    let reponse = compte.to_be_bytes();
    // send_to envoie un datagramme entier ou rien : pas d'envoi partiel en UDP.
    socket
        .send_to(&reponse, client)
        .with_context(|| format!("impossible de répondre à {client}"))?;
    Ok(())
}
// ANCHOR_END: repondre
