//! IPv6 et double pile, sur la boucle locale.
//!
//! 1. Lire et écrire des adresses (ce que font `inet_pton` et `inet_ntop`
//!    en C) ;
//! 2. une socket d'écoute sur `[::]` **sans** `IPV6_V6ONLY` : elle accepte
//!    les clients IPv6 et IPv4, ces derniers vus comme `::ffff:127.0.0.1` ;
//! 3. la même **avec** `IPV6_V6ONLY` : un client IPv4 est refusé ;
//! 4. un client qui essaie, dans l'ordre, chaque adresse d'un nom résolu.
//!
//! Chapitre « IPv6 et double pile ». Tout reste sur 127.0.0.1 et ::1, sur
//! des ports choisis par le noyau ; sans boucle locale IPv6, l'exemple le
//! dit et s'arrête (code 2).

use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use socket2::{Domain, Socket, Type};

fn main() -> ExitCode {
    if TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_err() {
        eprintln!("pas de boucle locale IPv6 (::1) sur cette machine : exemple impossible ici");
        return ExitCode::from(2);
    }
    match deroule() {
        Ok(()) => ExitCode::SUCCESS,
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
    }
}

fn deroule() -> Result<()> {
    println!("1. Des adresses, du texte aux octets et retour");
    // ANCHOR: pton
    // `parse` fait le travail d'inet_pton : du texte vers les 16 octets (en
    // ordre réseau) ; `to_string` celui d'inet_ntop, en forme abrégée : la
    // plus longue suite de groupes nuls devient « :: ».
    for texte in [
        "::1",
        "2001:db8:0:0:0:0:0:2a",
        "fe80::1",
        "::ffff:127.0.0.1",
    ] {
        let adresse: Ipv6Addr = texte.parse().context("adresse IPv6 invalide")?;
        let octets: Vec<String> = adresse
            .octets()
            .iter()
            .map(|o| format!("{o:02x}"))
            .collect();
        println!("  {texte:<24} → {}  → {adresse}", octets.join(""));
    }
    // ANCHOR_END: pton
    println!();

    println!("2. Une seule socket pour IPv6 et IPv4 (IPV6_V6ONLY désactivé)");
    // ANCHOR: double_pile
    let ecoute = Socket::new(Domain::IPV6, Type::STREAM, None)?;
    // Explicite : la valeur par défaut dépend du système (Linux : faux,
    // selon /proc/sys/net/ipv6/bindv6only ; Windows : vrai).
    ecoute.set_only_v6(false)?;
    ecoute.bind(&SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)).into())?;
    ecoute.listen(8)?;
    let ecoute: TcpListener = ecoute.into();
    let port = ecoute.local_addr()?.port();
    for client in [
        IpAddr::from(Ipv6Addr::LOCALHOST),
        IpAddr::from(Ipv4Addr::LOCALHOST),
    ] {
        let _connexion = TcpStream::connect((client, port))?;
        let (_service, adresse) = ecoute.accept()?;
        // Un client IPv4 arrive sous la forme d'une adresse IPv6 « mappée ».
        let vue = match adresse.ip() {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => format!("{} (IPv4 {v4} mappée)", adresse.ip()),
                None => adresse.ip().to_string(),
            },
            IpAddr::V4(v4) => v4.to_string(),
        };
        println!("  client {client:<10} → accepté, vu comme {vue}");
    }
    // ANCHOR_END: double_pile
    println!();

    println!("3. La même, avec IPV6_V6ONLY");
    let seulement_v6 = Socket::new(Domain::IPV6, Type::STREAM, None)?;
    seulement_v6.set_only_v6(true)?;
    seulement_v6.bind(&SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)).into())?;
    seulement_v6.listen(8)?;
    let port = seulement_v6
        .local_addr()?
        .as_socket()
        .map(|a| a.port())
        .unwrap_or(0);
    match TcpStream::connect((Ipv4Addr::LOCALHOST, port)) {
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
            println!("  client 127.0.0.1 → refusé : personne n'écoute en IPv4 sur ce port")
        }
        Err(e) => println!("  client 127.0.0.1 → erreur inattendue : {e}"),
        Ok(_) => println!("  client 127.0.0.1 → accepté (inattendu)"),
    }
    println!();

    println!("4. Un client qui essaie chaque adresse, dans l'ordre");
    // Un serveur qui n'écoute qu'en IPv4 : la première adresse (IPv6) échoue.
    let serveur = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let port = serveur.local_addr()?.port();
    let adresses = [
        SocketAddr::from((Ipv6Addr::LOCALHOST, port)),
        SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
    ];
    let flux = connecter_a_l_une(&adresses[..])?;
    println!("  connecté à {}", flux.peer_addr()?);
    Ok(())
}

// ANCHOR: une_par_une
/// Essaie chaque adresse à son tour, comme `TcpStream::connect` le fait
/// avec les adresses d'un nom : la première qui répond l'emporte, et si
/// toutes échouent, on rend la dernière erreur.
fn connecter_a_l_une(adresses: impl ToSocketAddrs) -> Result<TcpStream> {
    let mut derniere = None;
    for adresse in adresses.to_socket_addrs()? {
        match TcpStream::connect_timeout(&adresse, Duration::from_secs(2)) {
            Ok(flux) => return Ok(flux),
            Err(erreur) => {
                println!("  {adresse} → {erreur}");
                derniere = Some(erreur);
            }
        }
    }
    Err(derniere.map_or_else(
        || anyhow::anyhow!("le nom ne donne aucune adresse"),
        anyhow::Error::from,
    ))
}
// ANCHOR_END: une_par_une
