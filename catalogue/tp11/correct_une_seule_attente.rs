//! Variante correcte : un seul fil, qui attend le clavier et la socket par un même poll(2) ; socket ouverte avec socket2 (IPV6_V6ONLY posé en IPv6), entrée lue par read(2), sans BufReader.
//!
//! Le corrigé attend avec deux fils ; ici, `poll` dit lequel des deux
//! descripteurs est prêt. L'entrée standard est lue avec `read(2)` : un
//! BufReader pourrait garder en réserve des lignes que poll ne verrait plus.

mod commun;

use std::io::{self, Write};
use std::net::{Ipv6Addr, SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;

use anyhow::Context;
use socket2::{Domain, Socket, Type};

/// Les adresses du pair dans l'ordre ; pour chacune, une socket socket2 de
/// sa famille (IPV6_V6ONLY posé explicitement en IPv6), attachée à la boucle
/// locale de cette famille. La première qui s'attache sert.
fn ouvrir(port_local: u16, adresses: &[SocketAddr]) -> anyhow::Result<(UdpSocket, SocketAddr)> {
    let mut refus = Vec::new();
    for &pair in adresses {
        let locale = if pair.is_ipv6() {
            SocketAddr::from((Ipv6Addr::LOCALHOST, port_local))
        } else {
            SocketAddr::from(([127, 0, 0, 1], port_local))
        };
        let Ok(socket) = Socket::new(Domain::for_address(pair), Type::DGRAM, None) else {
            refus.push(format!("{locale} : famille absente"));
            continue;
        };
        if pair.is_ipv6() {
            socket.set_only_v6(true).context("IPV6_V6ONLY impossible")?;
        }
        match socket.bind(&locale.into()) {
            Ok(()) => return Ok((socket.into(), pair)),
            Err(e) if e.kind() == io::ErrorKind::AddrNotAvailable => {
                refus.push(format!("{locale} : {e}"));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("impossible de s'attacher à {locale}"));
            }
        }
    }
    anyhow::bail!("aucune adresse du pair utilisable : {}", refus.join(" ; "))
}

/// Attend que l'entrée standard ou la socket ait quelque chose à lire.
fn attendre(socket: &UdpSocket) -> io::Result<(bool, bool)> {
    let mut descripteurs = [
        libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: socket.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    loop {
        // SAFETY : deux pollfd valides, leur nombre exact.
        let n = unsafe { libc::poll(descripteurs.as_mut_ptr(), 2, -1) };
        if n >= 0 {
            let pret = |p: &libc::pollfd| p.revents != 0;
            return Ok((pret(&descripteurs[0]), pret(&descripteurs[1])));
        }
        let erreur = io::Error::last_os_error();
        if erreur.kind() != io::ErrorKind::Interrupted {
            return Err(erreur);
        }
    }
}

/// Autre écriture des caractères de contrôle que le corrigé : `\x1b` plutôt
/// que `\u{1b}` ; aucun n'atteint le terminal tel quel.
fn en_hexa_les_controles(texte: &str) -> String {
    let mut sur = String::new();
    for c in texte.chars() {
        if c.is_control() {
            sur.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            sur.push(c);
        }
    }
    sur
}

/// Un datagramme reçu : vrai si c'était « fin » du pair.
fn recevoir(socket: &UdpSocket, pair: SocketAddr, tampon: &mut [u8]) -> anyhow::Result<bool> {
    let (taille, expediteur) = socket.recv_from(tampon).context("réception impossible")?;
    if expediteur != pair {
        eprintln!(
            "avertissement : datagramme de {expediteur} ignoré (ce n'est pas le pair {pair})"
        );
        return Ok(false);
    }
    let octets = tampon[..taille]
        .strip_suffix(b"\n")
        .unwrap_or(&tampon[..taille]);
    let message = String::from_utf8_lossy(octets);
    println!("<< {}", en_hexa_les_controles(&message));
    io::stdout().flush().ok();
    Ok(message == "fin")
}

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (socket, pair) = ouvrir(port_local, &adresses)?;
    let locale = socket.local_addr().context("adresse locale illisible")?;
    println!("Pair attaché à {locale}, en conversation avec {pair}");
    let mut tampon = vec![0u8; 65_507];
    let mut saisie: Vec<u8> = Vec::new();
    let mut morceau = [0u8; 4096];
    loop {
        let (clavier, reseau) = attendre(&socket)?;
        if reseau && recevoir(&socket, pair, &mut tampon)? {
            return Ok(());
        }
        if !clavier {
            continue;
        }
        // SAFETY : tampon valide de la taille donnée.
        let lus = unsafe { libc::read(0, morceau.as_mut_ptr().cast(), morceau.len()) };
        if lus < 0 {
            let erreur = io::Error::last_os_error();
            if erreur.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(erreur).context("lecture du clavier impossible");
        }
        if lus == 0 {
            // Fin de l'entrée : la conversation s'arrête, rien n'est envoyé.
            return Ok(());
        }
        saisie.extend_from_slice(&morceau[..lus as usize]);
        while let Some(fin_de_ligne) = saisie.iter().position(|&o| o == b'\n') {
            let ligne: Vec<u8> = saisie.drain(..=fin_de_ligne).take(fin_de_ligne).collect();
            socket.send_to(&ligne, pair).context("envoi impossible")?;
            if ligne == b"fin" {
                return Ok(());
            }
        }
    }
}
