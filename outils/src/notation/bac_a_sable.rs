//! Le bac à sable de la correction : chaque compilation et chaque étape
//! d'une copie tournent dans bubblewrap (`bwrap`), qui ne leur montre que
//! la chaîne Rust (lecture seule), les sources vierges du TP (lecture
//! seule), le `src/` de la copie, son dossier cible et un `/tmp` privé de
//! taille bornée. Le modèle de menace et ses parades sont dans SECURITE.md.
//!
//! Quand la notation tourne en root, tout ce qui tourne dans le bac à sable
//! passe (par `setpriv`) sous un utilisateur sans privilège propre à chaque
//! fil de notation : RLIMIT_NPROC, que le noyau n'applique pas à root, borne
//! alors les processus de la copie, et rien de l'étudiant ne tourne en root.
//! Sinon, un espace de noms utilisateur (`--unshare-user`) isole la copie.

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};

use super::execution::lancer_borne;
use super::limites::Limites;

/// Taille du `/tmp` privé d'une copie (dossiers de travail des programmes).
pub const TMP_MAX: u64 = 64 * 1024 * 1024;

/// Où chaque chose apparaît dans le bac à sable.
pub const ATELIER: &str = "/atelier";
pub const CIBLE: &str = "/cible";
pub const BANC: &str = "/banc";
const CHAINE: &str = "/chaine";
const CARGO_HOME: &str = "/cargo";

/// Les bornes des essais (trouver la chaîne, lancer un bac à sable vide).
const LIMITES_D_ESSAI: Limites = Limites {
    delai: Duration::from_secs(30),
    memoire: 4096 * 1024 * 1024,
    fichier: 64 * 1024 * 1024,
    processus: 64,
    uid: None,
};

/// Les outils du bac à sable, trouvés sur la machine.
#[derive(Debug, Clone)]
pub struct BacASable {
    bwrap: PathBuf,
    /// La chaîne Rust (`rustc --print sysroot`).
    chaine: PathBuf,
    /// Le registre de cargo (`$CARGO_HOME/registry`), sources des dépendances.
    registre: PathBuf,
    /// La notation tourne-t-elle en root ?
    root: bool,
    /// `setpriv` (util-linux), qui quitte root dans le bac à sable.
    setpriv: PathBuf,
    /// Le `/etc/hosts` et le `/etc/nsswitch.conf` du bac à sable : localhost
    /// seulement (ceux de la machine diraient son nom).
    etc: Arc<tempfile::TempDir>,
}

/// Ce qu'un lancement monte en plus du système et de la chaîne.
pub struct Montage<'a> {
    /// Les sources vierges du TP (monté en lecture seule sur /atelier).
    pub atelier: &'a Path,
    /// Le `src/` de la copie, monté en lecture seule sur
    /// /atelier/exercises/TP/src.
    pub src: Option<(&'a str, &'a Path)>,
    /// Le dossier cible, monté sur /cible (en écriture pour compiler).
    pub cible: &'a Path,
    pub cible_en_ecriture: bool,
    /// Les exécutables de test, montés en lecture seule sur /banc.
    pub banc: Option<&'a Path>,
    /// Le fil de notation (0 pour les modèles) : choisit l'utilisateur.
    pub fil: u32,
}

impl BacASable {
    /// Trouve bwrap et la chaîne Rust, et vérifie que bwrap fonctionne ici
    /// (espaces de noms utilisateur permis). L'erreur dit ce qui manque.
    pub fn detecter() -> anyhow::Result<Self> {
        let bwrap = chercher_dans_path("bwrap").context(
            "bubblewrap (bwrap) est introuvable : installez le paquet Debian `bubblewrap`",
        )?;
        let mut rustc =
            Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc")));
        rustc.args(["--print", "sysroot"]);
        let sortie = lancer_borne(rustc, &LIMITES_D_ESSAI)
            .context("impossible de lancer rustc --print sysroot")?;
        let chaine = PathBuf::from(sortie.sortie.trim());
        if !chaine.join("bin/cargo").is_file() {
            bail!(
                "pas de cargo dans la chaîne {} : installez Rust avec rustup",
                chaine.display()
            );
        }
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .context("ni CARGO_HOME ni HOME : registre de cargo introuvable")?;
        // SAFETY: geteuid(2) ne peut pas échouer.
        let root = unsafe { libc::geteuid() } == 0;
        let setpriv = if root {
            chercher_dans_path("setpriv")
                .context("setpriv est introuvable : installez le paquet Debian `util-linux`")?
        } else {
            PathBuf::new()
        };
        let etc = tempfile::tempdir().context("dossier temporaire")?;
        fs::write(
            etc.path().join("hosts"),
            "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n",
        )?;
        fs::write(etc.path().join("nsswitch.conf"), "hosts: files\n")?;
        for fichier in ["hosts", "nsswitch.conf"] {
            fs::set_permissions(etc.path().join(fichier), fs::Permissions::from_mode(0o644))?;
        }
        let bac = BacASable {
            etc: Arc::new(etc),
            setpriv,
            bwrap,
            chaine,
            registre: cargo_home.join("registry"),
            root,
        };
        bac.essayer()?;
        Ok(bac)
    }

