//! Créer une socket, l'attacher au port 0 et relire le port choisi.
//!
//! Cet exemple accompagne le chapitre « Nommer une socket ». Sa fonction
//! `socket_attachee` enchaîne trois appels système : créer une socket d'un
//! type donné, l'attacher (`bind`) à un port, puis demander au noyau
//! l'adresse réellement attribuée (`getsockname`). Avec le port 0, c'est le
//! système qui choisit.
//!
//! Il montre ensuite :
//! - la même chose avec la bibliothèque standard (`bind` + `local_addr`) ;
//! - qu'un port TCP déjà attaché ne peut pas l'être une seconde fois ;
//! - qu'un port UDP et un port TCP de même numéro sont deux choses distinctes ;
//! - l'attache implicite d'une socket jamais attachée : au premier `sendto`,
//!   une socket UDP reçoit un port mais garde l'adresse joker 0.0.0.0 ; au
//!   `connect`, une socket TCP reçoit un port et l'adresse de l'interface de
//!   sortie.
//!
//! Les sockets sont attachées à la boucle locale (127.0.0.1) : aucune autre
//! machine ne peut les joindre. Rien n'est envoyé.
//!
//! Lancement : `cargo run -p exemples --bin exemple-creer-socket`

use std::fs;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, UdpSocket};

use anyhow::{Context, Result, anyhow};
use socket2::{Domain, Socket, Type};

/// La plage des ports éphémères de Linux.
const PLAGE_EPHEMERE: &str = "/proc/sys/net/ipv4/ip_local_port_range";

fn main() -> Result<()> {
    println!("1. socket_attachee, avec socket2 (les appels système un par un)");
    // ANCHOR: appel_socket_attachee
    let (socket_udp, adresse_udp) = socket_attachee(Type::DGRAM, Ipv4Addr::LOCALHOST, 0)?;
    println!(
        "  socket UDP attachée à {adresse_udp}, port {}",
        adresse_udp.port()
    );
    let (socket_tcp, adresse_tcp) = socket_attachee(Type::STREAM, Ipv4Addr::LOCALHOST, 0)?;
    println!(
        "  socket TCP attachée à {adresse_tcp}, port {}",
        adresse_tcp.port()
    );
    // ANCHOR_END: appel_socket_attachee
    dans_la_plage(adresse_udp.port());
    dans_la_plage(adresse_tcp.port());

    println!();
    println!("2. La même chose avec la bibliothèque standard");
    // ANCHOR: avec_std
    // `bind` fait ici socket() + bind() (+ listen() pour TcpListener) ;
    // `local_addr` fait getsockname().
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'attacher une socket TCP à 127.0.0.1:0")?;
    let adresse = ecoute
        .local_addr()
        .context("impossible de relire l'adresse de la socket TCP")?;
    println!("  TcpListener attaché à {adresse}");
    let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'attacher une socket UDP à 127.0.0.1:0")?;
    let adresse = udp
        .local_addr()
        .context("impossible de relire l'adresse de la socket UDP")?;
    println!("  UdpSocket attachée à {adresse}");
    // ANCHOR_END: avec_std

    println!();
    println!("3. Un port TCP déjà pris");
    // ANCHOR: port_pris
    // Le port de `socket_tcp` est déjà attaché : un second bind() sur le
    // même port TCP est refusé par le noyau (EADDRINUSE).
    match socket_attachee(Type::STREAM, Ipv4Addr::LOCALHOST, adresse_tcp.port()) {
        Ok((_, adresse)) => println!("  second bind TCP sur {adresse} : accepté (inattendu)"),
        Err(erreur) => println!(
            "  second bind TCP sur le port {} : refusé — {}",
            adresse_tcp.port(),
            erreur.root_cause()
        ),
    }
    // ANCHOR_END: port_pris

    println!();
    println!("4. Même numéro, autre protocole");
    // ANCHOR: meme_numero
    // Le port TCP n et le port UDP n sont deux ports différents : le noyau
    // range les sockets par protocole. Ce bind() réussit donc (sauf si une
    // autre socket UDP de la machine occupe déjà ce numéro, par hasard).
    match socket_attachee(Type::DGRAM, Ipv4Addr::LOCALHOST, adresse_tcp.port()) {
        Ok((_, adresse)) => println!("  bind UDP sur {adresse} : accepté, à côté de la socket TCP"),
        Err(erreur) => println!(
            "  bind UDP sur le port {} : refusé — {}",
            adresse_tcp.port(),
            erreur.root_cause()
        ),
    }
    // ANCHOR_END: meme_numero

    println!();
    println!("5. Sans bind : l'attache implicite");
    attache_implicite(adresse_udp, &ecoute)?;

    // Les sockets sont fermées en sortant de `main` (close() sur chacune).
    drop((socket_udp, socket_tcp));
    Ok(())
}

