//! UDP côté correcteur (TP10, TP11) : des ports libres pour UDP, l'attente
//! qu'un programme ait attaché sa socket, et une socket de test dont chaque
//! réception est bornée dans le temps et surveille le programme testé.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitStatus;
use std::thread;
use std::time::{Duration, Instant};

use crate::processus::Programme;
use crate::reseau::{self, BOUCLE_LOCALE, Injoignable};

/// Pause entre deux regards sur `/proc/net/udp`.
const PAUSE_SCRUTATION: Duration = Duration::from_millis(10);
/// Tranche d'attente d'une réception : entre deux tranches, on regarde si le
/// programme testé vit encore.
const TRANCHE: Duration = Duration::from_millis(20);
/// Au-delà de 4, un datagramme ne peut pas être une réponse ; on lit tout de
/// même le plus grand possible pour le montrer tel quel.
const TAILLE_MAX: usize = 65_536;

/// Un port libre pour un serveur UDP d'étudiant : libre en TCP (c'est ce que
/// garantit [`reseau::port_libre`]) **et** en UDP sur la boucle locale.
pub fn port_libre() -> u16 {
    // Borné : chaque tour prend un port TCP de plus à reseau::port_libre, qui
    // s'arrête lui-même en le disant quand il n'en a plus.
    loop {
        let port = reseau::port_libre();
        // Sonde sans lancement pendant (voir `lancement`).
        let libre =
            crate::lancement::sans_lancement(|| UdpSocket::bind((BOUCLE_LOCALE, port)).is_ok());
        if libre {
            return port;
        }
    }
}

/// Attend, au plus `delai`, qu'une ligne écrite par `programme` satisfasse
/// `condition` (lignes préfixées du rôle, comme dans un diagnostic). Regarde
/// à nouveau toutes les [`PAUSE_SCRUTATION`] : une ligne affichée juste après
/// la réponse au client arrive parfois après que le client l'a lue.
pub fn attendre_ligne_telle(
    programme: &Programme,
    condition: impl Fn(&str) -> bool,
    delai: Duration,
) -> bool {
    let limite = Instant::now() + delai;
    loop {
        if programme.dernieres_lignes().iter().any(|l| condition(l)) {
            return true;
        }
        if Instant::now() >= limite {
            return false;
        }
        thread::sleep(PAUSE_SCRUTATION);
    }
}

/// Attend qu'une socket UDP soit attachée à `port` (lu dans la table des
/// sockets du système), sans lui rien envoyer : un datagramme de sonde serait compté
/// par le serveur comme une vraie requête.
pub fn attendre_attache(
    port: u16,
    programme: &mut Programme,
    delai: Duration,
) -> Result<(), Injoignable> {
    let limite = Instant::now() + delai;
    loop {
        if attachee(port) {
            return Ok(());
        }
        if let Some(statut) = programme.statut() {
            return Err(Injoignable::Arrete(statut));
        }
        if Instant::now() >= limite {
            return Err(Injoignable::Delai(None));
        }
        thread::sleep(PAUSE_SCRUTATION);
    }
}

/// Vrai si une socket UDP est attachée à ce port local (la table des
/// sockets du système, voir [`crate::table_des_sockets`]).
fn attachee(port: u16) -> bool {
    crate::table_des_sockets::udp_attachee(port).pris()
}

/// Les adresses locales des sockets UDP attachées à `port`, lues dans la
/// table des sockets du système : `127.0.0.1` (boucle locale) ou `0.0.0.0`
/// (toutes les interfaces) se distinguent ainsi sans rien envoyer. Vide si
/// la table est illisible ici (voir [`crate::table_des_sockets`]).
pub fn adresses_attachees(port: u16) -> Vec<std::net::IpAddr> {
    match crate::table_des_sockets::udp_attachee(port) {
        crate::table_des_sockets::Reponse::Adresses(adresses) => adresses,
        crate::table_des_sockets::Reponse::Inconnue(_) => Vec::new(),
    }
}

