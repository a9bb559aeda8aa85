//! Lancer une commande bornée et la tuer, elle et tout ce qu'elle a lancé.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context;

use super::limites::Limites;

/// Au-delà, la sortie d'une commande est tronquée (une boucle qui écrit sans
/// fin ne doit pas remplir la mémoire de la notation).
const SORTIE_MAX: usize = 256 * 1024;

/// Nom de la variable d'environnement qui marque les descendants d'une
/// commande : ceux qui quittent son groupe de processus (`setsid`) la
/// gardent, et on les retrouve par elle dans /proc.
const MARQUE: &str = "NOTATION_MARQUE";

/// Ce qu'a donné une commande.
#[derive(Debug)]
pub struct Issue {
    /// Son statut, ou `None` si elle a été tuée pour délai dépassé.
    pub statut: Option<ExitStatus>,
    pub sortie: String,
    pub erreurs: String,
    pub duree: Duration,
}

impl Issue {
    pub fn reussie(&self) -> bool {
        self.statut.is_some_and(|s| s.success())
    }
}

/// Lance `commande` avec ses `limites`, attend au plus `limites.delai`, puis
/// tue son groupe et ses descendants marqués, quoi qu'il arrive.
pub fn lancer_borne(mut commande: Command, limites: &Limites) -> anyhow::Result<Issue> {
    static COMPTEUR: AtomicU64 = AtomicU64::new(0);
    let marque = format!(
        "{}-{}",
        std::process::id(),
        COMPTEUR.fetch_add(1, Ordering::Relaxed)
    );
    commande
        .env(MARQUE, &marque)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limites.appliquer(&mut commande);
    let debut = Instant::now();
    let mut enfant = commande
        .spawn()
        .with_context(|| format!("impossible de lancer {:?}", commande.get_program()))?;
    let sortie = lire_en_fond(enfant.stdout.take());
    let erreurs = lire_en_fond(enfant.stderr.take());
    let statut = attendre(&mut enfant, limites.delai);
    tuer_tout(&mut enfant, &marque);
    let duree = debut.elapsed();
    // Les tuyaux sont fermés par la mort de tous leurs détenteurs ; on borne
    // quand même l'attente, au cas où un descendant aurait échappé.
    let recevoir = |r: mpsc::Receiver<String>| {
        r.recv_timeout(Duration::from_secs(2))
            .unwrap_or_else(|_| "(sortie illisible : un descendant la garde ouverte)".into())
    };
    Ok(Issue {
        statut,
        sortie: recevoir(sortie),
        erreurs: recevoir(erreurs),
        duree,
    })
}

/// Attend la fin de l'enfant au plus `delai` ; `None` s'il tourne encore.
fn attendre(enfant: &mut Child, delai: Duration) -> Option<ExitStatus> {
    let limite = Instant::now() + delai;
    let mut pause = Duration::from_millis(2);
    loop {
        match enfant.try_wait() {
            Ok(Some(statut)) => return Some(statut),
            Ok(None) if Instant::now() < limite => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            _ => return None,
        }
    }
}

/// Tue le groupe de l'enfant, le récolte, puis chasse les descendants qui
/// portent la marque (ceux qui ont changé de groupe), jusqu'au dernier.
fn tuer_tout(enfant: &mut Child, marque: &str) {
    let groupe = enfant.id() as libc::pid_t;
    // SAFETY: killpg(2) sur le groupe créé pour cet enfant (process_group(0)).
    unsafe { libc::killpg(groupe, libc::SIGKILL) };
    let _ = enfant.kill();
    let _ = enfant.wait();
    // Une bombe à fork peut créer des processus pendant qu'on la tue : on
    // recommence tant qu'on en trouve (borné).
    for _ in 0..50 {
        let restes = processus_marques(marque);
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

/// Tue tous les processus de l'utilisateur `uid` (un utilisateur de la
/// notation, en root), jusqu'au dernier (borné).
pub fn tuer_l_utilisateur(uid: u32) {
    let cherche = uid.to_string();
    for _ in 0..50 {
        let restes: Vec<libc::pid_t> = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<libc::pid_t>().ok())
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/status")).is_ok_and(|etat| {
                    etat.lines()
                        .find_map(|l| l.strip_prefix("Uid:"))
                        .is_some_and(|v| v.split_whitespace().next() == Some(cherche.as_str()))
                })
            })
            .collect();
        if restes.is_empty() {
            return;
        }
        for pid in restes {
            // SAFETY: kill(2) d'un processus de l'utilisateur de la notation.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Les processus vivants dont l'environnement contient `MARQUE=marque`.
fn processus_marques(marque: &str) -> Vec<libc::pid_t> {
    let cherche = format!("{MARQUE}={marque}");
    let Ok(entrees) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entrees
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<libc::pid_t>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|o| *o == 0).any(|v| v == cherche.as_bytes()))
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
        let mut texte = String::from_utf8_lossy(&garde).into_owned();
        if garde.len() >= SORTIE_MAX {
            texte.push_str("\n… (sortie tronquée)");
        }
        let _ = envoi.send(texte);
    });
    reception
}
