//! La table des sockets du système : quel port écoute en TCP, quel port est
//! attaché en UDP, et à quelle adresse. Le correcteur la lit pour savoir
//! qu'un serveur est prêt **sans** s'y connecter ni lui envoyer de sonde
//! (une sonde volerait la place d'un vrai client, ou serait comptée comme
//! une requête).
//!
//! - Linux : `/proc/net/tcp`, `tcp6`, `udp`, `udp6`, lus directement.
//! - Les autres Unix (macOS…) : `lsof -nP -iTCP:PORT -sTCP:LISTEN` et
//!   `lsof -nP -iUDP:PORT` (lsof est livré avec macOS). Sans lsof, la
//!   question n'a pas de réponse : [`Reponse::Inconnue`], que les étapes
//!   rapportent comme non vérifiable, jamais comme un succès.

use std::net::IpAddr;
use std::process::Command;

/// Ce que la table dit d'un port : les adresses locales où il est pris
/// (vide s'il est libre), ou rien si la table est illisible ici.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reponse {
    Adresses(Vec<IpAddr>),
    Inconnue(String),
}

impl Reponse {
    /// Vrai si le port est pris sur au moins une adresse.
    pub fn pris(&self) -> bool {
        matches!(self, Reponse::Adresses(a) if !a.is_empty())
    }
}

/// Les adresses sur lesquelles une socket TCP écoute ce port.
pub fn tcp_en_ecoute(port: u16) -> Reponse {
    if cfg!(target_os = "linux") {
        proc_net(&["/proc/net/tcp", "/proc/net/tcp6"], port, Some("0A"))
    } else {
        lsof(&format!("-iTCP:{port}"), Some("-sTCP:LISTEN"), port)
    }
}

/// Les adresses auxquelles une socket UDP est attachée sur ce port (en UDP,
/// pas d'état LISTEN : une socket apparaît dès son `bind`).
pub fn udp_attachee(port: u16) -> Reponse {
    if cfg!(target_os = "linux") {
        proc_net(&["/proc/net/udp", "/proc/net/udp6"], port, None)
    } else {
        lsof(&format!("-iUDP:{port}"), None, port)
    }
}

/// Vrai si une socket UDP attachée à ce port a des datagrammes reçus par le
/// noyau mais pas encore lus par son programme (colonne `rx_queue` de
/// `/proc/net/udp` et `udp6`) ; `None` si la table ne se lit pas ici (hors
/// Linux). Sert aux diagnostics : « arrivé, mais jamais lu » n'est pas
/// « perdu ».
pub fn udp_en_attente_de_lecture(port: u16) -> Option<bool> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let mut lue = false;
    let mut en_attente = false;
    for table in ["/proc/net/udp", "/proc/net/udp6"] {
        let Ok(texte) = std::fs::read_to_string(table) else {
            continue;
        };
        lue = true;
        en_attente |= file_de_reception_non_vide(&texte, port);
    }
    lue.then_some(en_attente)
}

/// Les ports locaux des sockets UDP que tient le processus `pid` (ses
/// descripteurs `socket:[INODE]`, retrouvés dans `/proc/net/udp` et `udp6`) ;
/// `None` hors Linux ou si ses descripteurs sont illisibles. Sert aux
/// diagnostics : un programme qui tourne attaché à un autre port que celui
/// donné n'a pas fait son `bind` où il fallait.
pub fn ports_udp_du_processus(pid: u32) -> Option<Vec<u16>> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .ok()?
        .filter_map(|entree| std::fs::read_link(entree.ok()?.path()).ok())
        .filter_map(|cible| {
            let cible = cible.to_string_lossy().into_owned();
            Some(
                cible
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_string(),
            )
        })
        .collect();
    let mut ports = Vec::new();
    for table in ["/proc/net/udp", "/proc/net/udp6"] {
        let Ok(texte) = std::fs::read_to_string(table) else {
            continue;
        };
        for ligne in texte.lines().skip(1) {
            let champs: Vec<&str> = ligne.split_whitespace().collect();
            let (Some(locale), Some(inode)) = (champs.get(1), champs.get(9)) else {
                continue;
            };
            let port = locale
                .split_once(':')
                .and_then(|(_, p)| u16::from_str_radix(p, 16).ok());
            if let Some(port) = port
                && inodes.iter().any(|i| i == inode)
            {
                ports.push(port);
            }
        }
    }
    ports.sort_unstable();
    ports.dedup();
    Some(ports)
}

