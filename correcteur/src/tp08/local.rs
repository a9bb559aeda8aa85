//! Les sockets locales (AF_UNIX) côté correcteur : fichiers de socket,
//! connexions avec relances bornées, lectures avec délai, serveur de
//! référence, et ce que `/proc` dit d'un processus (sockets en écoute,
//! descripteurs ouverts, signaux interceptés).
//!
//! (Ces outils pourraient rejoindre `reseau` si un autre TP utilise AF_UNIX.)

use std::io::{self, Read};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::processus::Programme;
use crate::reseau::{Injoignable, LectureIncomplete, Raison};

/// Pause entre deux regards sur un programme qui démarre.
const PAUSE: Duration = Duration::from_millis(10);

/// Un dossier temporaire du correcteur, pour préparer un chemin **avant** de
/// lancer le programme (une socket périmée, un fichier à protéger). Même
/// préfixe que les dossiers de `Programme` : après un Ctrl+C, il est
/// nettoyé avec eux.
pub fn dossier_temporaire() -> io::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(&format!("correcteur-{}-", std::process::id()))
        .tempdir()
}

/// Vrai si le chemin désigne un fichier de type socket (sans suivre de lien).
pub fn est_une_socket(chemin: &Path) -> bool {
    std::fs::symlink_metadata(chemin).is_ok_and(|m| m.file_type().is_socket())
}

/// Le numéro d'inode du fichier à ce chemin (sans suivre de lien).
pub fn inode(chemin: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(chemin).ok().map(|m| m.ino())
}

/// Laisse à `chemin` une socket périmée : attachée puis fermée, sans
/// supprimer le fichier, comme après l'arrêt brutal d'un serveur.
pub fn socket_perimee(chemin: &Path) -> io::Result<()> {
    drop(UnixListener::bind(chemin)?);
    Ok(())
}

/// Les descripteurs ouverts du processus : numéro et cible
/// (`socket:[1234]`, `/dev/null`…), lus dans `/proc/PID/fd`.
pub fn descripteurs(pid: u32) -> io::Result<Vec<(u32, String)>> {
    let mut liste: Vec<(u32, String)> = std::fs::read_dir(format!("/proc/{pid}/fd"))?
        .flatten()
        .filter_map(|entree| {
            let numero = entree.file_name().to_str()?.parse().ok()?;
            let cible = std::fs::read_link(entree.path()).ok()?;
            Some((numero, cible.to_string_lossy().into_owned()))
        })
        .collect();
    liste.sort();
    Ok(liste)
}

/// Vrai si le processus a une socket locale **en écoute** dont le nom de
/// fichier est celui de `chemin`, et si ce fichier est bien une socket.
///
/// `/proc/net/unix` (ce que lit `ss -x`) donne pour chaque socket locale son
/// inode, son type (0001 : flux), ses drapeaux (0x10000 : listen() appelé) et son chemin tel que
/// passé à bind ; `/proc/PID/fd` donne les inodes des sockets du processus.
/// On vérifie ainsi l'écoute sans se connecter : une connexion de sonde
/// serait un client de plus pour le serveur.
///
/// Hors Linux (pas de `/proc`), on se rabat sur une connexion de sonde,
/// fermée aussitôt : pour le serveur, c'est un client parti sans rien
/// envoyer, qu'il doit supporter (il l'écrit sur sa sortie d'erreur).
pub fn en_ecoute(pid: u32, chemin: &Path) -> bool {
    if !cfg!(target_os = "linux") {
        return est_une_socket(chemin) && UnixStream::connect(chemin).is_ok();
    }
    let Ok(fd) = descripteurs(pid) else {
        return false;
    };
    let inodes: Vec<&str> = fd
        .iter()
        .filter_map(|(_, cible)| cible.strip_prefix("socket:[")?.strip_suffix(']'))
        .collect();
    let Ok(table) = std::fs::read_to_string("/proc/net/unix") else {
        return false;
    };
    est_une_socket(chemin)
        && table.lines().skip(1).any(|ligne| {
            let champs: Vec<&str> = ligne.split_whitespace().collect();
            // Type 0001 : SOCK_STREAM, le mode flux du chapitre.
            champs.len() >= 8
                && u32::from_str_radix(champs[3], 16).is_ok_and(|d| d & 0x1_0000 != 0)
                && champs[4] == "0001"
                && inodes.contains(&champs[6])
                && Path::new(champs[7]).file_name() == chemin.file_name()
        })
}

