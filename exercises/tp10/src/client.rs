//! Le client du TP10 : un datagramme vers un serveur connu, une réponse
//! attendue, et des essais répétés parce qu'UDP peut perdre l'un ou l'autre.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp10 client`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Nombre d'essais, le premier compris. Chaque essai envoie la requête à
/// chaque adresse du serveur, l'une après l'autre, jusqu'à une réponse.
const ESSAIS: u32 = 3;

// ANCHOR: deroule
/// Le scénario du client, étape par étape. (Cette fonction est fournie.)
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

/// Étape 1 : résolvez HÔTE en adresses avec `(hote, port).to_socket_addrs()`,
/// et rendez-les **toutes**, dans l'ordre de la résolution (`.collect()`
/// dans un `Vec`) : `localhost` peut donner `::1` puis `127.0.0.1`, et le
/// serveur n'écoute peut-être que sur l'une des deux. `lancer` ouvre une
/// socket pour chacune, et `interroger` les essaie dans cet ordre. Aucune
/// adresse : une erreur (`bail!("…")`).
fn resoudre(hote: &str, port: u16) -> Result<Vec<SocketAddr>> {
    todo!("Étape 1 : résoudre l'hôte en adresses (to_socket_addrs)")
}

/// Étape 1 : une socket UDP à nous, `UdpSocket::bind` sur le port 0 de
/// l'adresse « non spécifiée » de la même famille que le serveur
/// (`Ipv4Addr::UNSPECIFIED` ou `Ipv6Addr::UNSPECIFIED`) : le noyau choisit un
/// port éphémère, celui auquel le serveur répondra.
fn ouvrir_socket(serveur: SocketAddr) -> Result<UdpSocket> {
    todo!("Étape 1 : créer la socket du client (UdpSocket::bind sur le port 0)")
}

/// Étape 1 : envoie le message, tel quel, en **un** datagramme :
/// `socket.send_to(message, serveur)`. Pas de `\n` : le datagramme a ses
/// propres frontières.
fn envoyer_requete(socket: &UdpSocket, serveur: SocketAddr, message: &[u8]) -> Result<()> {
    todo!("Étape 1 : envoyer la requête en un datagramme (send_to)")
}

// ANCHOR: interroger
/// Étapes 1 à 3 : envoie la requête à chaque adresse du serveur, dans
/// l'ordre, et attend la réponse ; sans réponse dans le délai, passe à
/// l'adresse suivante (en UDP, le silence est le seul signe qu'une adresse
/// ne sert à rien).
///
/// Cette première version fait un seul essai. À l'étape 3, entourez la
/// boucle des adresses d'une boucle de `ESSAIS` essais : si aucune adresse
/// n'a répondu, l'écrire sur la sortie d'erreur et recommencer. Un envoi qui
/// échoue sur place (famille non prise en charge, réseau injoignable) ne
/// doit pas tout arrêter : écrivez l'erreur et passez à l'adresse suivante.
/// Après le dernier essai : `bail!("pas de réponse de … après {ESSAIS}
/// essais …")`, avec les adresses essayées.
fn interroger(
    destinations: &[(UdpSocket, SocketAddr)],
    message: &[u8],
    delai: Duration,
) -> Result<u32> {
    for (socket, serveur) in destinations {
        envoyer_requete(socket, *serveur, message)?;
        if let Some(compte) = attendre_reponse(socket, *serveur, delai)? {
            return Ok(compte);
        }
    }
    todo!(
        "Étape 3 : pas de réponse à temps — renvoyer la requête ({ESSAIS} essais en tout), puis abandonner"
    )
}
// ANCHOR_END: interroger

/// Étape 2 : attend la réponse du serveur, au plus `delai` ; `None` si rien
/// n'est venu à temps.
///
/// - `socket.set_read_timeout(Some(delai))` borne l'attente : sans lui,
///   `recv_from` attendrait pour toujours une réponse perdue. Une fois le
///   délai passé, `recv_from` rend une erreur de nature
///   `io::ErrorKind::WouldBlock` (ou `TimedOut`) : ce n'est pas une panne,
///   c'est `Ok(None)` ;
/// - la réponse fait 4 octets, poids fort en premier :
///   `u32::from_be_bytes(octets)` (un tampon de 4 octets, converti avec
///   `try_into()`).
///
/// Étape 4 (revenez-y ensuite) : votre socket reçoit ce que **n'importe
/// qui** lui envoie. Comparez l'adresse rendue par `recv_from` à `serveur` ;
/// si elle diffère, signalez le datagramme sur la sortie d'erreur et
/// reprenez l'attente, avec le temps qui reste (`Instant`).
fn attendre_reponse(
    socket: &UdpSocket,
    serveur: SocketAddr,
    delai: Duration,
) -> Result<Option<u32>> {
    todo!(
        "Étape 2 : attendre la réponse avec un délai (set_read_timeout, recv_from, from_be_bytes)"
    )
}