/// Dans le texte d'une table UDP de `/proc/net`, une socket locale de ce port
/// dont la file de réception (`tx_queue:rx_queue`, 4e colonne) n'est pas vide.
fn file_de_reception_non_vide(texte: &str, port: u16) -> bool {
    texte.lines().skip(1).any(|ligne| {
        let champs: Vec<&str> = ligne.split_whitespace().collect();
        let port_lu = champs
            .get(1)
            .and_then(|locale| locale.split_once(':'))
            .and_then(|(_, p)| u16::from_str_radix(p, 16).ok());
        let reception = champs
            .get(4)
            .and_then(|files| files.split_once(':'))
            .and_then(|(_, rx)| u64::from_str_radix(rx, 16).ok());
        port_lu == Some(port) && reception.is_some_and(|octets| octets > 0)
    })
}

/// Lit les tables de `/proc/net` : l'adresse locale est en hexadécimal, dans
/// l'ordre des octets de la machine pour chaque mot de 32 bits.
fn proc_net(tables: &[&str], port: u16, etat: Option<&str>) -> Reponse {
    let mut adresses = Vec::new();
    let mut lue = false;
    for table in tables {
        let Ok(texte) = std::fs::read_to_string(table) else {
            continue;
        };
        lue = true;
        for ligne in texte.lines().skip(1) {
            let champs: Vec<&str> = ligne.split_whitespace().collect();
            let (Some(locale), Some(etat_lu)) = (champs.get(1), champs.get(3)) else {
                continue;
            };
            let Some((adresse, port_lu)) = locale.split_once(':') else {
                continue;
            };
            if u16::from_str_radix(port_lu, 16) != Ok(port)
                || etat.is_some_and(|attendu| *etat_lu != attendu)
            {
                continue;
            }
            if let Some(ip) = adresse_hexadecimale(adresse) {
                adresses.push(ip);
            }
        }
    }
    if lue {
        Reponse::Adresses(adresses)
    } else {
        Reponse::Inconnue("les tables /proc/net sont illisibles".into())
    }
}

/// Qui tient ce port en TCP sur la machine, pour un diagnostic « adresse
/// déjà utilisée » : une ligne par socket dont l'adresse locale a ce port,
/// avec son état et, si on le trouve, le programme qui la possède. `None`
/// si la question n'a pas de réponse ici (ni /proc, ni lsof).
///
/// - Linux : `/proc/net/tcp` et `tcp6` (état, inode), puis le processus
///   dont un descripteur désigne `socket:[inode]` (`/proc/PID/fd`) ; une
///   socket en TIME_WAIT n'a plus de programme.
/// - Ailleurs : `lsof -nP -iTCP:PORT` (il ne montre pas TIME_WAIT).
pub fn occupants_tcp(port: u16) -> Option<Vec<String>> {
    if !cfg!(target_os = "linux") {
        let sortie = crate::lancement::sortie_de(
            Command::new("lsof").args(["-nP", &format!("-iTCP:{port}")]),
        )
        .ok()?;
        return Some(occupants_selon_lsof(
            &String::from_utf8_lossy(&sortie.stdout),
            port,
        ));
    }
    let mut occupants = Vec::new();
    let mut lue = false;
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(texte) = std::fs::read_to_string(table) else {
            continue;
        };
        lue = true;
        for ligne in texte.lines().skip(1) {
            let champs: Vec<&str> = ligne.split_whitespace().collect();
            let (Some(locale), Some(distante), Some(etat), Some(inode)) =
                (champs.get(1), champs.get(2), champs.get(3), champs.get(9))
            else {
                continue;
            };
            let Some((adresse, port_lu)) = locale.split_once(':') else {
                continue;
            };
            if u16::from_str_radix(port_lu, 16) != Ok(port) {
                continue;
            }
            let mut description = match adresse_hexadecimale(adresse) {
                Some(ip) => format!(
                    "{}, {}",
                    std::net::SocketAddr::from((ip, port)),
                    nom_d_etat(etat)
                ),
                None => nom_d_etat(etat).to_string(),
            };
            if let Some((ip, p)) = distante.split_once(':')
                && let (Some(ip), Ok(p)) = (adresse_hexadecimale(ip), u16::from_str_radix(p, 16))
                && p != 0
            {
                description.push_str(&format!(" avec {}", std::net::SocketAddr::from((ip, p))));
            }
            match (*inode != "0").then(|| possesseur(inode)).flatten() {
                Some(programme) => description.push_str(&format!(", programme {programme}")),
                None if *etat == "06" => {
                    description.push_str(" (plus de programme : la connexion finit)")
                }
                None => {}
            }
            occupants.push(description);
        }
    }
    lue.then_some(occupants)
}

