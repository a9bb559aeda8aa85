//! Ce que le TP11 demande en plus du harnais commun : écrire sur l'entrée
//! standard du programme, savoir qu'une socket UDP est attachée à un port,
//! et jouer un pair UDP dont chaque attente est bornée.
//!
//! [`Programme`] lance ses programmes avec une entrée standard vide. Plutôt
//! que de dupliquer ses garanties (groupe de processus tué et récolté,
//! dossier temporaire, journal des sorties), on lui fait lancer `/bin/sh`,
//! qui crée un tube nommé dans le dossier temporaire puis se **remplace**
//! (`exec`) par le programme testé, l'entrée standard branchée sur ce tube.
//! Le PID reste le même : attendre, tuer, récolter visent bien le programme.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::net::{SocketAddr, UdpSocket};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::ExitStatus;
use std::thread;
use std::time::{Duration, Instant};

use crate::processus::Programme;
use crate::reseau::BOUCLE_LOCALE;

/// Le nom du tube nommé, dans le dossier temporaire du programme.
const TUBE: &str = "entree";

/// Crée le tube, puis devient le programme (`$0`, avec ses arguments `$@`),
/// l'entrée standard lue dans le tube. L'ouverture en lecture attend qu'un
/// écrivain (le correcteur) ouvre l'autre bout.
const SCRIPT: &str = "mkfifo entree && exec \"$0\" \"$@\" < entree";

/// Pause entre deux regards (tube pas encore créé, port pas encore attaché).
const SCRUTATION: Duration = Duration::from_millis(5);

/// Durée d'une attente élémentaire de datagramme, entre deux regards sur
/// l'état du programme.
const TRANCHE: Duration = Duration::from_millis(20);

/// ENXIO : ouverture non bloquante d'un tube en écriture sans lecteur.
const SANS_LECTEUR: i32 = 6;

/// Un programme lancé avec une entrée standard que le correcteur écrit.
pub struct AvecEntree {
    pub programme: Programme,
    /// Le bout écrivain du tube ; `None` une fois fermé (fin de l'entrée).
    entree: Option<File>,
}

/// Pourquoi un programme n'a pas pu être préparé.
pub enum Echec {
    /// Le lancement lui-même a échoué.
    Lancement(io::Error),
    /// Le programme s'est arrêté trop tôt, ou n'a pas ouvert son entrée à temps.
    Arrete(Programme, Option<ExitStatus>),
}

impl AvecEntree {
    /// Lance `binaire args…` et ouvre son entrée standard, en `delai` au plus.
    pub fn lancer(
        binaire: &Path,
        role: &str,
        args: &[&str],
        delai: Duration,
    ) -> Result<AvecEntree, Echec> {
        if !binaire.is_file() {
            return Err(Echec::Lancement(io::Error::from(io::ErrorKind::NotFound)));
        }
        let binaire = binaire.to_string_lossy();
        let mut arguments = vec!["-c", SCRIPT, &binaire];
        arguments.extend_from_slice(args);
        let mut programme =
            Programme::lancer(Path::new("/bin/sh"), role, &arguments).map_err(Echec::Lancement)?;
        let chemin = programme.dossier().join(TUBE);
        let limite = Instant::now() + delai;
        loop {
            // Non bloquant : sans lecteur, l'ouverture échoue (ENXIO) au lieu
            // d'attendre. Le programme ne lira jamais plus de quelques lignes :
            // les écritures tiennent dans le tube (64 Kio) et ne bloquent pas.
            match OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&chemin)
            {
                Ok(entree) => {
                    return Ok(AvecEntree {
                        programme,
                        entree: Some(entree),
                    });
                }
                Err(e)
                    if e.kind() == io::ErrorKind::NotFound
                        || e.raw_os_error() == Some(SANS_LECTEUR) => {}
                Err(e) => return Err(Echec::Lancement(e)),
            }
            if let Some(statut) = programme.statut() {
                return Err(Echec::Arrete(programme, Some(statut)));
            }
            if Instant::now() >= limite {
                return Err(Echec::Arrete(programme, None));
            }
            thread::sleep(SCRUTATION);
        }
    }

    /// Tape une ligne (le `\n` est ajouté).
    pub fn taper(&mut self, ligne: &str) -> io::Result<()> {
        let entree = self
            .entree
            .as_mut()
            .ok_or_else(|| io::Error::from(io::ErrorKind::BrokenPipe))?;
        entree.write_all(format!("{ligne}\n").as_bytes())
    }

    /// Ferme l'entrée standard : le programme y lira la fin de fichier.
    pub fn fermer_entree(&mut self) {
        self.entree = None;
    }
}

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

    #[test]
    fn l_entree_tapee_arrive_au_programme_et_sa_fermeture_aussi() {
        let mut lance =
            AvecEntree::lancer(Path::new("/bin/cat"), "cat", &[], Duration::from_secs(5))
                .unwrap_or_else(|_| panic!("cat doit démarrer"));
        lance.taper("bonjour").expect("écriture");
        lance
            .programme
            .attendre_lignes(&["bonjour"], Duration::from_secs(5))
            .expect("cat recopie la ligne");
        lance.fermer_entree();
        let statut = lance
            .programme
            .attendre_fin(Duration::from_secs(5))
            .expect("cat s'arrête à la fin de son entrée");
        assert!(statut.success());
    }
}
