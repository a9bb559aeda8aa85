//! Une résolution de noms choisie par le correcteur (TP10, TP11).
//!
//! Les règles « le client essaie chaque adresse, dans l'ordre » ne se
//! vérifient qu'avec un nom qui donne plusieurs adresses, dans un ordre
//! connu. Le correcteur ne touche pas au `/etc/hosts` de la machine : il
//! lance le programme testé dans bubblewrap (`bwrap`), qui lui montre tout
//! le système (`--dev-bind / /`) sauf trois fichiers, remplacés par les
//! siens, dans un `/etc` privé (les autres fichiers de `/etc` y sont montés
//! tels quels, en lecture seule) :
//! - `/etc/hosts`, où `localhost` donne `::1` et `127.0.0.1` ;
//! - `/etc/nsswitch.conf` : `hosts: files`, ce fichier seul (ni DNS, ni
//!   systemd-resolved, ni mDNS) ;
//! - `/etc/host.conf` : `multi on`, toutes les lignes d'un nom (sans ce
//!   fichier, glibc n'en rend que la première) ;
//! - `/etc/gai.conf`, qui fixe l'ordre où getaddrinfo trie ces adresses
//!   (RFC 6724) : vide, l'ordre par défaut, `::1` d'abord ; ou `127.0.0.1`
//!   d'abord.
//!
//! Un `/etc` privé plutôt que ces fichiers montés sur ceux de la machine :
//! bwrap ne peut pas créer un fichier absent de `/etc` (`gai.conf`,
//! `host.conf` manquent souvent, et toujours dans le bac à sable de la
//! notation d'une classe).
//!
//! Le programme garde l'espace de noms réseau de la machine : il parle aux
//! sockets du correcteur sur la même boucle locale, et rien d'autre ne
//! change. Avant de juger, le correcteur lance `getent ahosts localhost`
//! dans le même bac à sable et lit l'ordre que rend vraiment getaddrinfo.
//! Sans bwrap, sans espaces de noms permis (macOS, un noyau qui les
//! interdit, le bac à sable de la notation d'une classe), ou si l'ordre
//! n'est pas celui voulu, l'étape le dit et ne juge rien : voir
//! [`Resolution::preparer`].

use std::ffi::OsString;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Le nom que résout le programme testé.
pub const NOM: &str = "localhost";

/// Les fichiers de `/etc` que le correcteur remplace par les siens.
const FICHIERS: [&str; 4] = ["hosts", "nsswitch.conf", "host.conf", "gai.conf"];

/// Le temps laissé à la sonde (`getent` dans bwrap) pour répondre.
const DELAI_SONDE: Duration = Duration::from_secs(10);

/// L'ordre voulu des deux adresses de [`NOM`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ordre {
    /// `::1` puis `127.0.0.1` : l'ordre par défaut de getaddrinfo.
    Ipv6DAbord,
    /// `127.0.0.1` puis `::1` : `/etc/gai.conf` donne la priorité aux
    /// adresses IPv4 (`precedence ::ffff:0:0/96 100`).
    Ipv4DAbord,
}

impl Ordre {
    /// Les deux adresses, dans cet ordre.
    pub fn adresses(self) -> [IpAddr; 2] {
        let (v6, v4) = (
            IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
            IpAddr::from([127, 0, 0, 1]),
        );
        match self {
            Ordre::Ipv6DAbord => [v6, v4],
            Ordre::Ipv4DAbord => [v4, v6],
        }
    }

    /// Le contenu du `/etc/gai.conf` qui donne cet ordre.
    fn gai_conf(self) -> &'static str {
        match self {
            Ordre::Ipv6DAbord => "",
            Ordre::Ipv4DAbord => "precedence ::ffff:0:0/96 100\n",
        }
    }
}

/// « ::1 puis 127.0.0.1 ».
pub fn en_clair(adresses: &[IpAddr]) -> String {
    adresses
        .iter()
        .map(IpAddr::to_string)
        .collect::<Vec<_>>()
        .join(" puis ")
}