/// Si la socket UDP attachée à `port` ne l'est pas qu'à la boucle locale
/// (mais à `0.0.0.0` ou `[::]`, toutes les interfaces), l'explication à
/// donner au `role` (« serveur », « programme »). `None` si elle l'est, ou
/// si la table des sockets est illisible ici.
pub fn hors_de_la_boucle_locale(port: u16, role: &str) -> Option<String> {
    // Une même adresse peut revenir deux fois (vu une fois sous charge :
    // « sur 0.0.0.0, 0.0.0.0 ») ; cause probable : /proc/net/udp n'est pas
    // lu d'un bloc, une socket peut y apparaître deux fois.
    let mut ailleurs: Vec<String> = adresses_attachees(port)
        .into_iter()
        .filter(|a| !a.is_loopback())
        .map(|a| a.to_string())
        .collect();
    ailleurs.sort();
    ailleurs.dedup();
    (!ailleurs.is_empty()).then(|| {
        format!(
            "Le {role} est attaché au port {port}, mais sur {} (toutes les interfaces), pas sur \
             la boucle locale : exposé au réseau, il répondrait à des adresses inventées.",
            ailleurs.join(", ")
        )
    })
}

/// Pourquoi aucun datagramme n'est arrivé.
#[derive(Debug)]
pub enum Attente {
    /// Rien dans le délai, et le programme tourne encore.
    Delai,
    /// Le programme s'est arrêté (et rien n'était en route).
    Arrete(ExitStatus),
    /// Erreur système.
    Erreur(io::Error),
}

/// Un datagramme reçu : ses octets et son expéditeur.
pub type Datagramme = (Vec<u8>, SocketAddr);

/// Une socket UDP du correcteur, attachée à 127.0.0.1 sur un port choisi
/// par le noyau : elle joue un client face au serveur testé, ou le serveur
/// face au client testé.
pub struct SocketUdp {
    socket: UdpSocket,
}

impl SocketUdp {
    pub fn ouvrir() -> io::Result<SocketUdp> {
        Ok(SocketUdp {
            socket: UdpSocket::bind((BOUCLE_LOCALE, 0))?,
        })
    }

    /// Comme [`SocketUdp::ouvrir`], sur la boucle locale IPv6 (`[::1]`) ;
    /// `None` si la machine n'en a pas (IPv6 désactivé).
    pub fn ouvrir_ipv6() -> Option<SocketUdp> {
        UdpSocket::bind((std::net::Ipv6Addr::LOCALHOST, 0))
            .ok()
            .map(|socket| SocketUdp { socket })
    }

    /// Une socket du correcteur attachée à une adresse choisie (une boucle
    /// locale, un port donné ou 0).
    pub fn ouvrir_sur(adresse: SocketAddr) -> io::Result<SocketUdp> {
        Ok(SocketUdp {
            socket: UdpSocket::bind(adresse)?,
        })
    }

