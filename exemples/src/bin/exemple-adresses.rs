//! Des adresses écrites en texte, et la longueur « valeur-résultat ».
//!
//! Cet exemple accompagne le chapitre « Nommer une socket ».
//!
//! 1. Convertir une adresse entre sa forme texte (`"127.0.0.1"`) et ses
//!    octets en ordre réseau : `inet_pton` et `inet_ntop` en C (appelées ici
//!    par `libc`, telles quelles), `Ipv4Addr::from_str` et `to_string` en
//!    Rust. Une chaîne invalide est refusée des deux côtés.
//! 2. L'argument de longueur de `accept` et de `recvfrom` : le programme y
//!    met la taille de la structure qu'il prête, le noyau y écrit la taille
//!    de l'adresse qu'il y a rangée. Trop petite, l'adresse est tronquée, et
//!    seule la longueur rendue le dit.
//!
//! Tout se passe sur 127.0.0.1, port choisi par le système ; chaque attente
//! est bornée.
//!
//! Lancement : `cargo run -p exemples --bin exemple-adresses`

use std::ffi::{CStr, CString};
use std::mem;
use std::net::{Ipv4Addr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// Délai maximal des lectures de l'exemple.
const DELAI_MAX: Duration = Duration::from_secs(5);

// Les deux fonctions de la bibliothèque C, déclarées telles que les donne
// `<arpa/inet.h>` (la caisse `libc` ne les expose pas).
unsafe extern "C" {
    fn inet_pton(
        famille: libc::c_int,
        texte: *const libc::c_char,
        octets: *mut libc::c_void,
    ) -> libc::c_int;
    fn inet_ntop(
        famille: libc::c_int,
        octets: *const libc::c_void,
        texte: *mut libc::c_char,
        taille: libc::socklen_t,
    ) -> *const libc::c_char;
}

fn main() -> Result<()> {
    println!("1. Du texte aux octets, et retour");
    for texte in ["127.0.0.1", "192.168.1.20", "256.1.2.3", "localhost"] {
        texte_et_octets(texte)?;
    }
    println!();
    println!("2. La longueur, un argument valeur-résultat");
    longueur_d_accept()?;
    longueur_de_recvfrom()?;
    Ok(())
}

/// Compare `inet_pton`/`inet_ntop` (C) et `from_str`/`to_string` (Rust) sur
/// une chaîne.
fn texte_et_octets(texte: &str) -> Result<()> {
    // ANCHOR: inet_pton
    // inet_pton : texte → 4 octets en ordre réseau. Elle rend 1 si la chaîne
    // est une adresse IPv4, 0 sinon (et -1 pour une famille inconnue).
    let chaine = CString::new(texte).context("chaîne avec un octet nul")?;
    let mut octets = libc::in_addr { s_addr: 0 };
    // SAFETY: `chaine` est une chaîne C terminée par un octet nul, et
    // `octets` est une `in_addr` valide, que inet_pton remplit.
    // (Déclarée plus haut, comme en C : `#include <arpa/inet.h>`.)
    let code = unsafe {
        inet_pton(
            libc::AF_INET,
            chaine.as_ptr(),
            (&raw mut octets).cast::<libc::c_void>(),
        )
    };
    // En Rust : FromStr, qui rend un Result.
    let analyse = Ipv4Addr::from_str(texte);
    // ANCHOR_END: inet_pton
    match (code, analyse) {
        (1, Ok(adresse)) => {
            let en_memoire = octets.s_addr.to_ne_bytes();
            println!(
                "  {texte:<14} inet_pton → 1, octets {} ; from_str → {adresse:?}, octets {}",
                hexa(&en_memoire),
                hexa(&adresse.octets())
            );
            println!(
                "  {:<14} et retour : inet_ntop → {:?}, to_string → {:?}",
                "",
                texte_de(octets)?,
                adresse.to_string()
            );
        }
        (0, Err(erreur)) => {
            println!("  {texte:<14} inet_pton → 0 (pas une adresse) ; from_str → Err({erreur})");
        }
        (code, analyse) => {
            bail!("C et Rust ne sont pas d'accord sur {texte:?} : {code} contre {analyse:?}")
        }
    }
    Ok(())
}

// ANCHOR: inet_ntop
/// inet_ntop : 4 octets en ordre réseau → texte. Le programme prête un
/// tampon assez grand (`INET_ADDRSTRLEN`, 16 octets avec le nul final).
fn texte_de(adresse: libc::in_addr) -> Result<String> {
    const INET_ADDRSTRLEN: usize = 16;
    let mut tampon = [0 as libc::c_char; INET_ADDRSTRLEN];
    // SAFETY: `adresse` est une `in_addr` valide ; `tampon` a la taille
    // annoncée, et inet_ntop y écrit une chaîne terminée par un nul.
    let rendu = unsafe {
        inet_ntop(
            libc::AF_INET,
            (&raw const adresse).cast::<libc::c_void>(),
            tampon.as_mut_ptr(),
            INET_ADDRSTRLEN as libc::socklen_t,
        )
    };
    if rendu.is_null() {
        return Err(std::io::Error::last_os_error()).context("inet_ntop a échoué");
    }
    // SAFETY: inet_ntop a réussi : `tampon` contient une chaîne C terminée.
    let texte = unsafe { CStr::from_ptr(tampon.as_ptr()) };
    Ok(texte.to_string_lossy().into_owned())
}
// ANCHOR_END: inet_ntop

/// Les octets en hexadécimal, entre crochets.
fn hexa(octets: &[u8]) -> String {
    let texte: Vec<String> = octets.iter().map(|o| format!("{o:02X}")).collect();
    format!("[{}]", texte.join(" "))
}

/// `accept` avec une `sockaddr_storage` : la longueur entre à 128 et ressort
/// à 16, la taille d'une `sockaddr_in`.
fn longueur_d_accept() -> Result<()> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'ouvrir une socket d'écoute sur 127.0.0.1")?;
    let adresse = ecoute.local_addr().context("adresse illisible")?;
    let client = TcpStream::connect(adresse).context("connexion impossible")?;
    let attendu = client.local_addr().context("adresse du client illisible")?;

    // ANCHOR: accept
    // Une structure assez grande pour n'importe quelle famille, et sa taille
    // dans `longueur` : c'est la valeur d'entrée.
    // SAFETY: une sockaddr_storage remplie de zéros est valide.
    let mut pair: libc::sockaddr_storage = unsafe { mem::zeroed() };
    let mut longueur = mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    let avant = longueur;
    // SAFETY: `pair` et `longueur` vivent jusqu'à la fin de l'appel, et
    // `longueur` annonce la taille réelle de `pair`.
    let service = unsafe {
        libc::accept(
            ecoute.as_raw_fd(),
            (&raw mut pair).cast::<libc::sockaddr>(),
            &mut longueur,
        )
    };
    if service < 0 {
        return Err(std::io::Error::last_os_error()).context("accept a échoué");
    }
    // Au retour, `longueur` est la valeur de sortie : la taille de l'adresse
    // que le noyau a vraiment écrite.
    println!("  accept   : longueur {avant} à l'appel, {longueur} au retour (une sockaddr_in)");
    // ANCHOR_END: accept
    // SAFETY: `service` est un descripteur ouvert par accept, fermé une
    // seule fois ici.
    unsafe { libc::close(service) };
    let vu = adresse_ipv4(&pair, longueur)?;
    println!("             le client vu par accept : {vu}, celui qui s'est connecté : {attendu}");
    if vu != attendu.to_string() {
        bail!("accept a rendu {vu}, le client est {attendu}");
    }
    Ok(())
}

