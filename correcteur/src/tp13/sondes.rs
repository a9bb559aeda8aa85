//! Ce que le correcteur observe du serveur par `/proc`, sans lui parler :
//! ses threads, son temps de processeur, sa mémoire, le mode de ses
//! sockets et l'appel système où il est bloqué.
//!
//! (Rien ici n'est propre au bar : ces sondes pourraient rejoindre un
//! module commun si un autre TP en a besoin.)

use std::fs;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

/// Le nombre de threads du processus, et leurs noms (`/proc/PID/task/*/comm`).
pub fn threads(pid: u32) -> Option<(usize, Vec<String>)> {
    let statut = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let nombre = champ_de_statut(&statut, "Threads:")?;
    let mut noms: Vec<String> = fs::read_dir(format!("/proc/{pid}/task"))
        .ok()?
        .flatten()
        // Le noyau coupe les noms à 15 octets, parfois au milieu d'un « é ».
        .filter_map(|tache| fs::read(tache.path().join("comm")).ok())
        .map(|nom| String::from_utf8_lossy(&nom).trim_end().to_string())
        .collect();
    noms.sort();
    Some((nombre as usize, noms))
}

/// La mémoire résidente du processus (VmRSS), en octets.
pub fn memoire_residente(pid: u32) -> Option<u64> {
    let statut = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    champ_de_statut(&statut, "VmRSS:").map(|kio| kio * 1024)
}

/// La valeur numérique d'une ligne « Nom:   123 kB » de `/proc/PID/status`.
fn champ_de_statut(statut: &str, nom: &str) -> Option<u64> {
    statut
        .lines()
        .find_map(|ligne| ligne.strip_prefix(nom))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Relève, si besoin et si la limite dure le permet, la limite souple du
/// nombre de descripteurs ouverts (`ulimit -n`) de ce processus jusqu'à
/// `voulue`, et la rend. Le serveur lancé ensuite par le correcteur en
/// hérite. (Beaucoup de systèmes donnent 1024 en limite souple, et bien
/// plus en limite dure : tout processus peut monter jusqu'à la dure.)
pub fn relever_limite_de_descripteurs(voulue: u64) -> u64 {
    let mut limite = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit(2) remplit une structure locale valide.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limite) } == -1 {
        return 0;
    }
    if limite.rlim_cur < voulue && limite.rlim_cur < limite.rlim_max {
        let relevee = libc::rlimit {
            rlim_cur: voulue.min(limite.rlim_max),
            rlim_max: limite.rlim_max,
        };
        // SAFETY: setrlimit(2) lit une structure locale valide ; la limite
        // souple reste sous la limite dure, ce que tout processus peut faire.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &relevee) } == 0 {
            return relevee.rlim_cur;
        }
    }
    limite.rlim_cur
}

/// Ce qu'est une socket du serveur, vu de la table des sockets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extremite {
    /// La socket d'écoute (pas d'autre extrémité).
    Ecoute,
    /// Une socket de service, connectée à ce client.
    Service(SocketAddr),
    /// La table ne le dit pas.
    Inconnue,
}

/// Une socket du processus en mode **bloquant** (sans O_NONBLOCK).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketBloquante {
    pub descripteur: u32,
    pub extremite: Extremite,
    /// Où le correcteur l'a lu : « pas d'O_NONBLOCK dans /proc/PID/fdinfo/N ».
    pub lu_dans: String,
}

/// Les sockets du processus qui sont en mode bloquant : lues dans
/// `/proc/PID/fdinfo` sous Linux ; ailleurs (macOS…), dans les drapeaux de
/// fichier que montre `lsof` (livré avec macOS). `Err(raison)` si ni l'un
/// ni l'autre ne répond : l'étape le dit (« non vérifiable sur cette
/// machine »), elle ne conclut pas.
pub fn sockets_bloquantes(pid: u32) -> Result<Vec<SocketBloquante>, String> {
    if let Some(bloquantes) = bloquantes_par_proc(pid) {
        return Ok(bloquantes);
    }
    bloquantes_par_lsof(pid)
}