    pub fn adresse(&self) -> SocketAddr {
        self.socket
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from((BOUCLE_LOCALE, 0)))
    }

    pub fn port(&self) -> u16 {
        self.adresse().port()
    }

    /// Envoie un datagramme entier (UDP n'envoie jamais à moitié).
    pub fn envoyer(&self, octets: &[u8], vers: SocketAddr) -> io::Result<()> {
        self.socket.send_to(octets, vers)?;
        crate::echange::datagramme(&self.socket, vers, octets, true);
        Ok(())
    }

    /// Attend un datagramme, au plus `delai`. Rend la main dès que le
    /// programme surveillé s'arrête, après avoir pris ce qu'il a envoyé
    /// avant de s'arrêter (sur la boucle locale, un datagramme envoyé est
    /// déjà dans notre file quand `send_to` revient).
    pub fn recevoir(
        &self,
        programme: &mut Programme,
        delai: Duration,
    ) -> Result<Datagramme, Attente> {
        let limite = Instant::now() + delai;
        loop {
            let arrete = programme.statut();
            let reste = limite.saturating_duration_since(Instant::now());
            let tranche = if arrete.is_some() {
                Duration::from_millis(1)
            } else {
                TRANCHE.min(reste).max(Duration::from_millis(1))
            };
            match self.recevoir_pendant(tranche) {
                Ok(Some(datagramme)) => return Ok(datagramme),
                Ok(None) => {}
                Err(e) => return Err(Attente::Erreur(e)),
            }
            if let Some(statut) = arrete {
                return Err(Attente::Arrete(statut));
            }
            if reste.is_zero() {
                return Err(Attente::Delai);
            }
        }
    }

    /// Attend un datagramme au plus `delai`, sans surveiller de programme
    /// (quand le programme testé ne peut plus rien changer à ce qui est en
    /// route). `None` si rien n'est venu, ou sur erreur.
    pub fn recevoir_sans_programme(&self, delai: Duration) -> Option<Datagramme> {
        self.recevoir_pendant(delai.max(Duration::from_millis(1)))
            .ok()
            .flatten()
    }

    /// Tout ce qui attend déjà dans la file de la socket (sans attendre).
    pub fn vider(&self) -> Vec<Datagramme> {
        let mut recus = Vec::new();
        while let Ok(Some(datagramme)) = self.recevoir_pendant(Duration::from_millis(1)) {
            recus.push(datagramme);
        }
        recus
    }

    /// Un `recv_from` borné : `None` si rien n'est arrivé pendant `duree`.
    fn recevoir_pendant(&self, duree: Duration) -> io::Result<Option<Datagramme>> {
        self.socket.set_read_timeout(Some(duree))?;
        let mut tampon = vec![0u8; TAILLE_MAX];
        match self.socket.recv_from(&mut tampon) {
            Ok((taille, de)) => {
                tampon.truncate(taille);
                crate::echange::datagramme(&self.socket, de, &tampon, false);
                Ok(Some((tampon, de)))
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn repere_une_socket_udp_attachee() {
        let socket = UdpSocket::bind((BOUCLE_LOCALE, 0)).expect("bind");
        let port = socket.local_addr().expect("adresse").port();
        assert!(attachee(port));
        drop(socket);
        assert!(!attachee(port));
    }

    #[test]
    fn reception_bornee_et_arret_du_programme_vu_tout_de_suite() {
        let socket = SocketUdp::ouvrir().expect("socket");
        let mut dort =
            Programme::lancer(Path::new("/bin/sh"), "essai", &["-c", "sleep 5"]).expect("sh");
        let debut = Instant::now();
        assert!(matches!(
            socket.recevoir(&mut dort, Duration::from_millis(100)),
            Err(Attente::Delai)
        ));
        assert!(debut.elapsed() < Duration::from_secs(2));
        let mut fini =
            Programme::lancer(Path::new("/bin/sh"), "essai", &["-c", "exit 3"]).expect("sh");
        let debut = Instant::now();
        assert!(matches!(
            socket.recevoir(&mut fini, Duration::from_secs(30)),
            Err(Attente::Arrete(_))
        ));
        assert!(debut.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn recoit_un_datagramme_et_son_expediteur() {
        let a = SocketUdp::ouvrir().expect("a");
        let b = SocketUdp::ouvrir().expect("b");
        let mut dort =
            Programme::lancer(Path::new("/bin/sh"), "essai", &["-c", "sleep 5"]).expect("sh");
        a.envoyer(b"", b.adresse()).expect("envoi");
        a.envoyer(b"deux", b.adresse()).expect("envoi");
        let (octets, de) = b
            .recevoir(&mut dort, Duration::from_secs(2))
            .expect("datagramme vide");
        assert_eq!((octets.as_slice(), de), (&b""[..], a.adresse()));
        assert_eq!(b.vider(), vec![(b"deux".to_vec(), a.adresse())]);
    }
}