/// `recvfrom` avec une longueur trop petite : l'adresse est tronquée, et la
/// longueur rendue, plus grande que la place prêtée, le signale.
fn longueur_de_recvfrom() -> Result<()> {
    let recepteur = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'attacher une socket UDP à 127.0.0.1:0")?;
    recepteur
        .set_read_timeout(Some(DELAI_MAX))
        .context("impossible de régler le délai de lecture")?;
    let adresse = recepteur.local_addr().context("adresse illisible")?;
    let emetteur = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'attacher une socket UDP à 127.0.0.1:0")?;
    for message in [&b"un"[..], &b"deux"[..]] {
        emetteur
            .send_to(message, adresse)
            .context("échec de send_to")?;
    }

    for pretee in [mem::size_of::<libc::sockaddr_in>(), 4] {
        // ANCHOR: recvfrom
        let mut tampon = [0u8; 64];
        // SAFETY: une sockaddr_in remplie de zéros est valide.
        let mut expediteur: libc::sockaddr_in = unsafe { mem::zeroed() };
        let mut longueur = pretee as libc::socklen_t;
        // SAFETY: `tampon` et `expediteur` vivent jusqu'à la fin de l'appel ;
        // `longueur` n'annonce jamais plus que la taille de `expediteur`.
        let lus = unsafe {
            libc::recvfrom(
                recepteur.as_raw_fd(),
                tampon.as_mut_ptr().cast::<libc::c_void>(),
                tampon.len(),
                0,
                (&raw mut expediteur).cast::<libc::sockaddr>(),
                &mut longueur,
            )
        };
        // ANCHOR_END: recvfrom
        if lus < 0 {
            return Err(std::io::Error::last_os_error()).context("recvfrom a échoué");
        }
        if longueur as usize > pretee {
            // Seuls les 4 premiers octets (famille et port) ont été écrits :
            // l'adresse IP est restée à zéro.
            println!(
                "  recvfrom : {pretee} octets prêtés, longueur rendue {longueur} : adresse \
                 tronquée ({})",
                adresse_ipv4_de(&expediteur)
            );
        } else {
            println!(
                "  recvfrom : {pretee} octets prêtés, longueur rendue {longueur} : expéditeur {}",
                adresse_ipv4_de(&expediteur)
            );
        }
    }
    Ok(())
}

/// L'adresse IPv4 rangée dans une `sockaddr_storage` par le noyau.
fn adresse_ipv4(stockage: &libc::sockaddr_storage, longueur: libc::socklen_t) -> Result<String> {
    if i32::from(stockage.ss_family) != libc::AF_INET
        || (longueur as usize) < mem::size_of::<libc::sockaddr_in>()
    {
        bail!("adresse inattendue : famille {}", stockage.ss_family);
    }
    // SAFETY: la famille est AF_INET et la longueur celle d'une
    // sockaddr_in : le début de la structure est une sockaddr_in.
    let v4 = unsafe { &*(std::ptr::from_ref(stockage).cast::<libc::sockaddr_in>()) };
    Ok(adresse_ipv4_de(v4))
}

/// `ip:port` d'une `sockaddr_in`, en passant des octets réseau aux types de
/// Rust.
fn adresse_ipv4_de(adresse: &libc::sockaddr_in) -> String {
    let ip = Ipv4Addr::from(adresse.sin_addr.s_addr.to_ne_bytes());
    format!("{ip}:{}", u16::from_be(adresse.sin_port))
}
