//! Le serveur du TP10 : une socket UDP attachée à un port connu, qui répond
//! à chaque datagramme par le nombre d'octets reçus.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp10 serveur`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use anyhow::{Context, Result};
use socket2::{Domain, Protocol, Socket, Type};

/// La plus grande charge utile d'un datagramme UDP sur IPv4 : 65 535 octets
/// de paquet IP, moins 20 d'en-tête IP et 8 d'en-tête UDP.
const TAILLE_MAX_DATAGRAMME: usize = 65_507;

// ANCHOR: deroule
/// Le scénario du serveur, étape par étape. (Cette fonction est fournie.)
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

/// Étape 1 : crée une socket datagramme et l'attache à 127.0.0.1:`port`.
///
/// - `Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))` : l'appel
///   socket(2) avec SOCK_DGRAM ;
/// - `bind` sur `SocketAddr::from((Ipv4Addr::LOCALHOST, port))`, converti
///   avec `.into()` : sans bind, aucun client ne saurait où écrire ;
/// - rendez `socket.into()` : une `UdpSocket` de la bibliothèque standard,
///   qui offre `recv_from` et `send_to`.
///
/// Ajoutez un contexte en français à chaque erreur : `.context("…")?`.
fn ouvrir(port: u16) -> Result<UdpSocket> {
    todo!("Étape 1 : créer la socket UDP (Type::DGRAM) et l'attacher au port (bind)")
}

/// Étape 2 : attend le prochain datagramme avec `socket.recv_from(tampon)`,
/// qui bloque tant que rien n'est arrivé, puis rend **un** datagramme entier :
/// le nombre d'octets reçus et l'adresse de l'expéditeur.
///
/// Le tampon fait 65 507 octets : un datagramme plus grand que le tampon
/// serait tronqué, sans erreur.
fn recevoir(socket: &UdpSocket, tampon: &mut [u8]) -> Result<(usize, SocketAddr)> {
    todo!("Étape 2 : recevoir un datagramme et l'adresse de son expéditeur (recv_from)")
}

/// Étape 3 : envoie à `client` le nombre d'octets reçus, sur 4 octets, poids
/// fort en premier (l'ordre « réseau ») :
/// `u32::try_from(taille)?.to_be_bytes()`, puis `socket.send_to(&octets, client)`.
fn repondre(socket: &UdpSocket, taille: usize, client: SocketAddr) -> Result<()> {
    todo!("Étape 3 : répondre à l'expéditeur par la taille, sur 4 octets gros-boutistes (send_to)")
}

// ANCHOR: affichable
/// Le texte reçu, prêt pour le terminal : chaque caractère de contrôle
/// (`char::is_control` : U+0000 à U+001F, U+007F à U+009F) est remplacé par
/// son écriture échappée, `\u{1b}` pour ESC, `\n`, `\r`, `\t`…
/// Écrits tels quels, ESC et les suivants sont des ordres pour le terminal
/// (changer le titre de la fenêtre, effacer l'écran…). (Cette fonction est
/// fournie.)
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
