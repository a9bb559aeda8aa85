//! Variante correcte : le client attend sa réponse avec poll(2) et une échéance calculée, sockets non bloquantes (une par adresse du serveur), sans set_read_timeout.
//!
//! L'échéance de chaque essai est fixée à l'envoi : un intrus ne la repousse
//! pas. Le serveur est celui du corrigé, écrit autrement (un seul appel par
//! datagramme, sans module commun).

mod commun;

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::time::Instant;

use anyhow::Context;

fn serveur() -> anyhow::Result<()> {
    let socket = commun::ouvrir_serveur()?;
    let mut tampon = vec![0u8; commun::TAILLE_MAX_DATAGRAMME];
    loop {
        let (taille, client) = socket
            .recv_from(&mut tampon)
            .context("réception impossible")?;
        commun::afficher(&tampon[..taille], client);
        socket.send_to(&(taille as u32).to_be_bytes(), client)?;
    }
}

/// Attend que la socket soit lisible, au plus jusqu'à `echeance`.
fn lisible_avant(socket: &UdpSocket, echeance: Instant) -> io::Result<bool> {
    loop {
        let reste = echeance.saturating_duration_since(Instant::now());
        if reste.is_zero() {
            return Ok(false);
        }
        let mut attente = libc::pollfd {
            fd: socket.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let millis = reste.as_millis().clamp(1, i32::MAX as u128) as i32;
        // SAFETY : un pollfd valide.
        match unsafe { libc::poll(&mut attente, 1, millis) } {
            n if n > 0 => return Ok(true),
            0 => continue,
            _ => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
}

/// Attend, jusqu'à `echeance`, la réponse de `serveur` sur `socket` (non
/// bloquante) ; `None` si elle n'est pas venue.
fn reponse_avant(
    socket: &UdpSocket,
    serveur: SocketAddr,
    echeance: Instant,
) -> anyhow::Result<Option<u32>> {
    let mut tampon = [0u8; 64];
    while lisible_avant(socket, echeance)? {
        let (taille, de) = match socket.recv_from(&mut tampon) {
            Ok(recu) => recu,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e).context("réception impossible"),
        };
        if de != serveur {
            eprintln!("avertissement : datagramme de {de} ignoré");
            continue;
        }
        let compte: [u8; 4] = tampon[..taille]
            .try_into()
            .map_err(|_| anyhow::anyhow!("réponse de {taille} octet(s) au lieu de 4"))?;
        return Ok(Some(u32::from_be_bytes(compte)));
    }
    Ok(None)
}

fn client() -> anyhow::Result<()> {
    let (adresses, message, delai) = commun::arguments_du_client()?;
    // Une socket non bloquante par adresse du serveur, de sa famille ; une
    // famille absente de la machine écarte l'adresse.
    let mut destinations = Vec::new();
    for serveur in adresses {
        let locale: SocketAddr = if serveur.is_ipv4() {
            ([0, 0, 0, 0], 0).into()
        } else {
            ([0u16; 8], 0).into()
        };
        match UdpSocket::bind(locale) {
            Ok(socket) => {
                socket.set_nonblocking(true)?;
                destinations.push((socket, serveur));
            }
            Err(e) => eprintln!("{serveur} écartée : {e}"),
        }
    }
    anyhow::ensure!(!destinations.is_empty(), "aucune adresse utilisable");
    for essai in 1..=commun::ESSAIS {
        for (socket, serveur) in &destinations {
            if let Err(e) = socket.send_to(&message, serveur) {
                eprintln!("envoi impossible à {serveur} : {e}");
                continue;
            }
            let echeance = Instant::now() + delai;
            if let Some(compte) = reponse_avant(socket, *serveur, echeance)? {
                println!("réponse : {compte}");
                return Ok(());
            }
            eprintln!("pas de réponse de {serveur} à l'essai {essai}");
        }
    }
    let liste: Vec<String> = destinations.iter().map(|(_, a)| a.to_string()).collect();
    anyhow::bail!(
        "pas de réponse de {} après {} essais",
        liste.join(", "),
        commun::ESSAIS
    )
}

fn main() -> anyhow::Result<()> {
    match std::env::args().nth(1).as_deref() {
        Some("serveur") => serveur(),
        Some("client") => client(),
        _ => anyhow::bail!("usage : serveur [PORT] | client [--delai MS] HÔTE PORT MESSAGE"),
    }
}