/// Les lignes de `lsof -nP -iTCP:PORT` (après l'en-tête : COMMAND PID USER
/// FD TYPE DEVICE SIZE/OFF NODE NAME) dont l'adresse **locale** a ce port
/// (lsof liste aussi les connexions vers ce port).
fn occupants_selon_lsof(texte: &str, port: u16) -> Vec<String> {
    texte
        .lines()
        .skip(1)
        .filter_map(|ligne| {
            let champs: Vec<&str> = ligne.split_whitespace().collect();
            let (commande, pid) = (champs.first()?, champs.get(1)?);
            let nom = champs.get(8..)?.join(" ");
            let locale = nom.split("->").next()?.split(' ').next()?;
            locale
                .ends_with(&format!(":{port}"))
                .then(|| format!("{nom}, programme « {commande} » (pid {pid})"))
        })
        .collect()
}

/// Le nom d'un état TCP de `/proc/net/tcp` (colonne `st`, en hexadécimal).
fn nom_d_etat(code: &str) -> &'static str {
    match code {
        "01" => "ESTABLISHED",
        "02" => "SYN_SENT",
        "03" => "SYN_RECV",
        "04" => "FIN_WAIT1",
        "05" => "FIN_WAIT2",
        "06" => "TIME_WAIT",
        "07" => "CLOSE (attachée, sans écoute)",
        "08" => "CLOSE_WAIT",
        "09" => "LAST_ACK",
        "0A" => "en écoute (LISTEN)",
        "0B" => "CLOSING",
        _ => "état inconnu",
    }
}

/// Le processus dont un descripteur désigne la socket `inode` :
/// « « nom » (pid N) ». Parcourt /proc/PID/fd (diagnostic seulement).
fn possesseur(inode: &str) -> Option<String> {
    let cible = format!("socket:[{inode}]");
    for processus in std::fs::read_dir("/proc").ok()?.flatten() {
        let nom = processus.file_name();
        let Some(pid) = nom
            .to_str()
            .filter(|n| n.bytes().all(|o| o.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(descripteurs) = std::fs::read_dir(processus.path().join("fd")) else {
            continue;
        };
        let trouve = descripteurs.flatten().any(|fd| {
            std::fs::read_link(fd.path()).is_ok_and(|lien| lien.as_os_str() == cible.as_str())
        });
        if trouve {
            let commande =
                std::fs::read_to_string(processus.path().join("comm")).unwrap_or_default();
            return Some(format!("« {} » (pid {pid})", commande.trim()));
        }
    }
    None
}

/// `0100007F` → 127.0.0.1 ; 32 chiffres → une adresse IPv6.
fn adresse_hexadecimale(hexa: &str) -> Option<IpAddr> {
    let mots: Vec<u32> = (0..hexa.len() / 8)
        .map(|i| u32::from_str_radix(&hexa[8 * i..8 * i + 8], 16).ok())
        .collect::<Option<_>>()?;
    // Chaque mot est écrit dans l'ordre de la machine : on le remet en octets.
    let octets: Vec<u8> = mots.iter().flat_map(|m| m.to_ne_bytes()).collect();
    match octets.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(octets).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(octets).ok()?)),
        _ => None,
    }
}

