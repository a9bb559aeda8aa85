//! Ce que l'outil demande au système : assez de descripteurs de fichiers,
//! et la garantie de ne viser que la machine locale.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

/// La limite de descripteurs ouverts (RLIMIT_NOFILE) avant et après le
/// relèvement : chaque connexion coûte un descripteur, de chaque côté.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Descripteurs {
    /// La limite souple trouvée au démarrage (`ulimit -n`).
    pub avant: u64,
    /// La limite souple après relèvement.
    pub apres: u64,
}

impl Descripteurs {
    /// La phrase que l'outil affiche : l'utilisateur doit savoir qu'on a
    /// touché à ses limites.
    pub fn phrase(&self) -> String {
        if self.apres > self.avant {
            format!(
                "limite de descripteurs relevée de {} à {} (la limite dure, le maximum permis)",
                self.avant, self.apres
            )
        } else {
            format!(
                "limite de descripteurs : {} (déjà au maximum permis)",
                self.apres
            )
        }
    }
}

// ANCHOR: relever
/// Relève la limite souple de descripteurs jusqu'à la limite dure.
///
/// Un processus ordinaire peut monter sa limite souple jusqu'à la dure sans
/// privilège. Les enfants lancés ensuite (les serveurs du banc) en héritent.
pub fn relever_limite_descripteurs() -> io::Result<Descripteurs> {
    let mut limite = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY : getrlimit écrit dans la structure qu'on lui passe, valide
    // pendant tout l'appel.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limite) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let avant = limite.rlim_cur;
    // Une limite dure « infinie » n'est pas accordée pour NOFILE : le noyau
    // plafonne à fs.nr_open (1 048 576 par défaut).
    let cible = if limite.rlim_max == libc::RLIM_INFINITY {
        nr_open().unwrap_or(1 << 20)
    } else {
        limite.rlim_max
    };
    if avant < cible {
        limite.rlim_cur = cible;
        // SAFETY : setrlimit ne fait que lire la structure.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limite) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(Descripteurs {
        avant,
        apres: avant.max(cible),
    })
}
// ANCHOR_END: relever

/// Le temps de processeur consommé jusqu'ici par ce processus (tous ses
/// threads, en mode utilisateur et noyau).
pub fn temps_processeur() -> Duration {
    // SAFETY : rusage est une structure C ordinaire, que getrusage remplit.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY : le pointeur désigne une structure valide pendant l'appel.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let duree = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    duree(usage.ru_utime) + duree(usage.ru_stime)
}

fn nr_open() -> Option<u64> {
    std::fs::read_to_string("/proc/sys/fs/nr_open")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Lit l'adresse visée : `127.0.0.1:PORT`, `[::1]:PORT`, `localhost:PORT`
/// ou `PORT` seul. Tout ce qui n'est pas la boucle locale est refusé, sans
/// aucune résolution de nom : l'outil ne doit jamais charger la machine de
/// quelqu'un d'autre.
pub fn adresse_locale(texte: &str) -> Result<SocketAddr, String> {
    let adresse = if let Ok(port) = texte.parse::<u16>() {
        SocketAddr::from((Ipv4Addr::LOCALHOST, port))
    } else if let Ok(adresse) = texte.parse::<SocketAddr>() {
        adresse
    } else {
        match texte.rsplit_once(':') {
            Some(("localhost", port)) => {
                let port = port
                    .parse::<u16>()
                    .map_err(|_| format!("port invalide dans « {texte} »"))?;
                SocketAddr::from((Ipv4Addr::LOCALHOST, port))
            }
            Some((hote, _)) if hote.parse::<IpAddr>().is_err() => {
                return Err(format!(
                    "« {hote} » n'est pas une adresse de la boucle locale : cet outil ne \
                     vise que cette machine (127.0.0.1, ::1 ou localhost), et ne résout \
                     aucun nom"
                ));
            }
            _ => {
                return Err(format!(
                    "adresse illisible : « {texte} » (attendu 127.0.0.1:PORT, [::1]:PORT, \
                     localhost:PORT ou PORT)"
                ));
            }
        }
    };
    if !adresse.ip().is_loopback() {
        return Err(format!(
            "{} n'est pas une adresse de la boucle locale : cet outil ne charge que \
             des serveurs de cette machine (127.0.0.0/8 ou ::1)",
            adresse.ip()
        ));
    }
    if adresse.port() == 0 {
        return Err("le port 0 ne désigne aucun serveur".to_string());
    }
    Ok(adresse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_boucle_locale_est_acceptee() {
        for texte in [
            "1664",
            "127.0.0.1:1664",
            "127.1.2.3:1664",
            "[::1]:1664",
            "localhost:1664",
        ] {
            let adresse = adresse_locale(texte).unwrap();
            assert!(
                adresse.ip().is_loopback() && adresse.port() == 1664,
                "{texte}"
            );
        }
    }

    #[test]
    fn le_reste_est_refuse() {
        for texte in [
            "192.168.1.10:1664",
            "0.0.0.0:1664",
            "[::]:1664",
            "[::ffff:127.0.0.1]:1664",
            "exemple.fr:80",
            "127.0.0.1",
            "127.0.0.1:0",
            "localhost:x",
        ] {
            assert!(adresse_locale(texte).is_err(), "{texte} accepté");
        }
    }

    #[test]
    fn la_phrase_dit_si_la_limite_a_change() {
        let relevee = Descripteurs {
            avant: 1024,
            apres: 20000,
        };
        assert!(relevee.phrase().contains("relevée de 1024 à 20000"));
        let inchangee = Descripteurs {
            avant: 20000,
            apres: 20000,
        };
        assert!(inchangee.phrase().contains("déjà au maximum"));
    }
}