// ANCHOR: attache_implicite
/// Deux sockets jamais attachées : le noyau les attache lui-même, au premier
/// `sendto` (UDP) ou au `connect` (TCP). `getsockname` montre à quoi.
fn attache_implicite(destination_udp: SocketAddr, ecoute: &TcpListener) -> Result<()> {
    let udp = Socket::new(Domain::IPV4, Type::DGRAM, None).context("l'appel socket() a échoué")?;
    udp.send_to(b"?", &destination_udp.into())
        .context("échec de sendto")?;
    // UDP : un port éphémère, mais l'adresse reste le joker 0.0.0.0.
    println!("  UDP, après sendto  : {}", adresse_locale(&udp)?);

    let tcp = Socket::new(Domain::IPV4, Type::STREAM, None).context("l'appel socket() a échoué")?;
    let serveur = ecoute.local_addr().context("adresse illisible")?;
    tcp.connect(&serveur.into()).context("échec de connect")?;
    // TCP : un port éphémère et l'adresse de l'interface de sortie.
    println!("  TCP, après connect : {}", adresse_locale(&tcp)?);
    Ok(())
}
// ANCHOR_END: attache_implicite

/// L'adresse locale d'une socket IP (`getsockname`).
fn adresse_locale(socket: &Socket) -> Result<SocketAddr> {
    socket
        .local_addr()
        .context("impossible de relire l'adresse de la socket")?
        .as_socket()
        .ok_or_else(|| anyhow!("la socket n'a pas d'adresse IP"))
}

// ANCHOR: socket_attachee
/// Crée une socket IPv4 du type demandé, l'attache à `ip:port` et rend la
/// socket avec l'adresse que le noyau lui a réellement attribuée.
///
/// Avec `port == 0`, le noyau choisit un port libre : seule la relecture
/// (`getsockname`, ici `local_addr`) permet de savoir lequel.
fn socket_attachee(genre: Type, ip: Ipv4Addr, port: u16) -> Result<(Socket, SocketAddr)> {
    // socket(AF_INET, type, 0) : le protocole par défaut du type (TCP pour
    // STREAM, UDP pour DGRAM).
    let socket = Socket::new(Domain::IPV4, genre, None).context("l'appel socket() a échoué")?;

    // bind() : attacher la socket à une adresse. socket2 remplit lui-même la
    // structure sockaddr_in, port et adresse au format réseau. Si bind()
    // échoue, `socket` est lâchée en sortant par `?` : le descripteur est
    // fermé, comme le close() du code C.
    let demandee = SocketAddr::V4(SocketAddrV4::new(ip, port));
    socket
        .bind(&demandee.into())
        .with_context(|| format!("bind sur {demandee} refusé"))?;

    // getsockname() : l'adresse réellement attribuée.
    let attribuee = socket
        .local_addr()
        .context("impossible de relire l'adresse de la socket")?
        .as_socket()
        .ok_or_else(|| anyhow!("la socket n'a pas d'adresse IP"))?;
    Ok((socket, attribuee))
}
// ANCHOR_END: socket_attachee

/// Dit si `port` tombe dans la plage éphémère de la machine.
fn dans_la_plage(port: u16) {
    let texte = fs::read_to_string(PLAGE_EPHEMERE).unwrap_or_default();
    let bornes: Vec<u16> = texte
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match bornes[..] {
        [debut, fin] => {
            let reponse = if (debut..=fin).contains(&port) {
                "oui"
            } else {
                "non"
            };
            println!("  {port} dans la plage éphémère {debut}–{fin} ? {reponse}");
        }
        _ => println!("  plage éphémère inconnue ({PLAGE_EPHEMERE} illisible)"),
    }
}