/// `/proc/PID/fd` et `/proc/PID/fdinfo/N` (Linux). `None` si `/proc` est
/// illisible.
fn bloquantes_par_proc(pid: u32) -> Option<Vec<SocketBloquante>> {
    let mut bloquantes = Vec::new();
    for entree in fs::read_dir(format!("/proc/{pid}/fd")).ok()?.flatten() {
        let Some(descripteur) = entree.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let Some(inode) = inode_de_socket(pid, descripteur) else {
            continue;
        };
        // Un descripteur fermé entre-temps n'a plus d'informations : on l'ignore.
        let Some(drapeaux) = fs::read_to_string(format!("/proc/{pid}/fdinfo/{descripteur}"))
            .ok()
            .and_then(|infos| {
                let octal = infos.lines().find_map(|l| l.strip_prefix("flags:"))?;
                u64::from_str_radix(octal.trim(), 8).ok()
            })
        else {
            continue;
        };
        if drapeaux & libc::O_NONBLOCK as u64 == 0 {
            let extremite = match pair_de_socket(inode) {
                Some(pair) if pair.port() == 0 => Extremite::Ecoute,
                Some(pair) => Extremite::Service(pair),
                None => Extremite::Inconnue,
            };
            bloquantes.push(SocketBloquante {
                descripteur,
                extremite,
                lu_dans: format!("pas d'O_NONBLOCK dans /proc/{pid}/fdinfo/{descripteur}"),
            });
        }
    }
    bloquantes.sort_by_key(|s| s.descripteur);
    Some(bloquantes)
}

/// `lsof -nP +fg -a -p PID -i -F fGn` : pour chaque socket internet du
/// processus, son descripteur, ses drapeaux de fichier et ses adresses.
fn bloquantes_par_lsof(pid: u32) -> Result<Vec<SocketBloquante>, String> {
    let sortie = crate::lancement::sortie_de(std::process::Command::new("lsof").args([
        "-nP",
        "+fg",
        "-a",
        "-p",
        &pid.to_string(),
        "-i",
        "-F",
        "fGn",
    ]))
    .map_err(|e| {
        format!(
            "le mode des sockets se lit dans /proc/PID/fdinfo (Linux) ou par lsof, et ni \
             l'un ni l'autre n'est disponible (lsof : {e})"
        )
    })?;
    // lsof finit avec le code 1 quand rien ne correspond : c'est une réponse.
    Ok(lire_lsof(&String::from_utf8_lossy(&sortie.stdout), pid))
}

/// Les sockets bloquantes dans une sortie `lsof -F fGn` : des lignes `f4`
/// (descripteur), `G0x80802;0x0` (drapeaux en hexadécimal) ou `GRW,NB`
/// (leurs noms), `n127.0.0.1:4000` ou `n127.0.0.1:4000->127.0.0.1:50000`.
fn lire_lsof(texte: &str, pid: u32) -> Vec<SocketBloquante> {
    let mut bloquantes = Vec::new();
    // (descripteur, non bloquant ?) du fichier en cours de lecture.
    let mut courant: Option<(u32, Option<bool>)> = None;
    for ligne in texte.lines() {
        let Some(champ) = ligne.chars().next() else {
            continue;
        };
        let valeur = &ligne[champ.len_utf8()..];
        match champ {
            'f' => courant = valeur.parse().ok().map(|d| (d, None)),
            'G' => {
                if let Some((_, mode)) = courant.as_mut() {
                    *mode = non_bloquant_selon_lsof(valeur);
                }
            }
            'n' => {
                if let Some((descripteur, Some(false))) = courant.take() {
                    let extremite = match valeur.split_once("->") {
                        Some((_, distante)) => distante
                            .parse()
                            .map_or(Extremite::Inconnue, Extremite::Service),
                        None => Extremite::Ecoute,
                    };
                    bloquantes.push(SocketBloquante {
                        descripteur,
                        extremite,
                        lu_dans: format!(
                            "pas de drapeau NB (O_NONBLOCK) pour le descripteur {descripteur} \
                             dans « lsof +fg -a -p {pid} -i »"
                        ),
                    });
                }
            }
            _ => {}
        }
    }
    bloquantes.sort_by_key(|s| s.descripteur);
    bloquantes
}

/// Les drapeaux d'un fichier selon lsof : en hexadécimal (`0x80802;0x0`, les
/// drapeaux d'`open` puis ceux du descripteur) ou en noms (`RW,NB` ; lsof
/// écrit ND, O_NDELAY, sous Linux où c'est le même bit). `None` si illisible.
fn non_bloquant_selon_lsof(valeur: &str) -> Option<bool> {
    let premiers = valeur.split(';').next()?;
    match premiers.strip_prefix("0x") {
        Some(hexa) => {
            let drapeaux = u64::from_str_radix(hexa, 16).ok()?;
            Some(drapeaux & libc::O_NONBLOCK as u64 != 0)
        }
        None => Some(premiers.split(',').any(|nom| nom == "NB" || nom == "ND")),
    }
}

