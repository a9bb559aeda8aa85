//! Chromium sans tête, lancé en ligne de commande et tenu en laisse.
//!
//! Chaque lancement :
//! - part d'un profil neuf, dans un dossier temporaire qui sert aussi de
//!   `HOME`, de `TMPDIR` et de dossiers XDG (rien n'est écrit ailleurs, tout
//!   disparaît avec lui) ;
//! - est borné dans le temps : au-delà de [`DELAI`], il est tué ;
//! - est tué et récolté quoi qu'il arrive, même si le test panique : son
//!   groupe de processus d'abord, puis tous les processus qui portent sa
//!   marque dans leur environnement (le gestionnaire de plantages de
//!   Chromium quitte le groupe et survit sinon quelques secondes au
//!   navigateur) ;
//! - ne peut joindre que la boucle locale : voir [`Chromium::arguments`].

use std::ffi::OsStr;
use std::io::Read;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Durée maximale d'un lancement de Chromium, tout compris. Il lui faut
/// d'ordinaire une à trois secondes ; le délai est large pour une machine
/// chargée.
const DELAI: Duration = Duration::from_secs(90);

/// Au bout de ce temps, Chromium arrête lui-même de charger et rend ce qu'il
/// a (`--timeout`) : une page qui ne finit pas de se charger donne ainsi un
/// diagnostic plutôt qu'un processus tué sans rien dire.
const ARRET_DOUX: Duration = Duration::from_secs(60);

/// Le programme cherché dans le `PATH` : celui du paquet Debian `chromium`.
const PROGRAMME: &str = "chromium";

/// La variable d'environnement qui marque tous les processus d'un lancement.
const MARQUE: &str = "NAVIGATEUR_MARQUE";

/// Au-delà, la sortie de Chromium est tronquée.
const SORTIE_MAX: usize = 64 * 1024 * 1024;

/// Le message d'échec quand Chromium manque : il dit comment l'installer.
fn message_d_absence(cherche_dans: &str) -> String {
    format!(
        "Chromium est introuvable : aucun programme « {PROGRAMME} » dans le PATH ({cherche_dans}).\n\
         Ces tests ouvrent le livre dans un vrai navigateur. Installez-le :\n\
         \x20   sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium\n\
         (paquet Debian « chromium »), ou lancez .ci/run, qui l'installe au besoin."
    )
}

/// Cherche `chromium` dans les dossiers d'un `PATH`.
pub fn trouver_dans(path: &OsStr) -> Result<PathBuf, String> {
    std::env::split_paths(path)
        .map(|dossier| dossier.join(PROGRAMME))
        .find(|chemin| chemin.is_file())
        .ok_or_else(|| message_d_absence(&path.to_string_lossy()))
}

/// Un Chromium prêt à être lancé, avec son piège à requêtes sortantes.
pub struct Chromium {
    programme: PathBuf,
    piege: Piege,
}

impl Chromium {
    /// Trouve Chromium (ou échoue en disant comment l'installer) et ouvre le
    /// piège qui lui servira de mandataire.
    pub fn trouver() -> Chromium {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let programme = trouver_dans(&path).unwrap_or_else(|message| panic!("{message}"));
        Chromium {
            programme,
            piege: Piege::ouvrir(),
        }
    }

    /// Charge `url` et rend son DOM tel que le navigateur l'a construit,
    /// scripts exécutés (`--dump-dom`).
    pub fn dom(&self, url: &str) -> Result<String, String> {
        let sortie = self.lancer(&["--dump-dom".to_string()], url)?;
        if sortie.trim().is_empty() {
            return Err(format!("Chromium n'a rendu aucun DOM pour {url}"));
        }
        Ok(sortie)
    }

    /// Photographie `url` dans une fenêtre de `largeur`×`hauteur` et écrit
    /// le PNG dans `fichier`.
    pub fn capturer(
        &self,
        url: &str,
        fichier: &Path,
        (largeur, hauteur): (u32, u32),
    ) -> Result<(), String> {
        let _ = std::fs::remove_file(fichier);
        self.lancer(
            &[
                format!("--window-size={largeur},{hauteur}"),
                "--hide-scrollbars".to_string(),
                format!("--screenshot={}", fichier.display()),
            ],
            url,
        )?;
        if fichier.is_file() {
            Ok(())
        } else {
            Err(format!(
                "Chromium n'a pas écrit la capture de {url} dans {}",
                fichier.display()
            ))
        }
    }

    /// Les premières lignes des requêtes que Chromium a tenté d'envoyer hors
    /// de la boucle locale (toutes arrêtées par le piège).
    pub fn requetes_interceptees(&self) -> Vec<String> {
        self.piege.requetes()
    }

