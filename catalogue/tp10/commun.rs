//! Ce que les solutions fausses du TP10 font correctement : lire leurs
//! arguments, ouvrir leur socket, afficher ce qu'elles reçoivent, attendre
//! une réponse en ignorant les intrus. Chaque programme du catalogue n'a
//! ainsi dans son propre fichier que son erreur.
//!
//! (Chaque programme n'utilise qu'une partie de ce module.)
#![allow(dead_code)]

use std::io;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

/// Le port du chapitre, quand aucun n'est donné.
const PORT_PAR_DEFAUT: u16 = 31470;
/// Nombre d'envois de la requête, le premier compris.
pub const ESSAIS: u32 = 3;
/// La plus grande charge utile d'un datagramme UDP sur IPv4.
pub const TAILLE_MAX_DATAGRAMME: usize = 65_507;

/// `NOM serveur [PORT]` : la socket attachée à 127.0.0.1:PORT.
pub fn ouvrir_serveur() -> anyhow::Result<UdpSocket> {
    let port = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(PORT_PAR_DEFAUT);
    let socket = UdpSocket::bind(("127.0.0.1", port))?;
    println!("Le serveur UDP attend sur {}", socket.local_addr()?);
    Ok(socket)
}

/// Affiche un datagramme reçu, comme le demande le chapitre : texte lu avec
/// des `�`, caractères de contrôle échappés.
pub fn afficher(octets: &[u8], client: SocketAddr) {
    println!(
        "reçu de {client} : {}",
        echapper(&String::from_utf8_lossy(octets))
    );
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

/// La requête d'un client : `NOM client [--delai MS] HÔTE PORT MESSAGE`.
pub struct Requete {
    pub socket: UdpSocket,
    pub serveur: SocketAddr,
    pub message: Vec<u8>,
    pub delai: Duration,
}

/// `NOM client [--delai MS] HÔTE PORT MESSAGE` : les adresses du serveur,
/// toutes, dans l'ordre de la résolution, le message et le délai.
pub fn arguments_du_client() -> anyhow::Result<(Vec<SocketAddr>, Vec<u8>, Duration)> {
    let mut args: Vec<String> = std::env::args().skip(2).collect();
    let mut delai = Duration::from_secs(1);
    if args.first().is_some_and(|a| a == "--delai") {
        delai = Duration::from_millis(args[1].parse()?);
        args.drain(..2);
    }
    let [hote, port, message] = &args[..] else {
        anyhow::bail!("usage : client [--delai MS] HÔTE PORT MESSAGE");
    };
    let adresses: Vec<SocketAddr> = (hote.as_str(), port.parse::<u16>()?)
        .to_socket_addrs()?
        .collect();
    anyhow::ensure!(!adresses.is_empty(), "aucune adresse pour {hote}");
    Ok((adresses, message.clone().into_bytes(), delai))
}

/// Lit les arguments du client et, pour chaque adresse du serveur, dans
/// l'ordre de la résolution, ouvre une socket de sa famille (port
/// éphémère) : les requêtes à essayer l'une après l'autre. Une famille que
/// la machine n'a pas (pas d'IPv6) est laissée de côté.
pub fn ouvrir_client() -> anyhow::Result<Vec<Requete>> {
    let (adresses, message, delai) = arguments_du_client()?;
    let mut requetes = Vec::new();
    let mut derniere = None;
    for serveur in adresses {
        // La socket du client est de la famille de l'adresse du serveur.
        let locale = if serveur.is_ipv4() {
            "0.0.0.0:0"
        } else {
            "[::]:0"
        };
        match UdpSocket::bind(locale) {
            Ok(socket) => requetes.push(Requete {
                socket,
                serveur,
                message: message.clone(),
                delai,
            }),
            Err(e) => derniere = Some(e),
        }
    }
    if requetes.is_empty() {
        return Err(derniere
            .map(anyhow::Error::from)
            .unwrap_or_else(|| anyhow::anyhow!("aucune adresse pour le serveur")));
    }
    Ok(requetes)
}

/// Un essai vers une adresse : la requête, puis l'attente de la réponse
/// (au plus `delai`). Un envoi qui échoue sur place (une socket qui ne sait
/// pas écrire à cette adresse) fait passer à l'adresse suivante.
pub fn essayer(requete: &Requete) -> anyhow::Result<Option<u32>> {
    if let Err(e) = requete.socket.send_to(&requete.message, requete.serveur) {
        eprintln!("envoi impossible à {} : {e}", requete.serveur);
        return Ok(None);
    }
    attendre_du_serveur(requete)
}

/// Les adresses essayées, pour le message d'abandon : « [::1]:P, 127.0.0.1:P ».
pub fn adresses(requetes: &[Requete]) -> String {
    requetes
        .iter()
        .map(|r| r.serveur.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Attend, au plus `delai`, une réponse de 4 octets venue du serveur ; les
/// datagrammes d'autres adresses sont ignorés.
pub fn attendre_du_serveur(requete: &Requete) -> anyhow::Result<Option<u32>> {
    let limite = Instant::now() + requete.delai;
    let mut tampon = [0u8; 4];
    loop {
        let reste = limite.saturating_duration_since(Instant::now());
        if reste.is_zero() {
            return Ok(None);
        }
        requete.socket.set_read_timeout(Some(reste))?;
        match requete.socket.recv_from(&mut tampon) {
            Ok((4, de)) if de == requete.serveur => return Ok(Some(u32::from_be_bytes(tampon))),
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        }
    }
}
