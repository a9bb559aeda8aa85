//! Le pair du TP11 : une socket UDP attachée à un port connu, un pair connu
//! d'avance, et deux fils pour écouter à la fois le clavier et la socket.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp11`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::fmt;
use std::io::{self, BufRead};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::mpsc;
use std::thread;

use anyhow::{Context, Result, bail};
use socket2::{Domain, Protocol, Socket, Type};

/// La plus grande charge utile d'un datagramme UDP : 65 507 octets sur IPv4
/// (65 535 moins l'en-tête IP, 20, et l'en-tête UDP, 8), 65 527 sur IPv6 (dont
/// l'en-tête n'est pas compté dans les 65 535). Un tampon plus petit
/// tronquerait en silence les datagrammes plus longs.
const TAILLE_MAX: usize = 65_527;

/// La ligne qui termine la conversation, qu'elle soit tapée ou reçue.
const MOT_DE_FIN: &[u8] = b"fin";

/// Pourquoi la conversation s'arrête.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fin {
    /// « fin » a été tapé (et envoyé au pair).
    Tapee,
    /// Le pair a envoyé « fin ».
    Recue,
    /// L'entrée standard est finie (Ctrl+D au clavier, fichier épuisé).
    EntreeEpuisee,
}

impl fmt::Display for Fin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fin::Tapee => "Vous avez mis fin à la conversation.",
            Fin::Recue => "Le pair a mis fin à la conversation.",
            Fin::EntreeEpuisee => "Fin de l'entrée standard : conversation terminée.",
        })
    }
}

// ANCHOR: deroule
/// Le scénario du pair, étape par étape. (Cette fonction est fournie.)
pub fn lancer(port_local: u16, hote_distant: &str, port_distant: u16) -> Result<()> {
    // Étape 1 : les adresses du pair, connues avant tout échange (mode
    // symétrique). Elles décident de la famille de notre socket.
    let adresses = adresses_du_pair(hote_distant, port_distant)?;

    // Étape 2 : la socket UDP, de la famille du pair, attachée au port que le
    // pair connaît.
    let (socket, pair) = ouvrir(port_local, &adresses)?;
    let locale = socket
        .local_addr()
        .context("impossible de lire l'adresse de la socket")?;
    println!("Pair attaché à {locale}, en conversation avec {pair} (« fin » pour terminer)");

    // Deux attentes bloquantes à mener en même temps : une ligne au clavier
    // (read_line) et un datagramme sur la socket (recv_from). Chacune a son
    // fil ; le premier qui finit le signale à main par un canal.
    let (signal, premiere_fin) = mpsc::channel();
    let socket_de_reception = socket
        .try_clone()
        .context("impossible de dupliquer la socket")?;
    let signal_de_reception = signal.clone();
    // Étape 3 : chaque ligne tapée part en un datagramme.
    thread::spawn(move || signal.send(envoyer_les_lignes(&socket, pair)));
    // Étape 4 : chaque datagramme du pair s'affiche dès son arrivée.
    thread::spawn(move || signal_de_reception.send(recevoir(&socket_de_reception, pair)));

    // Étape 5 : la première fin venue termine tout. Quand main rend la main,
    // le processus s'arrête, et l'autre fil avec lui, même bloqué.
    let fin = premiere_fin
        .recv()
        .context("les deux fils se sont arrêtés sans rien dire")??;
    println!("{fin}");
    Ok(())
}
// ANCHOR_END: deroule

// ANCHOR: etapes
/// Étape 1 : les adresses du pair. `(hote, port).to_socket_addrs()` résout le
/// nom (getaddrinfo) et rend un itérateur d'adresses : gardez-les **toutes**,
/// dans l'ordre rendu (`.collect()` dans un `Vec`). `::1` est une réponse
/// aussi valable que `127.0.0.1`, et `localhost` peut donner les deux :
/// n'écartez aucune famille, l'étape 2 choisira. Aucune adresse : une
/// erreur (`bail!("…")`).
fn adresses_du_pair(hote: &str, port: u16) -> Result<Vec<SocketAddr>> {
    todo!("Étape 1 : résoudre le nom du pair en adresses (to_socket_addrs)")
}