    /// Lance `true` dans un bac à sable vide, avec la boucle locale.
    fn essayer(&self) -> anyhow::Result<()> {
        let vide = tempfile::tempdir().context("dossier temporaire")?;
        let montage = Montage {
            atelier: vide.path(),
            src: None,
            cible: vide.path(),
            cible_en_ecriture: false,
            banc: None,
            fil: 0,
        };
        let mut commande = self.commande(&montage, Path::new("/bin/sh"), false);
        commande.args(["-c", "exec 3<>/dev/null && test -d /proc/1"]);
        let issue =
            lancer_borne(commande, &LIMITES_D_ESSAI).context("impossible de lancer bwrap")?;
        if !issue.reussie() {
            bail!(
                "bwrap ne peut pas créer le bac à sable sur cette machine ({:?}) : {}",
                issue.statut,
                issue.erreurs.trim()
            );
        }
        Ok(())
    }

    /// Le chemin de cargo dans le bac à sable.
    pub fn cargo(&self) -> PathBuf {
        Path::new(CHAINE).join("bin/cargo")
    }

    /// L'uid (hors du bac à sable) sous lequel tourne le fil `fil`, en root.
    pub fn uid(&self, fil: u32) -> Option<u32> {
        self.root.then(|| super::copie::uid_du_fil(fil))
    }

    /// La commande qui lance `programme` dans le bac à sable décrit par
    /// `montage`. Avec `pid_1`, le programme est le processus 1 de son
    /// espace de noms : sa fin tue tout ce qu'il reste dedans.
    pub fn commande(&self, montage: &Montage, programme: &Path, pid_1: bool) -> Command {
        let mut c = Command::new(&self.bwrap);
        if self.root {
            // bwrap en root monte ce que root seul peut lire (la chaîne sous
            // /root…), puis setpriv passe à l'utilisateur de la copie.
            c.args(["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]);
        } else {
            c.args([
                "--unshare-user",
                "--uid",
                "1000",
                "--gid",
                "1000",
                "--disable-userns",
            ]);
        }
        c.args([
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--hostname",
            "copie",
            "--die-with-parent",
            "--new-session",
            "--clearenv",
        ]);
        if pid_1 {
            c.arg("--as-pid-1");
        }
        // Le système, en lecture seule : les bibliothèques et l'éditeur de
        // liens (cc), rien d'autre de /etc que ce qu'ils lisent.
        for dossier in ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin"] {
            c.args(["--ro-bind-try", dossier, dossier]);
        }
        c.args(["--perms", "0755", "--dir", "/etc"]);
        for fichier in ["/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf"] {
            c.args(["--ro-bind-try", fichier, fichier]);
        }
        for fichier in ["hosts", "nsswitch.conf"] {
            c.arg("--ro-bind")
                .arg(self.etc.path().join(fichier))
                .arg(Path::new("/etc").join(fichier));
        }
        c.args(["--proc", "/proc", "--dev", "/dev"]);
        // En root, les dossiers que crée bwrap sont à root : /tmp et le
        // CARGO_HOME privé doivent rester ouverts à l'utilisateur de la copie.
        c.args([
            "--perms",
            "1777",
            "--size",
            &TMP_MAX.to_string(),
            "--tmpfs",
            "/tmp",
        ]);
        c.arg("--ro-bind").arg(&self.chaine).arg(CHAINE);
        c.args(["--perms", "1777", "--tmpfs", CARGO_HOME]);
        c.arg("--ro-bind-try")
            .arg(&self.registre)
            .arg(format!("{CARGO_HOME}/registry"));
        c.arg("--ro-bind").arg(montage.atelier).arg(ATELIER);
        if let Some((tp, src)) = montage.src {
            c.arg("--ro-bind")
                .arg(src)
                .arg(format!("{ATELIER}/exercises/{tp}/src"));
        }
        let liaison = if montage.cible_en_ecriture {
            "--bind"
        } else {
            "--ro-bind"
        };
        c.arg(liaison).arg(montage.cible).arg(CIBLE);
        if let Some(banc) = montage.banc {
            c.arg("--ro-bind").arg(banc).arg(BANC);
        }
        for (nom, valeur) in [
            ("PATH", format!("{CHAINE}/bin:/usr/bin:/bin")),
            ("HOME", "/tmp".into()),
            ("TMPDIR", "/tmp".into()),
            ("CARGO_HOME", CARGO_HOME.into()),
            ("CARGO_TARGET_DIR", CIBLE.into()),
            ("CARGO_INCREMENTAL", "0".into()),
            ("CARGO_TERM_COLOR", "never".into()),
            ("RUST_BACKTRACE", "0".into()),
            ("LANG", "C.UTF-8".into()),
        ] {
            c.args(["--setenv", nom, &valeur]);
        }
        c.args(["--chdir", ATELIER]);
        c.arg("--");
        if let Some(uid) = self.uid(montage.fil) {
            let uid = uid.to_string();
            c.arg(&self.setpriv).args([
                "--reuid",
                &uid,
                "--regid",
                &uid,
                "--clear-groups",
                "--inh-caps=-all",
                "--",
            ]);
        }
        c.arg(programme);
        c
    }

    /// Donne à l'utilisateur du fil `fil` un dossier créé par la notation
    /// (en root seulement ; sinon c'est déjà le même utilisateur).
    pub fn donner(&self, dossier: &Path, fil: u32) -> anyhow::Result<()> {
        let Some(uid) = self.uid(fil) else {
            return Ok(());
        };
        std::os::unix::fs::lchown(dossier, Some(uid), Some(uid))
            .with_context(|| format!("impossible de donner {} à l'uid {uid}", dossier.display()))
    }
}

/// Un exécutable dans le PATH.
fn chercher_dans_path(nom: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join(nom))
            .find(|p| p.is_file())
    })
}
