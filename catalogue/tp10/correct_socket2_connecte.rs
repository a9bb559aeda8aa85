//! Variante correcte : serveur ouvert avec socket2 ; client à sockets UDP connectées, une par adresse du serveur (le noyau écarte les intrus, et « port injoignable » fait passer à l'adresse suivante sans attendre), send/recv au lieu de send_to/recv_from.
//!
//! `connect` sur une socket UDP n'échange rien : il fixe l'unique
//! correspondant, et le noyau jette les datagrammes venus d'ailleurs.

mod commun;

use std::io;
use std::net::{SocketAddr, UdpSocket};

use anyhow::Context;
use socket2::{Domain, Socket, Type};

fn serveur() -> anyhow::Result<()> {
    let port: u16 = std::env::args()
        .nth(2)
        .map(|p| p.parse())
        .transpose()
        .context("port invalide")?
        .unwrap_or(31470);
    let adresse = SocketAddr::from(([127, 0, 0, 1], port));
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, None).context("socket impossible")?;
    socket
        .bind(&adresse.into())
        .with_context(|| format!("impossible de s'attacher à {adresse}"))?;
    let socket: UdpSocket = socket.into();
    println!("Le serveur UDP attend sur {adresse}");
    let mut tampon = vec![0u8; commun::TAILLE_MAX_DATAGRAMME];
    loop {
        let (taille, client) = socket
            .recv_from(&mut tampon)
            .context("réception impossible")?;
        println!(
            "reçu de {client} : {}",
            en_hexa_les_controles(&String::from_utf8_lossy(&tampon[..taille]))
        );
        socket
            .send_to(&(taille as u32).to_be_bytes(), client)
            .context("réponse impossible")?;
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

/// Une socket socket2 de la famille de `serveur`, sur un port éphémère,
/// connectée à lui.
fn connecter(serveur: SocketAddr) -> io::Result<UdpSocket> {
    let socket = Socket::new(Domain::for_address(serveur), Type::DGRAM, None)?;
    socket.connect(&serveur.into())?;
    Ok(socket.into())
}

fn client() -> anyhow::Result<()> {
    let (adresses, message, delai) = commun::arguments_du_client()?;
    // Une socket connectée par adresse du serveur, gardée d'un essai à
    // l'autre. Connectée, elle reçoit l'erreur ICMP « port injoignable » :
    // une adresse où personne n'écoute est quittée sans attendre le délai.
    let mut destinations = Vec::new();
    for serveur in adresses {
        match connecter(serveur) {
            Ok(socket) => {
                socket.set_read_timeout(Some(delai))?;
                destinations.push((socket, serveur));
            }
            Err(e) => eprintln!("{serveur} écartée : {e}"),
        }
    }
    anyhow::ensure!(!destinations.is_empty(), "aucune adresse utilisable");
    let mut tampon = [0u8; 4];
    for essai in 1..=commun::ESSAIS {
        for (socket, serveur) in &destinations {
            if let Err(e) = socket.send(&message) {
                eprintln!("envoi impossible à {serveur} : {e}");
                continue;
            }
            match socket.recv(&mut tampon) {
                Ok(4) => {
                    println!("réponse : {}", u32::from_be_bytes(tampon));
                    return Ok(());
                }
                Ok(n) => anyhow::bail!("réponse de {n} octet(s) au lieu de 4"),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    eprintln!("pas de réponse de {serveur} à l'essai {essai}");
                }
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                    eprintln!("personne n'écoute à {serveur} (essai {essai})");
                }
                Err(e) => return Err(e).context("réception impossible"),
            }
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