/// Étape 2 : pour chaque adresse du pair, dans l'ordre, essayez une socket
/// UDP de **sa** famille, attachée à la boucle locale de cette famille ; la
/// première qui s'attache sert à toute la conversation : rendez-la, avec
/// cette adresse du pair.
///
/// - `Socket::new(Domain::for_address(pair), Type::DGRAM, Some(Protocol::UDP))` :
///   l'appel socket(2), en IPv4 ou en IPv6 selon l'adresse. Une socket IPv4
///   ne sait pas écrire à `::1`, et une socket attachée à `::1` n'a pas
///   d'adresse IPv4 : un pair IPv4 ne la trouverait pas ;
/// - `bind` sur `SocketAddr::from((Ipv4Addr::LOCALHOST, port_local))` pour
///   une adresse IPv4, `(Ipv6Addr::LOCALHOST, port_local)` pour une IPv6 (la
///   boucle locale suffit : les deux pairs tournent sur la même machine),
///   converti avec `.into()` ; puis la socket en `UdpSocket` avec `.into()` ;
/// - si `Socket::new` échoue (IPv6 absent du noyau), ou si `bind` échoue avec
///   `io::ErrorKind::AddrNotAvailable` (pas de `::1` sur la machine), passez
///   à l'adresse suivante ; toute autre erreur de `bind` (port déjà pris)
///   arrête le programme : le pair vous attend à ce port-là.
///
/// Pas de SO_REUSEADDR ici : UDP n'a pas de TIME_WAIT, et l'option
/// laisserait un autre programme s'attacher au même port.
fn ouvrir(port_local: u16, adresses: &[SocketAddr]) -> Result<(UdpSocket, SocketAddr)> {
    todo!("Étape 2 : créer la socket UDP de la famille du pair et l'attacher au port local (bind)")
}

/// Étape 3 : lit l'entrée standard ligne à ligne (`io::stdin().lock()`,
/// puis `read_until(b'\n', &mut ligne)` dans une boucle) ; chaque ligne,
/// sans sa fin de ligne (`sans_fin_de_ligne`), part en **un** datagramme
/// vers le pair : `socket.send_to(message, pair)`.
///
/// - `read_until` rend 0 à la fin de l'entrée (Ctrl+D) : rendez
///   `Ok(Fin::EntreeEpuisee)` — c'est une fin normale, pas une erreur ;
/// - après avoir envoyé la ligne `fin`, rendez `Ok(Fin::Tapee)` ;
/// - vérifiez la valeur rendue par `send_to` : le nombre d'octets envoyés.
fn envoyer_les_lignes(socket: &UdpSocket, pair: SocketAddr) -> Result<Fin> {
    todo!("Étape 3 : envoyer chaque ligne tapée en un datagramme (send_to)")
}

/// Étape 4 : attend les datagrammes (`socket.recv_from(&mut tampon)`, avec
/// un tampon de `TAILLE_MAX` octets) dans une boucle. `recv_from` rend la
/// taille du datagramme et l'adresse de l'expéditeur.
///
/// - si l'expéditeur n'est pas le pair (IP **et** port), écrivez un
///   avertissement sur la sortie d'erreur (`eprintln!`, avec son adresse)
///   et passez au suivant ;
/// - sinon, affichez `<< MESSAGE` : le texte passe par
///   `String::from_utf8_lossy` (des octets invalides ne doivent pas arrêter
///   la conversation), puis par `affichable` (fournie) : un caractère de
///   contrôle reçu n'atteint jamais le terminal tel quel ;
/// - si le message est `fin`, rendez `Ok(Fin::Recue)`.
fn recevoir(socket: &UdpSocket, pair: SocketAddr) -> Result<Fin> {
    todo!("Étape 4 : recevoir les datagrammes (recv_from), afficher ceux du pair")
}
// ANCHOR_END: etapes

/// Retire la fin de ligne : `\n`, ou `\r\n` (terminal Windows, `nc -C`). Un
/// datagramme envoyé par `nc -u` en porte une ; ceux du pair, non.
/// (Cette fonction est fournie.)
fn sans_fin_de_ligne(octets: &[u8]) -> &[u8] {
    let octets = octets.strip_suffix(b"\n").unwrap_or(octets);
    octets.strip_suffix(b"\r").unwrap_or(octets)
}

/// Le texte reçu, prêt pour le terminal : chaque caractère de contrôle
/// (`char::is_control` : U+0000 à U+001F, U+007F à U+009F) est remplacé par
/// son écriture échappée, `\u{1b}` pour ESC, `\n`, `\r`, `\t`…
///
/// Le pair, ou n'importe qui, peut envoyer n'importe quels octets. Écrits
/// tels quels, ESC et les suivants sont des ordres pour le terminal :
/// `ESC ] 0 ; … BEL` change le titre de la fenêtre, `ESC [ 2 J` efface
/// l'écran, un `\n` au milieu fabriquerait une fausse ligne `<< …`.
/// Échappés, ils se voient sans agir. (Cette fonction est fournie.)
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
