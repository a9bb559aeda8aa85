//! Réserver un port pour toute la machine, pas seulement pour ce processus.
//!
//! `cargo test` lance plusieurs exécutables de test à la fois (un par TP,
//! plus les preuves de l'espace de travail) : chacun tire ses ports au hasard
//! et vérifie qu'ils sont libres, mais deux processus peuvent tirer le même
//! port avant que le programme de l'étudiant ne l'ait pris. Un verrou
//! `flock(2)` sur un fichier par port, dans un dossier commun du dossier
//! temporaire, départage les processus : le verrou est tenu jusqu'à la fin du
//! processus de test (le noyau le relâche à sa mort, même sur un `kill -9`),
//! un autre processus qui trouve le port verrouillé en tire un autre.
//!
//! `flock` existe sous Linux et macOS. Si le dossier est inaccessible (autre
//! utilisateur, disque en lecture seule), la réservation n'est simplement pas
//! faite entre processus : le tirage au hasard et la vérification restent.

use std::fs::{self, File, OpenOptions};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::PathBuf;
use std::sync::Mutex;

/// Les verrous tenus par ce processus, par port : les fermer les relâcherait.
static VERROUS_TENUS: Mutex<Vec<(u16, File)>> = Mutex::new(Vec::new());

/// Le dossier des verrous (son nom ne ressemble pas à un dossier de
/// processus : le ménage de `processus.rs` ne le touche pas).
fn dossier() -> PathBuf {
    std::env::temp_dir().join("correcteur-ports-reserves")
}

/// Ce que dit la réservation d'un port.
#[derive(Debug, PartialEq, Eq)]
pub enum Reservation {
    /// Le verrou est à nous jusqu'à la fin du processus.
    Obtenue,
    /// Un autre processus de test tient ce port : en tirer un autre.
    PriseAilleurs,
    /// Pas de verrou possible ici (dossier inaccessible) : seul le tirage
    /// au hasard protège ce port.
    Impossible,
}

/// Essaie de réserver `port` pour ce processus, sans attendre.
pub fn reserver(port: u16) -> Reservation {
    let dossier = dossier();
    if !dossier.is_dir() {
        // Mode 1777, comme /tmp : des utilisateurs différents (correction
        // d'une classe, un uid par fil) partagent le même dossier.
        let cree = fs::DirBuilder::new().mode(0o1777).create(&dossier);
        if cree.is_ok() {
            let _ = fs::set_permissions(&dossier, fs::Permissions::from_mode(0o1777));
        }
    }
    let chemin = dossier.join(port.to_string());
    let fichier = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&chemin)
        .or_else(|_| File::open(&chemin));
    let Ok(fichier) = fichier else {
        return Reservation::Impossible;
    };
    // SAFETY: flock ne lit que le descripteur, valide tant que `fichier` vit.
    let retour = unsafe { libc::flock(fichier.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if retour != 0 {
        return match std::io::Error::last_os_error().raw_os_error() {
            Some(libc::EWOULDBLOCK) => Reservation::PriseAilleurs,
            _ => Reservation::Impossible,
        };
    }
    VERROUS_TENUS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((port, fichier));
    Reservation::Obtenue
}

/// Rend le verrou de `port`, réservé par ce processus mais finalement pas
/// donné (le port n'était pas libre) : fermer le fichier relâche le verrou.
pub fn relacher(port: u16) {
    VERROUS_TENUS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|(tenu, _)| *tenu != port);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// Le code de sortie de `flock --nonblock` (l'outil util-linux), lancé
    /// par un autre processus sur le verrou de `port` : 0 s'il l'obtient, 75
    /// s'il est tenu ailleurs ; `None` si l'outil est absent.
    fn flock_d_un_autre_processus(port: u16) -> Option<Option<i32>> {
        let sortie = Command::new("flock")
            .args(["--nonblock", "--conflict-exit-code", "75"])
            .arg(dossier().join(port.to_string()))
            .arg("true")
            .output()
            .ok()?;
        Some(sortie.status.code())
    }

    #[test]
    fn un_port_reserve_est_refuse_a_un_autre_processus() {
        // port_libre a déjà réservé ce port pour nous : un autre processus
        // doit échouer tout de suite.
        let port = crate::reseau::port_libre();
        let Some(code) = flock_d_un_autre_processus(port) else {
            eprintln!("outil flock absent : vérification faite dans ce processus seulement");
            return;
        };
        assert_eq!(
            code,
            Some(75),
            "un autre processus a pu prendre le verrou du port {port}"
        );
    }

    /// Relâché, le verrou d'un port est de nouveau libre pour un autre processus.
    #[test]
    fn un_verrou_relache_se_reprend_ailleurs() {
        // Un port hors de la plage de port_libre, propre à ce processus de test.
        let port = 1000 + (std::process::id() % 999) as u16;
        assert_eq!(reserver(port), Reservation::Obtenue);
        relacher(port);
        let Some(code) = flock_d_un_autre_processus(port) else {
            eprintln!("outil flock absent : vérification faite dans ce processus seulement");
            assert_eq!(reserver(port), Reservation::Obtenue);
            return;
        };
        assert_eq!(code, Some(0), "verrou du port {port} encore tenu");
    }

    #[test]
    fn un_port_libre_de_verrou_est_obtenu() {
        // Un port que personne ne tire (hors de la plage de port_libre).
        let port = 1 + (std::process::id() % 999) as u16;
        assert_ne!(reserver(port), Reservation::PriseAilleurs);
    }
}