/// Un bac à sable prêt, où [`NOM`] donne les adresses de [`Ordre`], dans
/// cet ordre (vérifié).
pub struct Resolution {
    bwrap: PathBuf,
    /// Les fichiers montés sur ceux de `/etc` ; supprimés avec la résolution.
    dossier: tempfile::TempDir,
    ordre: Ordre,
}

impl Resolution {
    /// Prépare le bac à sable et vérifie, avec `getent ahosts`, que
    /// getaddrinfo y rend bien les adresses voulues, dans l'ordre voulu.
    /// `Err` : la raison, en français, pour laquelle ce n'est pas possible
    /// sur cette machine (l'étape la dit et ne juge rien).
    pub fn preparer(ordre: Ordre) -> Result<Resolution, String> {
        if !cfg!(target_os = "linux") {
            return Err(
                "bubblewrap (bwrap), qui choisit la résolution de noms du programme, \
                        n'existe que sous Linux"
                    .into(),
            );
        }
        let bwrap = chercher_dans_le_path("bwrap").ok_or(
            "bubblewrap (bwrap) est introuvable ; il faut ce programme pour choisir ce que \
             rend la résolution de noms (paquet Debian `bubblewrap`)",
        )?;
        let dossier = tempfile::Builder::new()
            .prefix("correcteur-resolution-")
            .tempdir()
            .map_err(|e| format!("dossier temporaire impossible : {e}"))?;
        let [premiere, seconde] = ordre.adresses();
        let fichiers = [
            ("hosts", format!("{premiere} {NOM}\n{seconde} {NOM}\n")),
            ("nsswitch.conf", "hosts: files\n".to_string()),
            ("host.conf", "multi on\n".to_string()),
            ("gai.conf", ordre.gai_conf().to_string()),
        ];
        for (nom, contenu) in fichiers {
            std::fs::write(dossier.path().join(nom), contenu)
                .map_err(|e| format!("écriture de {nom} impossible : {e}"))?;
        }
        let resolution = Resolution {
            bwrap,
            dossier,
            ordre,
        };
        let obtenu = resolution.sonder()?;
        if obtenu != ordre.adresses() {
            return Err(format!(
                "dans le bac à sable, getaddrinfo donne pour « {NOM} » {}, pas {} (getent ahosts)",
                if obtenu.is_empty() {
                    "aucune adresse".to_string()
                } else {
                    en_clair(&obtenu)
                },
                en_clair(&ordre.adresses())
            ));
        }
        Ok(resolution)
    }

    /// Les adresses de [`NOM`], dans l'ordre de la résolution.
    pub fn adresses(&self) -> [IpAddr; 2] {
        self.ordre.adresses()
    }

