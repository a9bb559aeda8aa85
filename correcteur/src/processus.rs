//! Lancer le programme d'un étudiant et le surveiller.
//!
//! Trois garanties, quoi qu'il arrive au test (échec, panique) :
//! - toute attente est bornée ;
//! - le programme (et ses éventuels enfants) est tué puis récolté quand le
//!   [`Programme`] est détruit ;
//! - il tourne dans un dossier temporaire supprimé ensuite : ni fichier ni
//!   socket locale ne reste derrière lui.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use crate::garde::Garde;

/// Nombre de lignes de sortie rappelées dans un diagnostic.
const LIGNES_RAPPELEES: usize = 8;

/// Intervalle entre deux regards sur l'état du processus.
const SCRUTATION: Duration = Duration::from_millis(5);

/// Début du nom des dossiers temporaires, suivi du PID du processus de test.
const PREFIXE: &str = "correcteur-";

/// Un test interrompu (Ctrl+C) meurt sans exécuter ses destructeurs : ses
/// programmes sont tués par le noyau (PR_SET_PDEATHSIG), mais ses dossiers
/// temporaires restent. Une fois par processus, on supprime ceux dont le
/// processus de test n'existe plus.
fn nettoyer_les_restes() {
    static FAIT: std::sync::Once = std::sync::Once::new();
    FAIT.call_once(|| nettoyer_les_restes_dans(&std::env::temp_dir()));
}

fn nettoyer_les_restes_dans(dossier: &Path) {
    let Ok(entrees) = std::fs::read_dir(dossier) else {
        return;
    };
    for entree in entrees.flatten() {
        let nom = entree.file_name();
        let Some(pid) = nom
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIXE))
            .and_then(|reste| reste.split('-').next())
            .and_then(|pid| pid.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        if !processus_existe(pid) {
            let _ = std::fs::remove_dir_all(entree.path());
        }
    }
}

