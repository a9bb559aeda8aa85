//! Un programme dont le correcteur écrit l'entrée standard.
//!
//! [`Programme::lancer`] branche l'entrée standard sur `/dev/null` ; le
//! client du bar, lui, lit ses commandes au clavier. Sans toucher au module
//! commun, on passe par un tube nommé (FIFO) : `/bin/sh` ouvre le tube en
//! lecture, le met à la place de l'entrée standard, puis se remplace par le
//! programme (`exec`) — même PID, même groupe, donc toujours tué et récolté
//! par [`Programme`]. Le correcteur écrit dans le tube ; quand il le
//! ferme, le programme lit la fin de l'entrée, comme après Ctrl+D.
//!
//! (Ce module pourrait rejoindre `processus` un jour, sous la forme d'un
//! `Programme::lancer_avec_entree`.)

use std::ffi::CString;
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::processus::Programme;

/// Le script qui branche le tube (`$1`) sur l'entrée standard du programme
/// (`$2…`), puis lui cède la place.
const BRANCHEMENT: &str = r#"tube=$1; shift; exec "$@" < "$tube""#;

/// Un programme lancé avec une entrée standard que le correcteur remplit.
pub struct AvecEntree {
    pub programme: Programme,
    /// Notre extrémité du tube ; `None` une fois fermée.
    entree: Option<File>,
    /// Le dossier du tube, supprimé après le programme (ordre des champs).
    _dossier: tempfile::TempDir,
}

impl AvecEntree {
    /// Lance `binaire args…` sous le rôle `role`, l'entrée standard reliée
    /// au correcteur.
    pub fn lancer(binaire: &Path, role: &str, args: &[&str]) -> io::Result<AvecEntree> {
        // Même préfixe que les dossiers de `processus` (« correcteur-PID-») :
        // après un test interrompu, le même ménage les supprime.
        let prefixe = format!("correcteur-{}-tube-", std::process::id());
        let dossier = tempfile::Builder::new().prefix(&prefixe).tempdir()?;
        let tube = dossier.path().join("entree");
        let chemin = CString::new(tube.as_os_str().as_bytes())
            .map_err(|_| io::Error::other("chemin de tube invalide"))?;
        // SAFETY: mkfifo(3) lit une chaîne C valide, terminée par un octet nul.
        if unsafe { libc::mkfifo(chemin.as_ptr(), 0o600) } == -1 {
            return Err(io::Error::last_os_error());
        }
        // Ouvert en lecture ET écriture : sous Linux, cette ouverture d'un
        // tube ne bloque pas (une ouverture en écriture seule attendrait un
        // lecteur), et celle du shell, en lecture, trouve un écrivain.
        // Le descripteur est marqué « fermé à l'exec » par Rust : le
        // programme testé n'en hérite pas, il verra bien la fin de l'entrée.
        let entree = File::options().read(true).write(true).open(&tube)?;
        let mut arguments = vec!["-c", BRANCHEMENT, "sh"];
        let tube = tube.to_str().ok_or_else(|| io::Error::other("tube"))?;
        let binaire = binaire
            .to_str()
            .ok_or_else(|| io::Error::other("chemin du binaire illisible"))?;
        arguments.extend([tube, binaire]);
        arguments.extend_from_slice(args);
        let programme = Programme::lancer(Path::new("/bin/sh"), role, &arguments)?;
        Ok(AvecEntree {
            programme,
            entree: Some(entree),
            _dossier: dossier,
        })
    }

    /// Écrit `texte` sur l'entrée standard du programme, comme au clavier.
    pub fn ecrire(&mut self, texte: &str) -> io::Result<()> {
        match &mut self.entree {
            Some(entree) => entree.write_all(texte.as_bytes()),
            None => Err(io::Error::other("entrée déjà fermée")),
        }
    }

    /// Ferme l'entrée standard : le programme y lira la fin de fichier.
    pub fn fermer_l_entree(&mut self) {
        self.entree = None;
    }
}
