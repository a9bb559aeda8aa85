//! Lancer une commande qu'on peut interrompre à tout moment (une sauvegarde
//! relance la correction) sans jamais laisser de programme derrière soi.
//!
//! Trois filets, du plus direct au plus large :
//! 1. la commande a son propre groupe de processus, tué d'un coup (killpg) ;
//! 2. elle meurt avec le fil qui l'a lancée (PR_SET_PDEATHSIG), et les
//!    programmes des étudiants meurent avec le binaire de test qui les a
//!    lancés (le correcteur leur pose le même signal) ;
//! 3. tout ce qu'elle lance hérite de la variable [`MARQUE`] : ce qui
//!    survivrait (un programme qui a changé de groupe) est retrouvé dans
//!    /proc et tué ([`tuer_tout`] au moment de quitter, même sur panique).

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context;

/// La variable d'environnement posée sur tout ce que lance le mode suivi ;
/// sa valeur est « numéro du processus du mode suivi - numéro de commande ».
pub const MARQUE: &str = "SUIVI_MARQUE";

/// Au-delà, la sortie d'une commande est tronquée.
const SORTIE_MAX: usize = 256 * 1024;

/// Ce qu'a donné une commande menée à son terme (ou à son délai).
#[derive(Debug)]
pub struct Issue {
    /// Son statut, `None` si elle a été tuée au bout du délai.
    pub statut: Option<ExitStatus>,
    pub sortie: String,
    pub erreurs: String,
}

/// Lance `commande` et attend sa fin, au plus `delai`. Rend `None` si
/// `annule` est levé entre-temps : la commande et tout ce qu'elle a lancé
/// sont alors tués avant le retour.
pub fn lancer(
    mut commande: Command,
    delai: Duration,
    annule: &AtomicBool,
) -> anyhow::Result<Option<Issue>> {
    static COMPTEUR: AtomicU64 = AtomicU64::new(0);
    let marque = format!(
        "{MARQUE}={}-{}",
        std::process::id(),
        COMPTEUR.fetch_add(1, Ordering::Relaxed)
    );
    let (cle, valeur) = marque.split_once('=').unwrap_or((MARQUE, ""));
    commande
        .env(cle, valeur)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    // Si ce fil meurt (Ctrl+C, kill), la commande meurt avec lui : prctl
    // sous Linux, un gardien ailleurs (voir correcteur::garde).
    correcteur::garde::preparer(&mut commande);
    let mut enfant = commande
        .spawn()
        .with_context(|| format!("impossible de lancer {:?}", commande.get_program()))?;
    let _garde = correcteur::garde::Garde::installer(enfant.id())
        .context("impossible de lier la commande au mode suivi")?;
    let sortie = lire_en_fond(enfant.stdout.take());
    let erreurs = lire_en_fond(enfant.stderr.take());
    let limite = Instant::now() + delai;
    // C'est ce fil, qui possède l'enfant, qui le tue : son numéro ne peut
    // pas avoir été réattribué entre-temps (il n'est pas encore récolté).
    let statut = loop {
        match enfant.try_wait() {
            Ok(Some(statut)) => break Some(statut),
            Ok(None) if annule.load(Ordering::SeqCst) => {
                tuer(&mut enfant);
                tuer_marques(|v| v == marque.as_bytes());
                return Ok(None);
            }
            Ok(None) if Instant::now() < limite => thread::sleep(Duration::from_millis(10)),
            _ => {
                tuer(&mut enfant);
                break None;
            }
        }
    };
    // Le groupe peut garder des descendants après la fin de son chef.
    // SAFETY: killpg(2) sur le groupe de cet enfant, récolté à l'instant :
    // au pire le groupe est vide.
    unsafe { libc::killpg(enfant.id() as libc::pid_t, libc::SIGKILL) };
    tuer_marques(|v| v == marque.as_bytes());
    let recevoir = |r: mpsc::Receiver<String>| {
        r.recv_timeout(Duration::from_secs(2))
            .unwrap_or_else(|_| "(sortie illisible : un descendant la garde ouverte)".into())
    };
    Ok(Some(Issue {
        statut,
        sortie: recevoir(sortie),
        erreurs: recevoir(erreurs),
    }))
}

