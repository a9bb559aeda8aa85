//! Le lien de vie entre le test et le programme testé : si le test meurt
//! (Ctrl+C, `kill -9`, délai dépassé), le programme de l'étudiant et tout
//! son groupe de processus meurent avec lui, au lieu de garder un port ou
//! un fichier de socket pour le test suivant.
//!
//! - Linux : `prctl(PR_SET_PDEATHSIG, SIGKILL)` dans l'enfant, entre `fork`
//!   et `exec` : le noyau tue l'enfant quand son parent meurt. Rien d'autre
//!   ne tourne. Limite : seul l'enfant direct est tué ; des processus qu'il
//!   aurait lancés lui-même survivent à un test tué brutalement (à la fin
//!   normale d'une étape, c'est tout le groupe que `processus.rs` tue).
//! - Les autres Unix (macOS…) n'ont pas cet appel. Un petit gardien le
//!   remplace : un `sh` dont l'entrée standard est un tube tenu par le test.
//!   Quand le test meurt, le noyau ferme le tube, `read` rend la main au
//!   gardien, qui tue le groupe du programme. À la fin normale d'une étape,
//!   le gardien est tué **avant** le groupe, pour qu'il ne vise jamais un
//!   numéro de groupe réutilisé entre-temps.

use std::process::Command;

/// Ce qui lie un programme lancé au test qui l'a lancé.
pub struct Garde {
    gardien: Option<std::process::Child>,
}

/// À appeler sur la commande, avant le lancement.
#[cfg(target_os = "linux")]
pub fn preparer(commande: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: la fermeture n'appelle que prctl(2), sûr entre fork et exec.
    unsafe {
        commande.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// À appeler sur la commande, avant le lancement (rien à faire hors Linux :
/// le gardien s'installe après).
#[cfg(not(target_os = "linux"))]
pub fn preparer(_commande: &mut Command) {}

impl Garde {
    /// Installe le lien pour le groupe `groupe`, qui vient d'être lancé.
    #[cfg(target_os = "linux")]
    pub fn installer(_groupe: u32) -> std::io::Result<Garde> {
        Ok(Garde { gardien: None })
    }

    /// Installe le lien pour le groupe `groupe`, qui vient d'être lancé.
    #[cfg(not(target_os = "linux"))]
    pub fn installer(groupe: u32) -> std::io::Result<Garde> {
        Garde::gardien(groupe)
    }

    /// Un gardien : `sh` attend la fermeture de son entrée standard, puis
    /// tue le groupe `groupe` (hors Linux ; testé partout).
    #[cfg(any(test, not(target_os = "linux")))]
    fn gardien(groupe: u32) -> std::io::Result<Garde> {
        use std::process::Stdio;
        let mut commande = Command::new("/bin/sh");
        commande
            .args([
                "-c",
                "read _ ; kill -s KILL -- -\"$1\" 2>/dev/null",
                "gardien",
            ])
            .arg(groupe.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let gardien = crate::lancement::lancer(&mut commande)?;
        Ok(Garde {
            gardien: Some(gardien),
        })
    }

    /// Fin normale : le test s'occupe lui-même du groupe ; le gardien, s'il
    /// y en a un, part d'abord.
    pub fn relacher(&mut self) {
        if let Some(mut gardien) = self.gardien.take() {
            let _ = gardien.kill();
            let _ = gardien.wait();
        }
    }
}

impl Drop for Garde {
    fn drop(&mut self) {
        self.relacher();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::time::{Duration, Instant};

    /// Un programme dans son propre groupe, qui ne s'arrête pas seul.
    fn dormeur() -> std::process::Child {
        Command::new("sleep")
            .arg("100")
            .process_group(0)
            .spawn()
            .expect("sleep")
    }

    /// Le test meurt (le tube se ferme sans `relacher`) : le gardien tue le groupe.
    #[test]
    fn la_mort_du_test_tue_le_groupe() {
        let mut programme = dormeur();
        let mut garde = Garde::gardien(programme.id()).expect("gardien");
        let mut gardien = garde.gardien.take().expect("gardien lancé");
        drop(gardien.stdin.take());
        let _ = gardien.wait();
        let limite = Instant::now() + Duration::from_secs(5);
        let statut = loop {
            if let Some(statut) = programme.try_wait().expect("try_wait") {
                break Some(statut);
            }
            if Instant::now() > limite {
                break None;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let _ = programme.kill();
        let _ = programme.wait();
        assert!(statut.is_some(), "le gardien n'a pas tué le groupe");
    }

    /// Fin normale : `relacher` arrête le gardien sans toucher au groupe.
    #[test]
    fn relacher_ne_tue_pas_le_groupe() {
        let mut programme = dormeur();
        let mut garde = Garde::gardien(programme.id()).expect("gardien");
        garde.relacher();
        std::thread::sleep(Duration::from_millis(100));
        let vivant = programme.try_wait().expect("try_wait").is_none();
        let _ = programme.kill();
        let _ = programme.wait();
        assert!(vivant, "relacher a tué le programme");
    }
}
