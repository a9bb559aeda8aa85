//! Ce que les solutions fausses du TP11 font correctement : lire leurs
//! arguments, attacher la socket, envoyer chaque ligne, recevoir et filtrer
//! les datagrammes. Chaque programme du catalogue n'a ainsi dans son propre
//! fichier que son erreur.
//!
//! (Chaque programme n'utilise qu'une partie de ce module.)
#![allow(dead_code)]

use std::io::{self, BufRead};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::thread;

/// Envoie les lignes tapées, ou reçoit les datagrammes, jusqu'à la fin.
pub type Boucle = fn(&UdpSocket, SocketAddr) -> anyhow::Result<()>;

/// `NOM pair PORT_LOCAL HÔTE_DISTANT PORT_DISTANT` : le port local et les
/// adresses du pair, toutes, dans l'ordre où la résolution les rend.
pub fn arguments() -> anyhow::Result<(u16, Vec<SocketAddr>)> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [_, port_local, hote, port_distant] = args.as_slice() else {
        anyhow::bail!("usage : pair PORT_LOCAL HÔTE_DISTANT PORT_DISTANT");
    };
    let adresses: Vec<SocketAddr> = (hote.as_str(), port_distant.parse()?)
        .to_socket_addrs()?
        .collect();
    anyhow::ensure!(!adresses.is_empty(), "« {hote} » ne donne aucune adresse");
    Ok((port_local.parse()?, adresses))
}

/// La boucle locale de la famille de `pair` (127.0.0.1 ou ::1), au port `port`.
pub fn boucle_locale(pair: SocketAddr, port: u16) -> SocketAddr {
    match pair {
        SocketAddr::V4(_) => SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        SocketAddr::V6(_) => SocketAddr::from((Ipv6Addr::LOCALHOST, port)),
    }
}

/// Pour chaque adresse du pair, dans l'ordre, une socket de sa famille
/// attachée à `boucle_locale(pair, port_local)` ; la première qui s'attache,
/// avec cette adresse du pair. Une famille absente de la machine (pas de ::1 :
/// EADDRNOTAVAIL ; pas d'IPv6 : EAFNOSUPPORT) fait passer à la suivante.
pub fn ouvrir(port_local: u16, adresses: &[SocketAddr]) -> io::Result<(UdpSocket, SocketAddr)> {
    let mut derniere = io::Error::other("aucune adresse pour le pair");
    for &pair in adresses {
        match UdpSocket::bind(boucle_locale(pair, port_local)) {
            Ok(socket) => return Ok((socket, pair)),
            Err(e)
                if e.kind() == io::ErrorKind::AddrNotAvailable
                    || e.raw_os_error() == Some(libc::EAFNOSUPPORT) =>
            {
                derniere = e;
            }
            Err(e) => return Err(e),
        }
    }
    Err(derniere)
}

/// Un fil reçoit (et termine le processus quand sa boucle finit) ; le fil
/// principal lit le clavier et envoie.
pub fn converser(
    envoi: UdpSocket,
    reception: UdpSocket,
    pair: SocketAddr,
    envoyer: Boucle,
    recevoir: Boucle,
) -> anyhow::Result<()> {
    thread::spawn(move || {
        let code = i32::from(recevoir(&reception, pair).is_err());
        std::process::exit(code);
    });
    envoyer(&envoi, pair)
}

/// Chaque ligne tapée, sans sa fin de ligne, en un datagramme ; s'arrête
/// après « fin » ou à la fin de l'entrée.
pub fn envoyer_les_lignes(socket: &UdpSocket, pair: SocketAddr) -> anyhow::Result<()> {
    for ligne in io::stdin().lock().lines() {
        let ligne = ligne?;
        socket.send_to(ligne.as_bytes(), pair)?;
        if ligne == "fin" {
            break;
        }
    }
    Ok(())
}

/// Reçoit, ignore les intrus (avertissement), affiche `<< MESSAGE` ;
/// s'arrête après « fin ».
pub fn recevoir_du_pair(socket: &UdpSocket, pair: SocketAddr) -> anyhow::Result<()> {
    let mut tampon = vec![0u8; 65_507];
    loop {
        let (taille, expediteur) = socket.recv_from(&mut tampon)?;
        if expediteur != pair {
            eprintln!("avertissement : datagramme de {expediteur} ignoré");
            continue;
        }
        let message = String::from_utf8_lossy(&tampon[..taille]);
        println!("<< {}", echapper(&message));
        if message == "fin" {
            return Ok(());
        }
    }
}

/// Le texte, chaque caractère de contrôle remplacé par son écriture
/// échappée (`\u{1b}` pour ESC) : il ne commandera pas le terminal.
pub fn echapper(texte: &str) -> String {
    texte
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