    /// Les options de chaque lancement.
    ///
    /// La boucle locale seulement, par deux verrous indépendants :
    /// - `--host-resolver-rules` : aucun nom ne se résout (`~NOTFOUND`) ;
    ///   seule l'adresse 127.0.0.1, où tourne le serveur du test, reste
    ///   joignable ;
    /// - `--proxy-server` : tout ce qui ne vise pas la boucle locale (que
    ///   Chromium ne confie jamais à un mandataire) passe par le piège du
    ///   test, qui note la requête et ferme la connexion. Même une adresse IP
    ///   écrite en clair dans une page ne sort donc pas de la machine. WebRTC
    ///   n'a pas le droit de contourner le mandataire.
    ///
    /// Chromium contacte Google au démarrage (comptes, heure réseau…) même
    /// avec `--disable-background-networking` : ces requêtes finissent dans
    /// le piège, comme les autres.
    fn arguments(&self, profil: &Path) -> Vec<String> {
        let mut arguments: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            // Moins de services inutiles ici (et moins de bruit dans le piège).
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--no-pings",
        ]
        .map(String::from)
        .to_vec();
        arguments.push(format!("--proxy-server=http://{}", self.piege.adresse));
        arguments.push(format!("--user-data-dir={}", profil.display()));
        arguments.push(format!("--timeout={}", ARRET_DOUX.as_millis()));
        arguments
    }

    /// Lance Chromium sur `url` avec les options `en_plus` et rend sa sortie
    /// standard, ou un message d'erreur en français.
    fn lancer(&self, en_plus: &[String], url: &str) -> Result<String, String> {
        static COMPTEUR: AtomicU64 = AtomicU64::new(0);
        let marque = format!(
            "{}-{}",
            std::process::id(),
            COMPTEUR.fetch_add(1, Ordering::Relaxed)
        );
        let dossier = tempfile::Builder::new()
            .prefix("navigateur-")
            .tempdir()
            .map_err(|e| format!("impossible de créer le profil temporaire : {e}"))?;
        let profil = dossier.path().join("profil");
        let mut commande = Command::new(&self.programme);
        commande
            .args(self.arguments(&profil))
            .args(en_plus)
            .arg(url)
            .current_dir(dossier.path())
            .env(MARQUE, &marque)
            .env("HOME", dossier.path())
            .env("TMPDIR", dossier.path())
            .env("XDG_CONFIG_HOME", dossier.path().join("config"))
            .env("XDG_CACHE_HOME", dossier.path().join("cache"))
            .env("XDG_DATA_HOME", dossier.path().join("donnees"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Son propre groupe : on tue le navigateur et ses enfants d'un coup.
            .process_group(0);
        // Si le test meurt (Ctrl+C), Chromium meurt avec lui (prctl sous
        // Linux, un gardien ailleurs : correcteur::garde).
        correcteur::garde::preparer(&mut commande);
        let mut enfant = commande
            .spawn()
            .map_err(|e| format!("impossible de lancer {} : {e}", self.programme.display()))?;
        let _garde = correcteur::garde::Garde::installer(enfant.id())
            .map_err(|e| format!("impossible de lier Chromium au test : {e}"))?;
        let sortie = lire_en_fond(enfant.stdout.take());
        let erreurs = lire_en_fond(enfant.stderr.take());
        let mut laisse = Laisse {
            enfant,
            marque,
            fini: false,
        };
        let statut = laisse.attendre(DELAI);
        drop(laisse);
        // Tous les détenteurs des tubes sont morts : les lectures finissent.
        let recevoir =
            |r: mpsc::Receiver<Vec<u8>>| r.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
        let (sortie, erreurs) = (recevoir(sortie), recevoir(erreurs));
        let erreurs = dernieres_lignes_utiles(&erreurs);
        match statut {
            None => Err(format!(
                "Chromium n'a pas fini en {} s sur {url} : tué.\n{erreurs}",
                DELAI.as_secs()
            )),
            Some(false) => Err(format!("Chromium a échoué sur {url} :\n{erreurs}")),
            Some(true) => Ok(String::from_utf8_lossy(&sortie).into_owned()),
        }
    }
}

/// Un Chromium en cours : le lâcher le tue (lui, son groupe et tout ce qui
/// porte sa marque) et le récolte.
struct Laisse {
    enfant: Child,
    marque: String,
    /// Vrai une fois l'enfant récolté (son PID peut alors être réutilisé :
    /// on ne vise plus son groupe).
    fini: bool,
}

impl Laisse {
    /// Attend la fin au plus `delai` : `Some(réussite)` ou `None` si le délai
    /// est dépassé.
    fn attendre(&mut self, delai: Duration) -> Option<bool> {
        let limite = Instant::now() + delai;
        let mut pause = Duration::from_millis(5);
        while Instant::now() < limite {
            match self.enfant.try_wait() {
                Ok(Some(statut)) => {
                    self.fini = true;
                    return Some(statut.success());
                }
                Ok(None) => {
                    thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                Err(_) => return None,
            }
        }
        None
    }
}

impl Drop for Laisse {
    fn drop(&mut self) {
        if !self.fini {
            // Le navigateur n'est pas encore récolté : son PID désigne
            // toujours son groupe.
            let groupe = self.enfant.id() as libc::pid_t;
            // SAFETY: killpg(2) sur le groupe créé pour cet enfant.
            unsafe { libc::killpg(groupe, libc::SIGKILL) };
            let _ = self.enfant.kill();
            let _ = self.enfant.wait();
        }
        // Ceux qui ont quitté le groupe gardent la marque : on les chasse
        // jusqu'au dernier (borné).
        for _ in 0..100 {
            let restes = processus_marques(&self.marque);
            if restes.is_empty() {
                return;
            }
            for pid in restes {
                // SAFETY: kill(2) d'un processus qui porte notre marque.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            thread::sleep(Duration::from_millis(10));
        }
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

/// Lit un flux jusqu'au bout dans un fil à part.
fn lire_en_fond(flux: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (envoi, reception) = mpsc::channel();
    thread::spawn(move || {
        let mut lu = Vec::new();
        if let Some(flux) = flux {
            let _ = flux.take(SORTIE_MAX as u64).read_to_end(&mut lu);
        }
        let _ = envoi.send(lu);
    });
    reception
}

/// Les dernières lignes de la sortie d'erreur de Chromium, sans le bruit
/// habituel d'une machine sans bus système (D-Bus) ni carte graphique.
fn dernieres_lignes_utiles(erreurs: &[u8]) -> String {
    let texte = String::from_utf8_lossy(erreurs);
    let utiles: Vec<&str> = texte
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.contains("dbus") && !l.contains("/usr/bin/chromium"))
        .collect();
    utiles[utiles.len().saturating_sub(15)..].join("\n")
}

/// Le mandataire de Chromium : un serveur TCP de la boucle locale qui note
/// la première ligne de chaque requête (`CONNECT hôte:443 HTTP/1.1`,
/// `GET http://hôte/… HTTP/1.1`) puis ferme la connexion sans répondre.
struct Piege {
    adresse: std::net::SocketAddr,
    requetes: Arc<Mutex<Vec<String>>>,
    arret: Arc<AtomicBool>,
    fil: Option<JoinHandle<()>>,
}

impl Piege {
    fn ouvrir() -> Piege {
        let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("piège : bind");
        ecoute
            .set_nonblocking(true)
            .expect("piège : mode non bloquant");
        let adresse = ecoute.local_addr().expect("piège : adresse");
        let requetes = Arc::new(Mutex::new(Vec::new()));
        let arret = Arc::new(AtomicBool::new(false));
        let fil = {
            let (requetes, arret) = (Arc::clone(&requetes), Arc::clone(&arret));
            thread::spawn(move || {
                // Scrutation toutes les 10 ms : le fil voit le drapeau d'arrêt
                // sans qu'on ait à débloquer un `accept`.
                while !arret.load(Ordering::SeqCst) {
                    match ecoute.accept() {
                        Ok((flux, _)) => {
                            let ligne = premiere_ligne(flux);
                            requetes
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .push(ligne);
                        }
                        Err(_) => thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        Piege {
            adresse,
            requetes,
            arret,
            fil: Some(fil),
        }
    }

    fn requetes(&self) -> Vec<String> {
        self.requetes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for Piege {
    fn drop(&mut self) {
        self.arret.store(true, Ordering::SeqCst);
        if let Some(fil) = self.fil.take() {
            let _ = fil.join();
        }
    }
}

/// La première ligne d'une requête (lue en 2 s au plus) ; la connexion est
/// fermée en sortant.
fn premiere_ligne(flux: std::net::TcpStream) -> String {
    let _ = flux.set_nonblocking(false);
    let _ = flux.set_read_timeout(Some(Duration::from_secs(2)));
    let mut tampon = [0u8; 512];
    let lus = (&flux).read(&mut tampon).unwrap_or(0);
    let texte = String::from_utf8_lossy(&tampon[..lus]);
    texte.lines().next().unwrap_or("(requête vide)").to_string()
}