/// Attend que le programme écoute sur `chemin` (voir [`en_ecoute`]), au
/// plus `delai` ; échoue tout de suite s'il s'est arrêté.
pub fn attendre_ecoute(
    programme: &mut Programme,
    chemin: &Path,
    delai: Duration,
) -> Result<(), Injoignable> {
    let limite = Instant::now() + delai;
    loop {
        if en_ecoute(programme.pid(), chemin) {
            return Ok(());
        }
        if let Some(statut) = programme.statut() {
            return Err(Injoignable::Arrete(statut));
        }
        if Instant::now() >= limite {
            return Err(Injoignable::Delai(None));
        }
        thread::sleep(PAUSE);
    }
}

/// Vrai si ce signal ne tuera plus le processus : il a installé un
/// gestionnaire (masque `SigCgt` de `/proc/PID/status`), ou il bloque le
/// signal pour le prendre lui-même avec `sigwait` (masque `SigBlk`).
pub fn intercepte(pid: u32, signal: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status")).is_ok_and(|etat| {
        etat.lines()
            .filter_map(|l| {
                l.strip_prefix("SigCgt:")
                    .or_else(|| l.strip_prefix("SigBlk:"))
            })
            .filter_map(|masque| u64::from_str_radix(masque.trim(), 16).ok())
            .any(|masque| masque & (1 << (signal - 1)) != 0)
    })
}

/// Se connecte à la socket `chemin` du programme, en relançant tant qu'il
/// démarre (fichier absent, connexion refusée), au plus `delai`.
pub fn connecter(
    chemin: &Path,
    programme: &mut Programme,
    delai: Duration,
) -> Result<UnixStream, Injoignable> {
    let limite = Instant::now() + delai;
    loop {
        if let Some(statut) = programme.statut() {
            return Err(Injoignable::Arrete(statut));
        }
        let erreur = match UnixStream::connect(chemin) {
            Ok(flux) => {
                crate::echange::connexion_etablie(&flux, &programme.role);
                return Ok(flux);
            }
            Err(e) => e,
        };
        if Instant::now() >= limite {
            return Err(Injoignable::Delai(Some(erreur)));
        }
        thread::sleep(PAUSE);
    }
}

/// Un `read` borné par `limite`.
fn lire(flux: &mut UnixStream, limite: Instant, tampon: &mut [u8]) -> Result<usize, Raison> {
    let debut = Instant::now();
    loop {
        let reste = limite.saturating_duration_since(Instant::now());
        if reste.is_zero() {
            crate::echange::silence(flux, limite.saturating_duration_since(debut));
            return Err(Raison::Delai);
        }
        flux.set_read_timeout(Some(reste)).map_err(Raison::Erreur)?;
        match flux.read(tampon) {
            Ok(0) => {
                crate::echange::fait(flux, true, "fin de flux (le {role} a fermé)");
                return Err(Raison::Fin);
            }
            Ok(n) => {
                crate::echange::recu(flux, &tampon[..n]);
                return Ok(n);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                crate::echange::silence(flux, limite.saturating_duration_since(debut));
                return Err(Raison::Delai);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                crate::echange::erreur(flux, &e);
                return Err(Raison::Erreur(e));
            }
        }
    }
}

/// Lit un octet, au plus `delai`.
pub fn lire_un_octet(flux: &mut UnixStream, delai: Duration) -> Result<u8, Raison> {
    let mut octet = [0u8; 1];
    lire(flux, Instant::now() + delai, &mut octet).map(|_| octet[0])
}