/// Le processus `pid` existe-t-il encore ? `kill(pid, 0)` n'envoie rien et
/// répond sous Linux comme sous macOS (pas de /proc là-bas) : ESRCH veut dire
/// « plus personne » ; EPERM, qu'il existe sous un autre utilisateur.
fn processus_existe(pid: libc::pid_t) -> bool {
    // SAFETY: le signal 0 ne fait que vérifier l'existence et les droits.
    let retour = unsafe { libc::kill(pid, 0) };
    retour == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Le programme part avec les réactions par défaut aux signaux, comme dans
/// un terminal. Un test lancé en arrière-plan par un script (`cmd &`, nohup)
/// hérite de SIGINT et SIGQUIT ignorés, et une disposition ignorée survit à
/// `exec` : un programme sans gestionnaire de Ctrl+C survivrait alors au
/// SIGINT que lui envoie l'étape, et serait jugé à tort.
fn signaux_par_defaut(commande: &mut Command) {
    // SAFETY: la fermeture n'appelle que signal(2), sûr entre fork et exec.
    unsafe {
        commande.pre_exec(|| {
            for signal in [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM, libc::SIGHUP] {
                if libc::signal(signal, libc::SIG_DFL) == libc::SIG_ERR {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

/// Le flux d'où vient une ligne.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flux {
    Sortie,
    Erreur,
}

/// Ce que le programme a écrit jusqu'ici, ligne à ligne, dans l'ordre d'arrivée.
#[derive(Default)]
struct Journal {
    lignes: Vec<(Flux, String)>,
    /// Nombre de flux (sur deux) arrivés en fin de fichier.
    flux_fermes: usize,
}

/// Un programme en cours d'exécution, et ce qu'il a écrit.
pub struct Programme {
    /// Le nom affiché dans les diagnostics : « serveur », « client »…
    pub role: String,
    enfant: Child,
    /// L'entrée standard du programme, quand le correcteur la tape lui-même.
    entree: Option<ChildStdin>,
    statut: Option<ExitStatus>,
    journal: Arc<(Mutex<Journal>, Condvar)>,
    dossier: tempfile::TempDir,
    /// Le lien qui tue le programme si le test meurt.
    garde: Garde,
}

impl Programme {
    /// Lance `binaire args…` dans un dossier temporaire neuf. Son entrée
    /// standard est vide : une lecture y trouve tout de suite la fin.
    pub fn lancer(binaire: &Path, role: &str, args: &[&str]) -> std::io::Result<Programme> {
        Programme::demarrer(&[], binaire, role, args, Stdio::null(), |_| {})
    }

    /// Comme [`Programme::lancer`], avec un réglage de plus sur la commande
    /// avant son lancement (une limite de ressources posée par `pre_exec`,
    /// par exemple).
    pub fn lancer_regle(
        binaire: &Path,
        role: &str,
        args: &[&str],
        regler: impl FnOnce(&mut Command),
    ) -> std::io::Result<Programme> {
        Programme::demarrer(&[], binaire, role, args, Stdio::null(), regler)
    }

    /// Comme [`Programme::lancer`], mais le correcteur tient l'entrée
    /// standard du programme : il y tape des lignes ([`Programme::taper`])
    /// puis la ferme ([`Programme::fermer_entree`]), comme un utilisateur au
    /// clavier qui finit par Ctrl+D.
    pub fn lancer_avec_entree(
        binaire: &Path,
        role: &str,
        args: &[&str],
    ) -> std::io::Result<Programme> {
        Programme::demarrer(&[], binaire, role, args, Stdio::piped(), |_| {})
    }

    /// Comme [`Programme::lancer`] (ou [`Programme::lancer_avec_entree`]
    /// avec `avec_entree`), mais à travers une enveloppe : `enveloppe…
    /// binaire args…`, par exemple `bwrap … --` (voir
    /// [`crate::resolution`]). Le rôle, le dossier, la garde et l'arrêt
    /// valent pour l'enveloppe, qui transmet au programme son entrée, ses
    /// sorties et son code de fin.
    pub fn lancer_enveloppe(
        enveloppe: &[std::ffi::OsString],
        binaire: &Path,
        role: &str,
        args: &[&str],
        avec_entree: bool,
    ) -> std::io::Result<Programme> {
        let entree = if avec_entree {
            Stdio::piped()
        } else {
            Stdio::null()
        };
        Programme::demarrer(enveloppe, binaire, role, args, entree, |_| {})
    }

    /// Lance `enveloppe… binaire args…` (sans enveloppe : `binaire args…`),
    /// `regler` touchant la commande juste avant son lancement.
    fn demarrer(
        enveloppe: &[std::ffi::OsString],
        binaire: &Path,
        role: &str,
        args: &[&str],
        entree: Stdio,
        regler: impl FnOnce(&mut Command),
    ) -> std::io::Result<Programme> {
        nettoyer_les_restes();
        let prefixe = format!("{PREFIXE}{}-", std::process::id());
        let dossier = tempfile::Builder::new().prefix(&prefixe).tempdir()?;
        let mut commande = match enveloppe.split_first() {
            Some((premier, reste)) => {
                // L'enveloppe lance le programme depuis le dossier temporaire :
                // un chemin relatif n'y mènerait à rien.
                let mut commande = Command::new(premier);
                commande.args(reste).arg(std::path::absolute(binaire)?);
                commande
            }
            None => Command::new(binaire),
        };
        commande
            .args(args)
            .current_dir(dossier.path())
            .stdin(entree)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Une panique affiche son message, sans la trace complète.
            .env("RUST_BACKTRACE", "0")
            .env("RUST_LIB_BACKTRACE", "0")
            // Son propre groupe : on pourra tuer le programme et ses enfants d'un coup.
            .process_group(0);
        // Si le test est interrompu (Ctrl+C, kill), l'enfant meurt avec lui.
        crate::garde::preparer(&mut commande);
        signaux_par_defaut(&mut commande);
        regler(&mut commande);
        let mut enfant = crate::lancement::lancer(&mut commande)?;
        let garde = match Garde::installer(enfant.id()) {
            Ok(garde) => garde,
            Err(e) => {
                let _ = enfant.kill();
                let _ = enfant.wait();
                return Err(e);
            }
        };
        let journal = Arc::new((Mutex::new(Journal::default()), Condvar::new()));
        if let Some(sortie) = enfant.stdout.take() {
            lire_en_fond(sortie, Flux::Sortie, Arc::clone(&journal));
        }
        if let Some(erreur) = enfant.stderr.take() {
            lire_en_fond(erreur, Flux::Erreur, Arc::clone(&journal));
        }
        Ok(Programme {
            role: role.to_string(),
            entree: enfant.stdin.take(),
            enfant,
            statut: None,
            journal,
            dossier,
            garde,
        })
    }

    /// Tape une ligne sur l'entrée standard (le `\n` est ajouté). Les
    /// correcteurs n'envoient que quelques lignes : elles tiennent dans le
    /// tube (64 Kio), l'écriture ne bloque donc pas même si le programme ne
    /// lit pas. Erreur `BrokenPipe` si l'entrée est fermée ou si le programme
    /// s'est arrêté.
    pub fn taper(&mut self, ligne: &str) -> std::io::Result<()> {
        let entree = self
            .entree
            .as_mut()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        entree.write_all(format!("{ligne}\n").as_bytes())?;
        entree.flush()
    }

    /// Ferme l'entrée standard : le programme y lira la fin de fichier.
    pub fn fermer_entree(&mut self) {
        self.entree = None;
    }

    /// Le dossier de travail du programme (pour y chercher ses fichiers).
    pub fn dossier(&self) -> &Path {
        self.dossier.path()
    }

    /// Le PID du programme (pour lire `/proc/PID/…`).
    pub fn pid(&self) -> u32 {
        self.enfant.id()
    }

    /// Le statut de fin si le programme s'est déjà arrêté (sans attendre).
    pub fn statut(&mut self) -> Option<ExitStatus> {
        if self.statut.is_none() {
            self.statut = self.enfant.try_wait().ok().flatten();
            if let Some(statut) = self.statut {
                crate::echange::arret(&self.role, &decrire_l_arret(statut));
            }
        }
        self.statut
    }

    /// Attend la fin du programme, au plus `delai`.
    pub fn attendre_fin(&mut self, delai: Duration) -> Option<ExitStatus> {
        let limite = Instant::now() + delai;
        loop {
            if let Some(statut) = self.statut() {
                return Some(statut);
            }
            if Instant::now() >= limite {
                return None;
            }
            thread::sleep(SCRUTATION);
        }
    }

    /// Attend que la sortie standard contienne, à la suite, les lignes
    /// `attendues` (sans leur `\n`). Rend la main plus tôt si le programme a
    /// fermé sa sortie. En cas d'échec, renvoie la ligne attendue qui manque
    /// et la ligne écrite qui lui ressemble le plus (s'il y en a une).
    pub fn attendre_lignes(
        &self,
        attendues: &[&str],
        delai: Duration,
    ) -> Result<(), (String, Option<String>)> {
        let limite = Instant::now() + delai;
        let (verrou, signal) = &*self.journal;
        let mut journal = verrou_sain(verrou);
        loop {
            let lignes = lignes_de(&journal, Flux::Sortie);
            if contient_a_la_suite(&lignes, attendues) {
                return Ok(());
            }
            let maintenant = Instant::now();
            if maintenant >= limite || journal.flux_fermes == 2 {
                return Err(plus_proche(&lignes, attendues));
            }
            journal = signal
                .wait_timeout(journal, limite - maintenant)
                .map(|(garde, _)| garde)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    /// Attend, au plus `delai`, que la sortie d'erreur contienne `texte`.
    /// Sortie et erreur sont lues par deux fils distincts : une ligne
    /// d'erreur écrite avant une ligne de sortie peut être recueillie après.
    pub fn attendre_erreur(&self, texte: &str, delai: Duration) -> bool {
        let limite = Instant::now() + delai;
        let (verrou, signal) = &*self.journal;
        let mut journal = verrou_sain(verrou);
        loop {
            if lignes_de(&journal, Flux::Erreur).join("\n").contains(texte) {
                return true;
            }
            let maintenant = Instant::now();
            if maintenant >= limite || journal.flux_fermes == 2 {
                return false;
            }
            journal = signal
                .wait_timeout(journal, limite - maintenant)
                .map(|(garde, _)| garde)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    /// Attend, au plus `delai`, que le programme ait fermé sa sortie et sa
    /// sortie d'erreur (les deux fils de lecture ont vu la fin de fichier) :
    /// ensuite, tout ce qu'il a écrit est dans le journal. Pour un programme
    /// terminé, c'est attendre la condition plutôt que regarder une fois,
    /// trop tôt sur une machine chargée. Vrai si c'est le cas.
    pub fn attendre_sorties_fermees(&self, delai: Duration) -> bool {
        let limite = Instant::now() + delai;
        let (verrou, signal) = &*self.journal;
        let mut journal = verrou_sain(verrou);
        loop {
            if journal.flux_fermes == 2 {
                return true;
            }
            let maintenant = Instant::now();
            if maintenant >= limite {
                return false;
            }
            journal = signal
                .wait_timeout(journal, limite - maintenant)
                .map(|(garde, _)| garde)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    /// Tout ce que le programme a écrit sur sa sortie d'erreur.
    pub fn erreurs(&self) -> String {
        self.laisser_la_sortie_se_vider();
        lignes_de(&verrou_sain(&self.journal.0), Flux::Erreur).join("\n")
    }

    /// Les dernières lignes écrites, préfixées du rôle, pour un diagnostic.
    /// Attend un instant que les fils de lecture aient tout recueilli.
    pub fn dernieres_lignes(&self) -> Vec<String> {
        self.laisser_la_sortie_se_vider();
        let journal = verrou_sain(&self.journal.0);
        // Les lignes vides et le rappel de RUST_BACKTRACE n'apprennent rien.
        let utiles: Vec<&(Flux, String)> = journal
            .lignes
            .iter()
            .filter(|(_, l)| {
                !l.trim().is_empty() && !l.starts_with("note: run with `RUST_BACKTRACE")
            })
            .collect();
        let debut = utiles.len().saturating_sub(LIGNES_RAPPELEES);
        utiles[debut..]
            .iter()
            .map(|(flux, ligne)| match flux {
                Flux::Sortie => format!("[{}] {ligne}", self.role),
                Flux::Erreur => format!("[{} · erreur] {ligne}", self.role),
            })
            .collect()
    }

    /// Si le programme est terminé, ses tubes vont se fermer : on laisse aux
    /// fils de lecture un court instant (borné) pour tout recueillir.
    fn laisser_la_sortie_se_vider(&self) {
        let (verrou, signal) = &*self.journal;
        let debut = Instant::now();
        let mut journal = verrou_sain(verrou);
        loop {
            let ecoule = debut.elapsed();
            let arrete = self.statut.is_some() && ecoule < Duration::from_millis(200);
            // Une panique s'écrit en deux fois, « thread … panicked at LIEU: »
            // puis son message : même si le programme tourne encore (la
            // panique d'une tâche tokio ne l'arrête pas), le message vaut
            // d'attendre un instant.
            let panique = panique_sans_message(&journal) && ecoule < Duration::from_millis(500);
            if journal.flux_fermes == 2 || !(arrete || panique) {
                return;
            }
            journal = signal
                .wait_timeout(journal, SCRUTATION)
                .map(|(garde, _)| garde)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }
}

/// Vrai si la dernière ligne d'erreur est le début d'une panique
/// (« thread … panicked at LIEU: ») dont le message n'est pas encore arrivé.
fn panique_sans_message(journal: &Journal) -> bool {
    journal
        .lignes
        .iter()
        .rev()
        .find(|(flux, _)| *flux == Flux::Erreur)
        .is_some_and(|(_, ligne)| {
            ligne.contains(" panicked at ") && ligne.trim_end().ends_with(':')
        })
}

impl Drop for Programme {
    /// Tue tout le groupe du programme (lui et ses enfants), puis le récolte
    /// pour ne laisser aucun zombie. Le dossier temporaire part ensuite.
    fn drop(&mut self) {
        self.garde.relacher();
        if self.statut().is_none() {
            let groupe = self.enfant.id() as libc::pid_t;
            // SAFETY: kill(2) sur notre propre groupe de processus, sans mémoire partagée.
            unsafe {
                libc::kill(-groupe, libc::SIGKILL);
            }
            let _ = self.enfant.kill();
        }
        let _ = self.enfant.wait();
    }
}

/// Un fil lit un flux du programme ligne à ligne et l'ajoute au journal.
/// Les octets non UTF-8 sont remplacés, jamais une cause d'arrêt.
fn lire_en_fond(
    flux: impl Read + Send + 'static,
    nature: Flux,
    journal: Arc<(Mutex<Journal>, Condvar)>,
) {
    thread::spawn(move || {
        let mut lecteur = BufReader::new(flux);
        let mut tampon = Vec::new();
        loop {
            tampon.clear();
            match lecteur.read_until(b'\n', &mut tampon) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if tampon.last() == Some(&b'\n') {
                        tampon.pop();
                    }
                    let ligne = String::from_utf8_lossy(&tampon).into_owned();
                    let (verrou, signal) = &*journal;
                    verrou_sain(verrou).lignes.push((nature, ligne));
                    signal.notify_all();
                }
            }
        }
        let (verrou, signal) = &*journal;
        verrou_sain(verrou).flux_fermes += 1;
        signal.notify_all();
    });
}

/// Un verrou empoisonné (panique d'un autre fil) reste lisible : le journal
/// n'est jamais laissé dans un état incohérent.
fn verrou_sain(verrou: &Mutex<Journal>) -> MutexGuard<'_, Journal> {
    verrou.lock().unwrap_or_else(|e| e.into_inner())
}

fn lignes_de(journal: &Journal, flux: Flux) -> Vec<String> {
    journal
        .lignes
        .iter()
        .filter(|(f, _)| *f == flux)
        .map(|(_, l)| l.clone())
        .collect()
}

fn contient_a_la_suite(lignes: &[String], attendues: &[&str]) -> bool {
    (0..=lignes.len()).any(|i| commence_par(&lignes[i..], attendues))
}

fn commence_par(lignes: &[String], attendues: &[&str]) -> bool {
    lignes.len() >= attendues.len() && lignes.iter().zip(attendues).all(|(l, a)| l == a)
}

/// Repère la première ligne attendue qui manque, et ce que le programme a
/// écrit à sa place : la ligne qui suit la partie déjà trouvée, ou à défaut
/// celle qui partage le plus long début avec l'attendue.
fn plus_proche(lignes: &[String], attendues: &[&str]) -> (String, Option<String>) {
    for n in (1..attendues.len()).rev() {
        if let Some(i) = (0..lignes.len()).find(|&i| commence_par(&lignes[i..], &attendues[..n])) {
            return (attendues[n].to_string(), lignes.get(i + n).cloned());
        }
    }
    let attendue = attendues.first().copied().unwrap_or_default();
    let commun = |l: &&String| {
        l.bytes()
            .zip(attendue.bytes())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let meilleure = lignes.iter().filter(|l| commun(l) > 0).max_by_key(commun);
    (attendue.to_string(), meilleure.cloned())
}

/// « s'est arrêté (code 101) » ou « a été tué par le signal 9 ».
fn decrire_l_arret(statut: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (statut.code(), statut.signal()) {
        (Some(code), _) => format!("s'est arrêté (code {code})"),
        (None, Some(signal)) => format!("a été tué par le signal {signal}"),
        _ => "s'est arrêté".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// « panicked at LIEU: » en dernière ligne d'erreur : le message manque
    /// encore ; une fois arrivé (ou sur la sortie standard), plus rien ne manque.
    #[test]
    fn une_panique_sans_son_message_se_reconnait() {
        let journal = |lignes: &[(Flux, &str)]| Journal {
            lignes: lignes.iter().map(|(f, l)| (*f, l.to_string())).collect(),
            flux_fermes: 0,
        };
        let debut = "thread 'tokio-rt-worker' (24354) panicked at src/main.rs:17:5:";
        assert!(panique_sans_message(&journal(&[(Flux::Erreur, debut)])));
        assert!(panique_sans_message(&journal(&[
            (Flux::Erreur, debut),
            (Flux::Sortie, "Le bar est ouvert")
        ])));
        assert!(!panique_sans_message(&journal(&[
            (Flux::Erreur, debut),
            (Flux::Erreur, "not yet implemented: Étape 3")
        ])));
        assert!(!panique_sans_message(&journal(&[(
            Flux::Erreur,
            "erreur : port pris"
        )])));
        assert!(!panique_sans_message(&journal(&[])));
    }

    fn l(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Vrai si le processus tourne encore. Un zombie (état Z) est mort : il
    /// attend seulement que son nouveau parent le récolte.
    fn existe(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit(')')
                .next()
                .is_some_and(|fin| !fin.trim_start().starts_with('Z'))
        })
    }

    #[test]
    fn tue_le_groupe_recolte_et_nettoie_meme_si_le_test_panique() {
        // Un shell qui lance un petit-enfant et donne son PID.
        let resultat = std::panic::catch_unwind(|| {
            let programme = Programme::lancer(
                Path::new("/bin/sh"),
                "essai",
                &["-c", "sleep 30 & echo $!; touch fichier; wait"],
            )
            .expect("lancement de /bin/sh");
            let limite = Instant::now() + Duration::from_secs(5);
            while programme.dernieres_lignes().is_empty() && Instant::now() < limite {
                thread::sleep(SCRUTATION);
            }
            let petit_enfant: u32 = programme.dernieres_lignes()[0]
                .trim_start_matches("[essai] ")
                .parse()
                .expect("PID du petit-enfant");
            let infos = (
                programme.pid(),
                petit_enfant,
                programme.dossier().to_path_buf(),
            );
            std::panic::panic_any(infos)
        });
        let infos = resultat.expect_err("le bloc panique toujours");
        let (pid, petit_enfant, dossier) = infos
            .downcast_ref::<(u32, u32, std::path::PathBuf)>()
            .expect("charge de la panique")
            .clone();
        assert!(!existe(pid), "le programme doit être tué et récolté");
        assert!(
            !dossier.exists(),
            "le dossier temporaire doit être supprimé"
        );
        // Le petit-enfant, adopté par init, disparaît peu après le SIGKILL du groupe.
        let limite = Instant::now() + Duration::from_secs(5);
        while existe(petit_enfant) && Instant::now() < limite {
            thread::sleep(SCRUTATION);
        }
        assert!(
            !existe(petit_enfant),
            "les enfants du programme doivent être tués aussi"
        );
    }

    #[test]
    fn les_dossiers_d_un_test_mort_sont_supprimes_les_autres_gardes() {
        let temporaire = tempfile::tempdir().expect("dossier");
        // Aucun PID n'atteint 999999999 (pid_max vaut au plus 2^22 sous Linux).
        let mort = temporaire.path().join(format!("{PREFIXE}999999999-abc"));
        let vivant = temporaire
            .path()
            .join(format!("{PREFIXE}{}-abc", std::process::id()));
        let etranger = temporaire.path().join(format!("{PREFIXE}abc"));
        for dossier in [&mort, &vivant, &etranger] {
            std::fs::create_dir(dossier).expect("création");
        }
        std::fs::write(mort.join("socket_serveur"), b"").expect("fichier");
        nettoyer_les_restes_dans(temporaire.path());
        assert!(!mort.exists());
        assert!(vivant.exists() && etranger.exists());
    }

    #[test]
    fn l_entree_tapee_arrive_au_programme_et_sa_fermeture_aussi() {
        let mut cat = Programme::lancer_avec_entree(Path::new("/bin/cat"), "cat", &[])
            .expect("cat doit démarrer");
        cat.taper("bonjour").expect("écriture");
        cat.attendre_lignes(&["bonjour"], Duration::from_secs(5))
            .expect("cat recopie la ligne");
        cat.fermer_entree();
        let statut = cat
            .attendre_fin(Duration::from_secs(5))
            .expect("cat s'arrête à la fin de son entrée");
        assert!(statut.success());
        assert!(cat.taper("trop tard").is_err());
    }

    #[test]
    fn attendre_lignes_rend_la_main_quand_le_programme_se_tait() {
        let mut programme =
            Programme::lancer(Path::new("/bin/sh"), "essai", &["-c", "echo un; echo deux"])
                .expect("lancement");
        assert!(
            programme
                .attendre_lignes(&["un", "deux"], Duration::from_secs(5))
                .is_ok()
        );
        assert!(
            programme
                .attendre_fin(Duration::from_secs(5))
                .is_some_and(|s| s.success())
        );
        let debut = Instant::now();
        let (manque, _) = programme
            .attendre_lignes(&["trois"], Duration::from_secs(30))
            .expect_err("« trois » n'arrivera jamais");
        assert_eq!(manque, "trois");
        assert!(
            debut.elapsed() < Duration::from_secs(5),
            "sortie fermée : pas d'attente"
        );
    }

    #[test]
    fn trouve_une_suite() {
        assert!(contient_a_la_suite(&l(&["x", "a", "b"]), &["a", "b"]));
        assert!(!contient_a_la_suite(&l(&["a", "x", "b"]), &["a", "b"]));
    }

    #[test]
    fn la_ligne_manquante_est_comparee_a_ce_qui_suit() {
        let (manque, recu) = plus_proche(&l(&["debut", "a", "fin"]), &["a", "b"]);
        assert_eq!((manque.as_str(), recu.as_deref()), ("b", Some("fin")));
    }

    #[test]
    fn a_defaut_la_ligne_qui_commence_pareil() {
        let (manque, recu) = plus_proche(&l(&["Le serveur écoute", "B"]), &["Bonjour", "x"]);
        assert_eq!((manque.as_str(), recu.as_deref()), ("Bonjour", Some("B")));
        let (_, rien) = plus_proche(&l(&["zzz"]), &["Bonjour"]);
        assert_eq!(rien, None);
    }
}