/// Tue le groupe de l'enfant et le récolte.
fn tuer(enfant: &mut Child) {
    // SAFETY: killpg(2) sur le groupe créé pour cet enfant (process_group(0)),
    // pas encore récolté.
    unsafe { libc::killpg(enfant.id() as libc::pid_t, libc::SIGKILL) };
    let _ = enfant.kill();
    let _ = enfant.wait();
}

/// Tue tout ce qu'a lancé ce mode suivi et qui vivrait encore.
pub fn tuer_tout() {
    let prefixe = format!("{MARQUE}={}-", std::process::id());
    tuer_marques(|v| v.starts_with(prefixe.as_bytes()));
}

/// Tue tout processus dont une variable d'environnement satisfait `marque`
/// (borné : on recommence tant qu'on en trouve, au plus 50 fois).
fn tuer_marques(marque: impl Fn(&[u8]) -> bool) {
    for _ in 0..50 {
        let restes = processus_marques(&marque);
        if restes.is_empty() {
            return;
        }
        for pid in restes {
            // SAFETY: kill(2) d'un processus de l'utilisateur qui porte la marque.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Les processus dont une variable d'environnement satisfait `marque`.
pub fn processus_marques(marque: impl Fn(&[u8]) -> bool) -> Vec<libc::pid_t> {
    let Ok(entrees) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entrees
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<libc::pid_t>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|o| *o == 0).any(&marque))
        })
        .collect()
}

/// Lit un flux jusqu'au bout dans un fil à part (tronqué à [`SORTIE_MAX`]).
fn lire_en_fond(flux: Option<impl Read + Send + 'static>) -> mpsc::Receiver<String> {
    let (envoi, reception) = mpsc::channel();
    thread::spawn(move || {
        let mut garde = Vec::new();
        if let Some(mut flux) = flux {
            let mut tampon = [0u8; 8192];
            while let Ok(n) = flux.read(&mut tampon) {
                if n == 0 {
                    break;
                }
                let place = SORTIE_MAX.saturating_sub(garde.len());
                garde.extend_from_slice(&tampon[..n.min(place)]);
            }
        }
        let _ = envoi.send(String::from_utf8_lossy(&garde).into_owned());
    });
    reception
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn une_commande_annulee_est_tuee_avec_ses_descendants() {
        let annule = AtomicBool::new(false);
        let mut commande = Command::new("sh");
        // Un descendant qui quitte le groupe (setsid) : seul le marquage le
        // retrouve.
        commande.args(["-c", "setsid sleep 300 & sleep 300"]);
        // Les processus lancés par ce processus de test : `sh` et ses deux
        // `sleep` (l'autre test ne lance qu'un `sh` éphémère).
        let prefixe = format!("{MARQUE}={}-", std::process::id());
        let a_nous = |v: &[u8]| v.starts_with(prefixe.as_bytes());
        let fil = thread::scope(|s| {
            let h = s.spawn(|| lancer(commande, Duration::from_secs(60), &annule));
            let limite = Instant::now() + Duration::from_secs(10);
            while processus_marques(a_nous).len() < 3 && Instant::now() < limite {
                thread::sleep(Duration::from_millis(10));
            }
            annule.store(true, Ordering::SeqCst);
            h.join().unwrap()
        });
        assert!(fil.unwrap().is_none(), "annulée : pas d'issue");
        assert_eq!(processus_marques(a_nous), Vec::<libc::pid_t>::new());
    }

    #[test]
    fn une_commande_menee_a_terme_rend_ses_sorties() {
        let annule = AtomicBool::new(false);
        let mut commande = Command::new("sh");
        commande.args(["-c", "echo dehors; echo erreur >&2; exit 3"]);
        let issue = lancer(commande, Duration::from_secs(60), &annule)
            .unwrap()
            .unwrap();
        assert_eq!(issue.statut.and_then(|s| s.code()), Some(3));
        assert_eq!(issue.sortie, "dehors\n");
        assert_eq!(issue.erreurs, "erreur\n");
    }
}
