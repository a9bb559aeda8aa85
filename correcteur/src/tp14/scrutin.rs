//! Le scrutin d'essai du correcteur : ses fichiers, dans un dossier qui lui
//! appartient et qui survit aux serveurs successifs (redémarrage après un
//! `kill -9` sur le même journal), et ce qu'on observe du serveur.

use std::io;
use std::path::{Path, PathBuf};

/// La question du bulletin d'essai.
pub const QUESTION: &str = "Quel langage pour le projet de fin d'année ?";
/// Les options, dans l'ordre : l'option n° 1 est « Rust ».
pub const OPTIONS: [&str; 4] = ["Rust", "C", "Python", "Ça dépend"];
/// Nombre d'électeurs inscrits.
pub const ELECTEURS: usize = 230;

/// Le jeton de l'électeur `i`.
pub fn jeton(i: usize) -> String {
    format!("electeur-{i:03}")
}

/// Les fichiers d'un scrutin d'essai ; le dossier disparaît avec lui.
pub struct Scrutin {
    dossier: tempfile::TempDir,
}

impl Scrutin {
    /// Écrit le bulletin et la liste des électeurs ; le journal n'existe pas encore.
    pub fn nouveau() -> io::Result<Scrutin> {
        // Le préfixe des dossiers du correcteur, avec le PID du test : les
        // restes d'un test interrompu sont retirés au lancement suivant
        // (processus::nettoyer_les_restes).
        let dossier = tempfile::Builder::new()
            .prefix(&format!("correcteur-{}-tp14-scrutin-", std::process::id()))
            .tempdir()?;
        let bulletin = format!("{QUESTION}\n{}\n", OPTIONS.join("\n"));
        std::fs::write(dossier.path().join("bulletin.txt"), bulletin)?;
        let electeurs: String = (0..ELECTEURS).map(|i| jeton(i) + "\n").collect();
        std::fs::write(dossier.path().join("electeurs.txt"), electeurs)?;
        Ok(Scrutin { dossier })
    }

    fn chemin(&self, nom: &str) -> PathBuf {
        self.dossier.path().join(nom)
    }

    /// Le journal, que le correcteur relit ou prépare.
    pub fn journal(&self) -> PathBuf {
        self.chemin("journal.bin")
    }

    /// Les arguments du serveur.
    pub fn arguments(&self, port: u16) -> Vec<String> {
        let chemin = |nom: &str| self.chemin(nom).display().to_string();
        vec![
            "serveur".into(),
            port.to_string(),
            "--bulletin".into(),
            chemin("bulletin.txt"),
            "--electeurs".into(),
            chemin("electeurs.txt"),
            "--journal".into(),
            chemin("journal.bin"),
        ]
    }
}

/// La plus grande mémoire résidente atteinte par un processus (VmHWM de
/// `/proc/PID/status`), en Kio.
pub fn memoire_max(pid: u32) -> Option<u64> {
    let etat =
        std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).ok()?;
    etat.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Un test interrompu ne laisse pas ses scrutins dans /tmp : leur nom
    /// suit le schéma `correcteur-PID-…` que le lancement suivant nettoie
    /// quand le PID n'existe plus (processus::nettoyer_les_restes).
    #[test]
    fn le_dossier_du_scrutin_porte_le_pid_du_test() {
        let scrutin = Scrutin::nouveau().expect("scrutin");
        let nom = scrutin
            .dossier
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let attendu = format!("correcteur-{}-", std::process::id());
        assert!(
            nom.starts_with(&attendu),
            "{nom} ne commence pas par {attendu}"
        );
    }
}
