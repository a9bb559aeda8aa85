//! Les bornes posées à tout ce que la notation lance (compilation, tests,
//! programmes des étudiants) : temps, mémoire, taille des fichiers, nombre
//! de processus. Elles sont posées dans l'enfant, entre `fork` et `exec`, et
//! passent à tous ses descendants.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::Duration;

/// Les bornes d'une commande.
#[derive(Debug, Clone, Copy)]
pub struct Limites {
    /// Durée réelle maximale ; au-delà, tout le groupe de processus est tué.
    pub delai: Duration,
    /// Espace d'adressage maximal de chaque processus (RLIMIT_AS), en octets.
    pub memoire: u64,
    /// Taille maximale d'un fichier écrit (RLIMIT_FSIZE), en octets.
    pub fichier: u64,
    /// Processus (et fils d'exécution) supplémentaires permis à l'utilisateur
    /// au moment du lancement (voir [`Limites::appliquer`]).
    pub processus: u64,
    /// L'utilisateur sous lequel la commande tournera, s'il n'est pas
    /// l'utilisateur courant (le bac à sable en root) : c'est ses tâches
    /// que RLIMIT_NPROC compte.
    pub uid: Option<u32>,
}

impl Limites {
    /// Prépare `commande` : son propre groupe de processus (pour tout tuer
    /// d'un coup), puis les limites du noyau.
    ///
    /// RLIMIT_NPROC compte **tous** les processus de l'utilisateur, pas ceux
    /// de la commande : on le fixe donc au nombre actuel plus une marge. Une
    /// bombe à fork est ainsi plafonnée (et tuée avec son groupe au plus tard
    /// au bout du délai), mais pendant ce temps elle consomme la marge des
    /// autres commandes lancées avec la même. Pour une isolation complète, il
    /// faudrait un cgroup par copie (pids.max), ce qu'un utilisateur ordinaire
    /// n'a pas toujours. En root, le bac à sable lance chaque copie sous un
    /// utilisateur à elle (`uid`) : la marge est alors toute à la copie.
    pub fn appliquer(&self, commande: &mut Command) {
        let processus = taches_de_l_utilisateur(self.uid).saturating_add(self.processus);
        // Le temps processeur borne aussi une boucle infinie, même si le
        // minuteur de la notation venait à manquer.
        let cpu = self.delai.as_secs().saturating_add(5);
        let (memoire, fichier) = (self.memoire, self.fichier);
        commande.process_group(0);
        // SAFETY: la fermeture n'appelle que setrlimit(2), sûr entre fork et
        // exec (pas d'allocation, pas de verrou).
        unsafe {
            commande.pre_exec(move || {
                limiter(libc::RLIMIT_AS, memoire)?;
                limiter(libc::RLIMIT_FSIZE, fichier)?;
                limiter(libc::RLIMIT_NPROC, processus)?;
                limiter(libc::RLIMIT_CPU, cpu)?;
                limiter(libc::RLIMIT_CORE, 0)?;
                Ok(())
            });
        }
    }
}

/// Le type des noms de ressources de setrlimit(2) : la glibc a le sien, les
/// autres bibliothèques C (musl, macOS) un simple int.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Ressource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Ressource = libc::c_int;

/// Abaisse une limite (souple et stricte) sans jamais tenter de la relever.
fn limiter(ressource: Ressource, valeur: u64) -> io::Result<()> {
    let mut actuelle = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: pointeur valide sur une structure locale.
    if unsafe { libc::getrlimit(ressource, &mut actuelle) } == -1 {
        return Err(io::Error::last_os_error());
    }
    let valeur = valeur.min(actuelle.rlim_max);
    let nouvelle = libc::rlimit {
        rlim_cur: valeur,
        rlim_max: valeur,
    };
    // SAFETY: pointeur valide sur une structure locale.
    if unsafe { libc::setrlimit(ressource, &nouvelle) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Le nombre de tâches (processus et fils d'exécution) de l'utilisateur
/// `uid` (par défaut l'utilisateur courant), ce que RLIMIT_NPROC compte.
fn taches_de_l_utilisateur(uid: Option<u32>) -> u64 {
    // SAFETY: getuid(2) ne peut pas échouer.
    let uid = uid.unwrap_or_else(|| unsafe { libc::getuid() }).to_string();
    let Ok(entrees) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut total = 0;
    for entree in entrees.flatten() {
        let Ok(etat) = std::fs::read_to_string(entree.path().join("status")) else {
            continue;
        };
        let champ = |nom: &str| {
            etat.lines()
                .find_map(|l| l.strip_prefix(nom))
                .map(|v| v.split_whitespace().next().unwrap_or("").to_string())
        };
        if champ("Uid:").as_deref() == Some(uid.as_str()) {
            total += champ("Threads:").and_then(|t| t.parse().ok()).unwrap_or(1);
        }
    }
    total
}