    /// La commande qui précède celle du programme : `bwrap … --`.
    pub fn enveloppe(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec![self.bwrap.clone().into()];
        let mut ajouter = |morceaux: &[&str]| args.extend(morceaux.iter().map(OsString::from));
        // Tout le système, tel quel (périphériques compris : /dev/null…) ;
        // le programme meurt si bwrap meurt. Puis un /etc privé, vide.
        ajouter(&[
            "--dev-bind",
            "/",
            "/",
            "--die-with-parent",
            "--tmpfs",
            "/etc",
        ]);
        // Un nscd de la machine répondrait avec le /etc/hosts de la machine.
        if Path::new("/run/nscd").is_dir() {
            ajouter(&["--tmpfs", "/run/nscd"]);
        }
        // Le /etc de la machine, sauf nos fichiers (la source d'un montage
        // est lue hors du bac à sable : c'est bien le /etc de la machine).
        let mut entrees: Vec<PathBuf> = std::fs::read_dir("/etc")
            .map(|lecture| lecture.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        entrees.sort();
        for entree in entrees {
            let nom = entree
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !FICHIERS.contains(&nom) {
                args.push("--ro-bind-try".into());
                args.push(entree.clone().into());
                args.push(entree.into());
            }
        }
        for nom in FICHIERS {
            args.push("--ro-bind".into());
            args.push(self.dossier.path().join(nom).into());
            args.push(Path::new("/etc").join(nom).into());
        }
        args.push("--".into());
        args
    }

    /// Lance `getent ahosts NOM` dans le bac à sable : les adresses, dans
    /// l'ordre, telles que getaddrinfo les rend à un programme (une ligne
    /// STREAM par adresse, comme to_socket_addrs les demande).
    fn sonder(&self) -> Result<Vec<IpAddr>, String> {
        let enveloppe = self.enveloppe();
        let mut commande = Command::new(&enveloppe[0]);
        commande
            .args(&enveloppe[1..])
            .args(["getent", "ahosts", NOM])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (statut, sortie, erreurs) = executer_borne(commande, DELAI_SONDE)
            .map_err(|e| format!("bwrap n'a pas pu être lancé : {e}"))?;
        let Some(statut) = statut else {
            return Err(format!(
                "bwrap et getent n'ont pas répondu en {} s",
                DELAI_SONDE.as_secs()
            ));
        };
        if !statut.success() {
            let raison = erreurs.trim();
            return Err(if raison.starts_with("bwrap") {
                format!("bwrap ne peut pas créer son bac à sable ici ({raison})")
            } else {
                format!(
                    "getent ahosts {NOM}, dans le bac à sable, a échoué ({statut}) : {}",
                    if raison.is_empty() {
                        "sans message"
                    } else {
                        raison
                    }
                )
            });
        }
        let mut adresses: Vec<IpAddr> = Vec::new();
        for ligne in sortie.lines().filter(|l| l.contains("STREAM")) {
            let adresse = ligne.split_whitespace().next().and_then(|a| a.parse().ok());
            if let Some(adresse) = adresse.filter(|a| !adresses.contains(a)) {
                adresses.push(adresse);
            }
        }
        Ok(adresses)
    }
}

/// Vrai si la sortie d'erreur d'un programme lancé par [`Resolution::enveloppe`]
/// montre que bwrap lui-même a échoué (le programme n'a pas tourné).
pub fn bac_a_sable_en_echec(erreurs: &str) -> bool {
    erreurs.lines().any(|l| l.starts_with("bwrap: "))
}

/// Lance `commande`, attend sa fin au plus `delai` (la tue sinon) et rend
/// son statut (`None` si tuée), sa sortie et sa sortie d'erreur.
fn executer_borne(
    mut commande: Command,
    delai: Duration,
) -> std::io::Result<(Option<std::process::ExitStatus>, String, String)> {
    let mut enfant = crate::lancement::lancer(&mut commande)?;
    let lire = |flux: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut texte = String::new();
            if let Some(mut flux) = flux {
                let _ = flux.read_to_string(&mut texte);
            }
            texte
        })
    };
    let sortie = lire(
        enfant
            .stdout
            .take()
            .map(|f| Box::new(f) as Box<dyn Read + Send>),
    );
    let erreurs = lire(
        enfant
            .stderr
            .take()
            .map(|f| Box::new(f) as Box<dyn Read + Send>),
    );
    let limite = Instant::now() + delai;
    let statut = loop {
        if let Some(statut) = enfant.try_wait()? {
            break Some(statut);
        }
        if Instant::now() >= limite {
            let _ = enfant.kill();
            let _ = enfant.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(5));
    };
    let sortie = sortie.join().unwrap_or_default();
    let erreurs = erreurs.join().unwrap_or_default();
    Ok((statut, sortie, erreurs))
}

/// Le chemin d'un exécutable trouvé dans le PATH.
fn chercher_dans_le_path(nom: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dossier| dossier.join(nom))
        .find(|chemin| chemin.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Là où bwrap fonctionne, la sonde trouve les deux ordres ; ailleurs,
    /// la raison est dite (et le test n'a rien à vérifier).
    #[test]
    fn la_sonde_rend_l_ordre_voulu_ou_dit_pourquoi() {
        for ordre in [Ordre::Ipv6DAbord, Ordre::Ipv4DAbord] {
            match Resolution::preparer(ordre) {
                Ok(resolution) => assert_eq!(resolution.adresses(), ordre.adresses()),
                Err(raison) => {
                    assert!(!raison.is_empty());
                    eprintln!("{ordre:?} : non vérifiable ici : {raison}");
                }
            }
        }
    }
}