/// L'inode de la socket derrière un descripteur (`socket:[12345]`), s'il
/// désigne une socket.
fn inode_de_socket(pid: u32, descripteur: u32) -> Option<u64> {
    let cible = fs::read_link(format!("/proc/{pid}/fd/{descripteur}")).ok()?;
    cible
        .to_str()?
        .strip_prefix("socket:[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// L'autre extrémité d'une socket TCP IPv4 du serveur, retrouvée par son
/// inode dans `/proc/net/tcp` : pour une socket de service, c'est
/// l'adresse du client.
pub fn pair_de_socket(inode: u64) -> Option<SocketAddr> {
    let table = fs::read_to_string("/proc/net/tcp").ok()?;
    table.lines().skip(1).find_map(|ligne| {
        let champs: Vec<&str> = ligne.split_whitespace().collect();
        if champs.get(9)?.parse::<u64>().ok()? != inode {
            return None;
        }
        let (ip, port) = champs.get(2)?.split_once(':')?;
        // L'adresse est écrite dans l'ordre des octets de la machine.
        let ip = Ipv4Addr::from(u32::from_str_radix(ip, 16).ok()?.to_ne_bytes());
        Some(SocketAddr::from((ip, u16::from_str_radix(port, 16).ok()?)))
    })
}

/// L'appel système dans lequel le thread principal est bloqué.
pub struct AppelBloque {
    /// Le nom de l'appel : « read », « epoll_wait »…
    pub nom: &'static str,
    /// Vrai pour les appels qui attendent des événements (epoll, poll, select).
    pub attend_des_evenements: bool,
    /// Le descripteur visé (premier argument), pour read, write, accept…
    pub descripteur: Option<u32>,
    /// L'inode de ce descripteur, s'il désigne une socket.
    pub inode: Option<u64>,
}

/// Lit `/proc/PID/syscall` : le numéro de l'appel en cours et ses
/// arguments, si le thread principal est bloqué dans le noyau. `None` s'il
/// tourne, si l'appel est inconnu ici, ou si `/proc` ne le dit pas.
pub fn appel_bloque(pid: u32) -> Option<AppelBloque> {
    let texte = fs::read_to_string(format!("/proc/{pid}/syscall")).ok()?;
    let mut champs = texte.split_whitespace();
    let numero: libc::c_long = champs.next()?.parse().ok()?;
    let premier = champs
        .next()
        .and_then(|a| u64::from_str_radix(a.trim_start_matches("0x"), 16).ok());
    let (nom, attend_des_evenements) = nom_d_appel(numero)?;
    let descripteur = if attend_des_evenements {
        None
    } else {
        premier.and_then(|d| u32::try_from(d).ok())
    };
    let inode = descripteur.and_then(|d| inode_de_socket(pid, d));
    Some(AppelBloque {
        nom,
        attend_des_evenements,
        descripteur,
        inode,
    })
}

/// Les appels qu'un serveur peut faire en attendant : ceux qui lisent,
/// écrivent ou acceptent (bloqués sur une socket), et ceux qui attendent
/// des événements. (Les numéros d'appels sont ceux de Linux, seul système
/// à publier `/proc/PID/syscall`.)
#[cfg(target_os = "linux")]
fn nom_d_appel(numero: libc::c_long) -> Option<(&'static str, bool)> {
    let connus: &[(libc::c_long, &str, bool)] = &[
        (libc::SYS_read, "read", false),
        (libc::SYS_write, "write", false),
        (libc::SYS_recvfrom, "recv", false),
        (libc::SYS_sendto, "send", false),
        (libc::SYS_accept4, "accept", false),
        (libc::SYS_epoll_pwait, "epoll_wait", true),
        (libc::SYS_ppoll, "poll", true),
        (libc::SYS_pselect6, "select", true),
        #[cfg(target_arch = "x86_64")]
        (libc::SYS_accept, "accept", false),
        #[cfg(target_arch = "x86_64")]
        (libc::SYS_epoll_wait, "epoll_wait", true),
        #[cfg(target_arch = "x86_64")]
        (libc::SYS_poll, "poll", true),
        #[cfg(target_arch = "x86_64")]
        (libc::SYS_select, "select", true),
    ];
    connus
        .iter()
        .find(|(n, _, _)| *n == numero)
        .map(|&(_, nom, attend)| (nom, attend))
}

/// Hors Linux, `/proc/PID/syscall` n'existe pas : aucun appel n'est nommé.
#[cfg(not(target_os = "linux"))]
fn nom_d_appel(_numero: libc::c_long) -> Option<(&'static str, bool)> {
    None
}

/// Suspend le processus (SIGSTOP) le temps que cette valeur vive, puis le
/// relance (SIGCONT) quand on la lâche, même si le test panique entre-temps.
pub struct Suspension {
    pid: libc::pid_t,
}

impl Suspension {
    pub fn suspendre(pid: u32) -> Option<Suspension> {
        let pid = libc::pid_t::try_from(pid).ok()?;
        // SAFETY: kill(2) vers notre propre enfant, sans mémoire partagée.
        if unsafe { libc::kill(pid, libc::SIGSTOP) } != 0 {
            return None;
        }
        let suspension = Suspension { pid };
        // Le signal est livré de façon asynchrone : on attend (borné) que le
        // noyau montre le processus arrêté, état « T » de /proc/PID/stat,
        // avant de compter sur sa suspension.
        let limite = std::time::Instant::now() + Duration::from_secs(2);
        while !arrete(pid) {
            if std::time::Instant::now() >= limite {
                return None;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        Some(suspension)
    }
}

/// Vrai si le processus est arrêté par un signal (état « T ») : lu dans
/// `/proc/PID/stat` sous Linux, sinon dans `ps -o stat= -p PID` (macOS),
/// pour que la suspension soit attendue partout, pas seulement sous Linux.
fn arrete(pid: libc::pid_t) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            stat.rsplit_once(')')
                .and_then(|(_, reste)| reste.split_whitespace().next())
                == Some("T")
        }
        Err(_) => crate::lancement::sortie_de(std::process::Command::new("ps").args([
            "-o",
            "stat=",
            "-p",
            &pid.to_string(),
        ]))
        .is_ok_and(|sortie| etat_ps_arrete(&String::from_utf8_lossy(&sortie.stdout))),
    }
}

/// L'état que `ps -o stat=` donne (« T », « T+ », « Ts »…) est-il l'arrêt ?
fn etat_ps_arrete(etat: &str) -> bool {
    etat.trim_start().starts_with('T')
}

impl Drop for Suspension {
    fn drop(&mut self) {
        // SAFETY: kill(2) vers notre propre enfant, sans mémoire partagée.
        unsafe {
            libc::kill(self.pid, libc::SIGCONT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream};
    use std::os::fd::AsRawFd;
    use std::process::{Command, Stdio};
    use std::thread;

    #[test]
    fn voit_un_processus_bloque_dans_read() {
        // `cat` attend sa première ligne : il est bloqué dans read(0, …).
        let mut enfant = Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("cat");
        let pid = enfant.id();
        let mut appel = None;
        for _ in 0..100 {
            appel = appel_bloque(pid);
            if appel.is_some() {
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let _ = enfant.kill();
        let _ = enfant.wait();
        let appel = appel.expect("cat bloqué dans read");
        assert_eq!((appel.nom, appel.descripteur), ("read", Some(0)));
        assert!(!appel.attend_des_evenements && appel.inode.is_none());
    }

    #[test]
    fn lit_threads_et_ordonnancement() {
        let moi = std::process::id();
        assert!(threads(moi).is_some_and(|(n, noms)| n >= 1 && noms.len() == n));
        assert!(ordonnancement(moi).is_some_and(|o| o.passages >= 1));
        assert!(memoire_residente(moi).is_some_and(|m| m > 0));
    }

    /// Un enfant qui tourne à vide est toujours sur un processeur ou prêt à
    /// y aller ; un enfant qui dort, jamais. Et SIGSTOP est attendu.
    #[test]
    fn distingue_une_boucle_a_vide_d_un_sommeil_et_attend_l_arret() {
        let mesurer = |commande: &str| {
            let mut enfant = Command::new("sh")
                .args(["-c", commande])
                .spawn()
                .expect("sh");
            thread::sleep(Duration::from_millis(100));
            let avant = ordonnancement(enfant.id()).expect("schedstat");
            thread::sleep(Duration::from_millis(500));
            let apres = ordonnancement(enfant.id()).expect("schedstat");
            let suspendu = Suspension::suspendre(enfant.id()).is_some();
            let _ = enfant.kill();
            let _ = enfant.wait();
            let ecart = apres.depuis(&avant);
            (ecart.sur_processeur + ecart.en_attente, suspendu)
        };
        let (boucle, suspendu) = mesurer("while :; do :; done");
        assert!(boucle > Duration::from_millis(250), "{boucle:?}");
        assert!(suspendu);
        let (sommeil, _) = mesurer("exec sleep 5");
        assert!(sommeil < Duration::from_millis(50), "{sommeil:?}");
    }

    /// Le repli hors Linux : l'état que donne `ps -o stat=`.
    #[test]
    fn lit_l_arret_dans_l_etat_de_ps() {
        assert!(etat_ps_arrete("T+\n"));
        assert!(etat_ps_arrete(" Ts"));
        assert!(!etat_ps_arrete("S+\n"));
        assert!(!etat_ps_arrete(""));
    }

    /// Et sur un vrai processus arrêté par SIGSTOP, `ps` dit bien « T ».
    #[test]
    #[ignore = "il faut ps (paquet Debian procps) ; lancé par .ci/run"]
    fn ps_montre_un_processus_suspendu() {
        let mut enfant = Command::new("sleep").arg("5").spawn().expect("sleep");
        let suspension = Suspension::suspendre(enfant.id());
        assert!(suspension.is_some());
        let sortie = Command::new("ps")
            .args(["-o", "stat=", "-p", &enfant.id().to_string()])
            .output()
            .expect("ps introuvable : installez le paquet procps");
        assert!(etat_ps_arrete(&String::from_utf8_lossy(&sortie.stdout)));
        drop(suspension);
        let _ = enfant.kill();
        let _ = enfant.wait();
    }

    #[test]
    fn lit_les_drapeaux_de_lsof() {
        let texte = "p42\nf3\nG0x80802;0x0\nn127.0.0.1:4000\nf4\nG0x2;0x0\nn127.0.0.1:4000\n\
                     f5\nGRW,NB\nn127.0.0.1:4000->127.0.0.1:50000\nf6\nGRW\n\
                     n127.0.0.1:4000->127.0.0.1:50001\n";
        let bloquantes = lire_lsof(texte, 42);
        let vues: Vec<(u32, Extremite)> = bloquantes
            .iter()
            .map(|s| (s.descripteur, s.extremite))
            .collect();
        let pair = SocketAddr::from((Ipv4Addr::LOCALHOST, 50001));
        let mut attendues = vec![(6, Extremite::Service(pair))];
        // 0x800 est O_NONBLOCK sous Linux, pas ailleurs : le descripteur 3
        // n'est bloquant que là où ce bit veut dire autre chose.
        if libc::O_NONBLOCK != 0x800 {
            attendues.insert(0, (3, Extremite::Ecoute));
        }
        attendues.insert(attendues.len() - 1, (4, Extremite::Ecoute));
        assert_eq!(vues, attendues);
        // Ce que le diagnostic montre à l'étudiant, mot à mot.
        assert_eq!(
            bloquantes.last().map(|s| s.lu_dans.as_str()),
            Some(
                "pas de drapeau NB (O_NONBLOCK) pour le descripteur 6 dans « lsof +fg -a -p 42 -i »"
            )
        );
    }

    /// Sous Linux, /proc et lsof disent la même chose des sockets d'un
    /// processus : le chemin des autres Unix, essayé ici aussi.
    #[test]
    #[ignore = "demande lsof (lancé par .ci/run, qui l'installe)"]
    fn lsof_donne_les_memes_modes_que_proc() {
        let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let non_bloquante = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        non_bloquante.set_nonblocking(true).expect("non bloquant");
        let client = TcpStream::connect(ecoute.local_addr().expect("adresse")).expect("connect");
        let (service, _) = ecoute.accept().expect("accept");
        let miennes = [
            ecoute.as_raw_fd(),
            non_bloquante.as_raw_fd(),
            service.as_raw_fd(),
        ]
        .map(|d| d as u32);
        let moi = std::process::id();
        // D'autres tests du même processus ouvrent des sockets : on ne
        // compare que les nôtres.
        let les_miennes = |liste: Vec<SocketBloquante>| -> Vec<(u32, Extremite)> {
            liste
                .into_iter()
                .filter(|s| miennes.contains(&s.descripteur))
                .map(|s| (s.descripteur, s.extremite))
                .collect()
        };
        let par_proc = les_miennes(bloquantes_par_proc(moi).expect("/proc lisible"));
        let par_lsof = les_miennes(bloquantes_par_lsof(moi).expect("lsof présent"));
        assert_eq!(par_proc, par_lsof);
        assert_eq!(
            par_lsof,
            vec![
                (miennes[0], Extremite::Ecoute),
                (
                    miennes[2],
                    Extremite::Service(client.local_addr().expect("adresse"))
                ),
            ]
        );
    }

    #[test]
    fn retrouve_une_socket_de_service_et_son_mode() {
        let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let client = TcpStream::connect(ecoute.local_addr().expect("adresse")).expect("connect");
        let (service, _) = ecoute.accept().expect("accept");
        let moi = std::process::id();
        let inode = inode_de_socket(moi, service.as_raw_fd() as u32).expect("inode");
        assert_eq!(pair_de_socket(inode), client.local_addr().ok());
        let descripteur = service.as_raw_fd() as u32;
        let bloquante = || {
            sockets_bloquantes(moi)
                .expect("/proc lisible")
                .iter()
                .any(|s| s.descripteur == descripteur)
        };
        assert!(bloquante());
        service.set_nonblocking(true).expect("non bloquant");
        assert!(!bloquante());
    }
}

/// Ce que l'ordonnanceur du noyau a compté pour un processus (tous ses
/// threads) : temps passé sur un processeur, temps passé prêt à tourner en
/// attendant un processeur, nombre de passages sur un processeur, et
/// nombre de fois où un thread s'est endormi de lui-même (commutations
/// volontaires : il attendait un événement ou un délai, puis s'est réveillé).
#[derive(Debug, Clone, Copy, Default)]
pub struct Ordonnancement {
    pub sur_processeur: Duration,
    pub en_attente: Duration,
    pub passages: u64,
    pub endormissements: u64,
}

impl Ordonnancement {
    /// Ce qui s'est passé depuis `avant`.
    pub fn depuis(&self, avant: &Ordonnancement) -> Ordonnancement {
        Ordonnancement {
            sur_processeur: self.sur_processeur.saturating_sub(avant.sur_processeur),
            en_attente: self.en_attente.saturating_sub(avant.en_attente),
            passages: self.passages.saturating_sub(avant.passages),
            endormissements: self.endormissements.saturating_sub(avant.endormissements),
        }
    }
}

/// Lit `/proc/PID/task/*/schedstat` (trois nombres : nanosecondes sur un
/// processeur, nanosecondes prêt à tourner dans une file d'attente, nombre
/// de passages). Un processus qui dort (epoll_wait sans délai) n'ajoute rien
/// à aucun des trois ; un processus qui tourne à vide ajoute presque toute
/// la durée à la somme des deux premiers, quelle que soit la charge de la
/// machine : s'il ne tourne pas, il attend son tour. Les commutations
/// volontaires (`voluntary_ctxt_switches` de `/proc/PID/task/*/status`)
/// comptent les endormissements : un thread réveillé par un délai court en
/// ajoute un à chaque tour, une boucle qui tourne à vide aucun (elle est
/// seulement interrompue par l'ordonnanceur), quelle que soit la charge.
pub fn ordonnancement(pid: u32) -> Option<Ordonnancement> {
    let mut total = Ordonnancement::default();
    for tache in fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let tache = tache.ok()?.path();
        let Ok(texte) = fs::read_to_string(tache.join("schedstat")) else {
            continue;
        };
        total.endormissements += fs::read_to_string(tache.join("status"))
            .ok()
            .and_then(|statut| champ_de_statut(&statut, "voluntary_ctxt_switches:"))
            .unwrap_or(0);
        let nombres: Vec<u64> = texte
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        let [cpu, attente, passages] = nombres[..] else {
            return None;
        };
        total.sur_processeur += Duration::from_nanos(cpu);
        total.en_attente += Duration::from_nanos(attente);
        total.passages += passages;
    }
    Some(total)
}