/// Interroge lsof ; ne garde que les sockets dont l'adresse **locale** a ce
/// port (pas les connexions vers ce port).
fn lsof(selection: &str, etat: Option<&str>, port: u16) -> Reponse {
    let mut commande = Command::new("lsof");
    commande.args(["-nP", "-Fn", selection]);
    if let Some(etat) = etat {
        commande.arg(etat);
    }
    let sortie = match crate::lancement::sortie_de(&mut commande) {
        Ok(sortie) => sortie,
        Err(e) => return Reponse::Inconnue(format!("lsof introuvable ({e})")),
    };
    // lsof finit avec le code 1 quand rien ne correspond : c'est une réponse.
    Reponse::Adresses(lire_lsof(&String::from_utf8_lossy(&sortie.stdout), port))
}

/// Les lignes `n127.0.0.1:40123`, `n*:40123`, `n[::1]:40123` ou
/// `n127.0.0.1:40123->127.0.0.1:50000` de `lsof -Fn`.
fn lire_lsof(texte: &str, port: u16) -> Vec<IpAddr> {
    texte
        .lines()
        .filter_map(|ligne| ligne.strip_prefix('n'))
        .filter_map(|nom| {
            let locale = nom.split("->").next()?;
            let (adresse, port_lu) = locale.rsplit_once(':')?;
            if port_lu.parse::<u16>().ok()? != port {
                return None;
            }
            match adresse.trim_start_matches('[').trim_end_matches(']') {
                "*" => Some(IpAddr::from([0, 0, 0, 0])),
                autre => autre.parse().ok(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Un port tenu par une écoute de ce processus : la ligne dit l'adresse,
    /// l'état et ce programme-ci ; un port libre ne donne aucune ligne.
    #[test]
    #[cfg(target_os = "linux")]
    fn nomme_le_programme_qui_tient_un_port() {
        let ecoute = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = ecoute.local_addr().expect("adresse").port();
        let occupants = occupants_tcp(port).expect("/proc lisible");
        let attendu = format!("127.0.0.1:{port}, en écoute (LISTEN), programme « ");
        let pid = format!("(pid {})", std::process::id());
        assert!(
            occupants
                .iter()
                .any(|o| o.starts_with(&attendu) && o.ends_with(&pid)),
            "{occupants:?}"
        );
        drop(ecoute);
        assert_eq!(occupants_tcp(port), Some(Vec::new()));
    }

    /// lsof : l'écoute et la connexion acceptée sur ce port, pas la
    /// connexion d'un client vers ce port depuis un autre.
    #[test]
    fn occupants_lus_dans_lsof() {
        let texte = "COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n\
             serveur  4242 eleve   3u  IPv4 0x1234      0t0  TCP *:27871 (LISTEN)\n\
             serveur  4242 eleve   4u  IPv4 0x1235      0t0  TCP 127.0.0.1:27871->127.0.0.1:50000 (ESTABLISHED)\n\
             client   4343 eleve   3u  IPv4 0x1236      0t0  TCP 127.0.0.1:50000->127.0.0.1:27871 (ESTABLISHED)\n";
        assert_eq!(
            occupants_selon_lsof(texte, 27871),
            [
                "*:27871 (LISTEN), programme « serveur » (pid 4242)",
                "127.0.0.1:27871->127.0.0.1:50000 (ESTABLISHED), programme « serveur » (pid 4242)",
            ]
        );
    }

    /// La file de réception se lit en 5e colonne, seulement pour le port demandé.
    #[test]
    fn file_de_reception_de_proc_net_udp() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n\
             \x20 12: 0100007F:5BF5 00000000:0000 07 00000000:00000340 00:00000000 00000000     0        0 1 2 0\n\
             \x20 13: 0100007F:5BF6 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0\n";
        assert!(file_de_reception_non_vide(table, 0x5BF5));
        assert!(!file_de_reception_non_vide(table, 0x5BF6));
        assert!(!file_de_reception_non_vide(table, 80));
    }

    /// Sous Linux, un datagramme reçu et pas lu se voit ; lu, il disparaît.
    #[test]
    #[cfg(target_os = "linux")]
    fn voit_un_datagramme_pas_encore_lu() {
        let recepteur = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
        let port = recepteur.local_addr().expect("adresse").port();
        assert_eq!(udp_en_attente_de_lecture(port), Some(false));
        let emetteur = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
        emetteur
            .send_to(b"bonjour", ("127.0.0.1", port))
            .expect("envoi");
        let limite = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while udp_en_attente_de_lecture(port) != Some(true) {
            assert!(
                std::time::Instant::now() < limite,
                "datagramme jamais vu en attente"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let mut tampon = [0u8; 16];
        recepteur.recv_from(&mut tampon).expect("réception");
        assert_eq!(udp_en_attente_de_lecture(port), Some(false));
    }
    use std::net::{Ipv4Addr, Ipv6Addr, TcpListener, UdpSocket};

    #[test]
    fn adresses_de_proc_net() {
        let local = u32::from_ne_bytes([127, 0, 0, 1]);
        assert_eq!(
            adresse_hexadecimale(&format!("{local:08X}")),
            Some(IpAddr::from(Ipv4Addr::LOCALHOST))
        );
        assert_eq!(
            adresse_hexadecimale("00000000"),
            Some(IpAddr::from(Ipv4Addr::UNSPECIFIED))
        );
        let un = u32::from_ne_bytes([0, 0, 0, 1]);
        assert_eq!(
            adresse_hexadecimale(&format!("000000000000000000000000{un:08X}")),
            Some(IpAddr::from(Ipv6Addr::LOCALHOST))
        );
    }

    #[test]
    fn lignes_de_lsof() {
        let texte = "p12\nn127.0.0.1:4000\nn*:4000\nn[::1]:4000\nn127.0.0.1:5000->127.0.0.1:4000\n";
        assert_eq!(
            lire_lsof(texte, 4000),
            vec![
                IpAddr::from(Ipv4Addr::LOCALHOST),
                IpAddr::from(Ipv4Addr::UNSPECIFIED),
                IpAddr::from(Ipv6Addr::LOCALHOST),
            ]
        );
    }

    #[test]
    fn voit_les_ports_udp_du_processus() {
        let socket = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let port = socket.local_addr().expect("adresse").port();
        if let Some(ports) = ports_udp_du_processus(std::process::id()) {
            assert!(ports.contains(&port), "{port} absent de {ports:?}");
        }
    }

    #[test]
    fn voit_une_ecoute_tcp_et_son_adresse() {
        let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let port = ecoute.local_addr().expect("adresse").port();
        assert_eq!(
            tcp_en_ecoute(port),
            Reponse::Adresses(vec![IpAddr::from(Ipv4Addr::LOCALHOST)])
        );
        drop(ecoute);
        assert!(!tcp_en_ecoute(port).pris());
    }

    #[test]
    fn voit_une_socket_udp_attachee_partout() {
        let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).expect("bind");
        let port = socket.local_addr().expect("adresse").port();
        assert_eq!(
            udp_attachee(port),
            Reponse::Adresses(vec![IpAddr::from(Ipv4Addr::UNSPECIFIED)])
        );
    }

    /// Le chemin des autres Unix (lsof), essayé ici aussi : il donne la même
    /// réponse que /proc.
    #[test]
    #[ignore = "demande lsof (lancé par .ci/run, qui l'installe)"]
    fn lsof_donne_la_meme_reponse() {
        let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let port = ecoute.local_addr().expect("adresse").port();
        assert_eq!(
            lsof(&format!("-iTCP:{port}"), Some("-sTCP:LISTEN"), port),
            tcp_en_ecoute(port)
        );
        let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).expect("bind");
        let port = socket.local_addr().expect("adresse").port();
        assert_eq!(
            lsof(&format!("-iUDP:{port}"), None, port),
            udp_attachee(port)
        );
    }
}
