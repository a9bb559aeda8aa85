//! Règle enfreinte : R4 — devant un fichier qui n'est pas une socket, le serveur renonce avec le code 0.
//!
//! Erreur volontaire : le serveur ne touche pas au fichier et l'explique,
//! mais termine « normalement » : un script qui le lance croit qu'il tourne.
//! Diagnostic attendu : `serveur_1_refuse_un_fichier_ordinaire`.

mod commun;

use std::os::unix::fs::FileTypeExt;

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    if let Ok(meta) = std::fs::symlink_metadata(&chemin)
        && !meta.file_type().is_socket()
    {
        eprintln!("{} existe et n'est pas une socket", chemin.display());
        // L'erreur : Ok(()) donne le code 0.
        return Ok(());
    }
    commun::liberer_le_chemin(&chemin)?;
    let ecoute = commun::ecouter(&chemin)?;
    commun::arreter_sur_signal(&chemin)?;
    commun::servir_sans_fin(ecoute)
}
