//! Variante correcte : le client attend sa réponse avec poll(2) et une échéance calculée, socket non bloquante, sans set_read_timeout.
//!
//! L'échéance de chaque essai est fixée à l'envoi : un intrus ne la repousse
//! pas. Le serveur est celui du corrigé, écrit autrement (un seul appel par
//! datagramme, sans module commun).

mod commun;

use std::io;
use std::net::UdpSocket;
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

fn client() -> anyhow::Result<()> {
    let requete = commun::ouvrir_client()?;
    let socket = &requete.socket;
    socket.set_nonblocking(true)?;
    let mut tampon = [0u8; 64];
    for essai in 1..=commun::ESSAIS {
        socket
            .send_to(&requete.message, requete.serveur)
            .context("envoi impossible")?;
        let echeance = Instant::now() + requete.delai;
        while lisible_avant(socket, echeance)? {
            let (taille, de) = match socket.recv_from(&mut tampon) {
                Ok(recu) => recu,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(e).context("réception impossible"),
            };
            if de != requete.serveur {
                eprintln!("avertissement : datagramme de {de} ignoré");
                continue;
            }
            let compte: [u8; 4] = tampon[..taille]
                .try_into()
                .map_err(|_| anyhow::anyhow!("réponse de {taille} octet(s) au lieu de 4"))?;
            println!("réponse : {}", u32::from_be_bytes(compte));
            return Ok(());
        }
        eprintln!("pas de réponse à l'essai {essai}");
    }
    anyhow::bail!(
        "pas de réponse de {} après {} essais",
        requete.serveur,
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