/// Attend la fin de flux, au plus `delai` ; rend les octets arrivés avant.
pub fn lire_jusqu_a_la_fin(
    flux: &mut UnixStream,
    delai: Duration,
) -> Result<Vec<u8>, LectureIncomplete> {
    let limite = Instant::now() + delai;
    let mut recu = Vec::new();
    let mut morceau = [0u8; 256];
    loop {
        match lire(flux, limite, &mut morceau) {
            Ok(n) => recu.extend_from_slice(&morceau[..n]),
            Err(Raison::Fin) => return Ok(recu),
            Err(raison) => return Err(LectureIncomplete { recu, raison }),
        }
    }
}

/// Le serveur de référence du correcteur, pour tester un client
/// d'étudiant : une socket locale en écoute dans un dossier temporaire.
pub struct ServeurLocal {
    ecoute: UnixListener,
    chemin: PathBuf,
    // Gardé pour la durée du serveur : le dossier part avec lui.
    _dossier: tempfile::TempDir,
}

impl ServeurLocal {
    pub fn ouvrir() -> io::Result<ServeurLocal> {
        let dossier = dossier_temporaire()?;
        let chemin = dossier.path().join("socket_serveur");
        let ecoute = UnixListener::bind(&chemin)?;
        // Non bloquant : on alterne essais d'accept et regards sur le client.
        ecoute.set_nonblocking(true)?;
        Ok(ServeurLocal {
            ecoute,
            chemin,
            _dossier: dossier,
        })
    }

    /// Le chemin (absolu) de sa socket.
    pub fn chemin(&self) -> &Path {
        &self.chemin
    }

    /// Attend la connexion du client testé, au plus `delai` ; échoue tout de
    /// suite si le client s'est arrêté sans se connecter.
    pub fn accepter(
        &self,
        client: &mut Programme,
        delai: Duration,
    ) -> Result<UnixStream, Injoignable> {
        let limite = Instant::now() + delai;
        loop {
            match self.ecoute.accept() {
                // La socket de service hérite du mode non bloquant : on le retire.
                Ok((flux, _)) => {
                    crate::echange::connexion_acceptee(&flux, &client.role);
                    return flux
                        .set_nonblocking(false)
                        .map(|()| flux)
                        .map_err(|e| Injoignable::Delai(Some(e)));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(Injoignable::Delai(Some(e))),
            }
            if let Some(statut) = client.statut() {
                return Err(Injoignable::Arrete(statut));
            }
            if Instant::now() >= limite {
                return Err(Injoignable::Delai(None));
            }
            thread::sleep(PAUSE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn une_socket_perimee_refuse_les_connexions() {
        let dossier = dossier_temporaire().expect("dossier");
        let chemin = dossier.path().join("s");
        socket_perimee(&chemin).expect("socket");
        assert!(est_une_socket(&chemin));
        let erreur = UnixStream::connect(&chemin).expect_err("personne n'écoute");
        assert_eq!(erreur.kind(), io::ErrorKind::ConnectionRefused);
    }

    #[test]
    fn repere_l_ecoute_de_ce_processus() {
        let dossier = dossier_temporaire().expect("dossier");
        let chemin = dossier.path().join("ecoute");
        let ecoute = UnixListener::bind(&chemin).expect("bind");
        assert!(en_ecoute(std::process::id(), &chemin));
        assert!(!en_ecoute(
            std::process::id(),
            &dossier.path().join("autre")
        ));
        drop(ecoute);
        assert!(!en_ecoute(std::process::id(), &chemin));
    }

    #[test]
    fn lectures_bornees() {
        let (mut a, mut b) = UnixStream::pair().expect("paire");
        let debut = Instant::now();
        assert!(matches!(
            lire_un_octet(&mut a, Duration::from_millis(50)),
            Err(Raison::Delai)
        ));
        assert!(debut.elapsed() < Duration::from_secs(2));
        b.write_all(b"xyz").expect("écriture");
        assert_eq!(
            lire_un_octet(&mut a, Duration::from_secs(2)).ok(),
            Some(b'x')
        );
        drop(b);
        let reste = lire_jusqu_a_la_fin(&mut a, Duration::from_secs(2)).expect("fin");
        assert_eq!(reste, b"yz");
    }
}
