//! Ce que le TP11 demande en plus du harnais commun : savoir qu'une socket
//! UDP est attachée à un port, et jouer un pair UDP dont chaque attente est
//! bornée. (L'entrée standard du programme, elle, est tapée par
//! [`Programme::taper`].)

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitStatus;
use std::thread;
use std::time::{Duration, Instant};

use crate::processus::Programme;
use crate::reseau::BOUCLE_LOCALE;

/// Pause entre deux regards (port pas encore attaché, texte pas encore écrit).
const SCRUTATION: Duration = Duration::from_millis(5);

/// Durée d'une attente élémentaire de datagramme, entre deux regards sur
/// l'état du programme.
const TRANCHE: Duration = Duration::from_millis(20);

/// Vrai si une socket UDP est attachée à ce port local (tables du noyau
/// `/proc/net/udp` et `udp6`) : on le sait sans rien lui envoyer.
pub fn port_udp_attache(port: u16) -> bool {
    let cherche = format!(":{port:04X}");
    ["/proc/net/udp", "/proc/net/udp6"].iter().any(|table| {
        std::fs::read_to_string(table).is_ok_and(|texte| {
            texte.lines().skip(1).any(|ligne| {
                ligne
                    .split_whitespace()
                    .nth(1)
                    .is_some_and(|locale| locale.ends_with(&cherche))
            })
        })
    })
}

/// Attend que `port` soit attaché, au plus `delai` ; rend le statut du
/// programme s'il s'est arrêté avant.
pub fn attendre_attache(
    port: u16,
    programme: &mut Programme,
    delai: Duration,
) -> Result<(), Option<ExitStatus>> {
    let limite = Instant::now() + delai;
    loop {
        if port_udp_attache(port) {
            return Ok(());
        }
        if let Some(statut) = programme.statut() {
            return Err(Some(statut));
        }
        if Instant::now() >= limite {
            return Err(None);
        }
        thread::sleep(SCRUTATION);
    }
}

/// Attend, au plus `delai`, que la sortie d'erreur du programme contienne
/// `texte`. Sortie et erreur sont lues par deux fils distincts : une ligne
/// d'erreur écrite avant une ligne de sortie peut être recueillie après elle.
pub fn attendre_erreur(programme: &Programme, texte: &str, delai: Duration) -> bool {
    let limite = Instant::now() + delai;
    loop {
        if programme.erreurs().contains(texte) {
            return true;
        }
        if Instant::now() >= limite {
            return false;
        }
        thread::sleep(SCRUTATION);
    }
}

/// Une socket UDP du correcteur sur la boucle locale, port choisi par le noyau.
pub struct SocketUdp {
    socket: UdpSocket,
}

/// Ce qu'une attente de datagramme a donné, faute de datagramme.
pub enum SansDatagramme {
    /// Le programme s'est arrêté.
    Arrete(ExitStatus),
    /// Rien dans le délai.
    Delai,
    /// Erreur système.
    Erreur(io::Error),
}

impl SocketUdp {
    pub fn ouvrir() -> io::Result<SocketUdp> {
        let socket = UdpSocket::bind((BOUCLE_LOCALE, 0))?;
        socket.set_read_timeout(Some(TRANCHE))?;
        Ok(SocketUdp { socket })
    }

    pub fn port(&self) -> u16 {
        self.socket.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Envoie un datagramme au port `port` de la boucle locale.
    pub fn envoyer(&self, octets: &[u8], port: u16) -> io::Result<()> {
        self.socket
            .send_to(octets, (BOUCLE_LOCALE, port))
            .map(|_| ())
    }

    /// Attend un datagramme, au plus `delai` ; échoue tout de suite si le
    /// programme s'arrête.
    pub fn recevoir(
        &self,
        programme: &mut Programme,
        delai: Duration,
    ) -> Result<(Vec<u8>, SocketAddr), SansDatagramme> {
        let limite = Instant::now() + delai;
        let mut tampon = vec![0u8; 65_535];
        loop {
            match self.socket.recv_from(&mut tampon) {
                Ok((taille, expediteur)) => return Ok((tampon[..taille].to_vec(), expediteur)),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => return Err(SansDatagramme::Erreur(e)),
            }
            // Le programme a pu envoyer juste avant de s'arrêter : on ne
            // conclut qu'après une tranche sans datagramme.
            if let Some(statut) = programme.statut() {
                return Err(SansDatagramme::Arrete(statut));
            }
            if Instant::now() >= limite {
                return Err(SansDatagramme::Delai);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repere_un_port_udp_attache() {
        let socket = UdpSocket::bind((BOUCLE_LOCALE, 0)).expect("bind");
        let port = socket.local_addr().expect("adresse").port();
        assert!(port_udp_attache(port));
        drop(socket);
        assert!(!port_udp_attache(port));
    }
}
