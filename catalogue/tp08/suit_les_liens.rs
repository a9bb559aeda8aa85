//! Règle enfreinte : R3 — le serveur suit un lien symbolique au chemin et le supprime, le prenant pour une socket.
//!
//! Erreur volontaire : `std::fs::metadata` au lieu de `symlink_metadata`.
//! `metadata` suit les liens : un lien de l'utilisateur vers une socket
//! passe pour une socket périmée, et `remove_file` supprime le lien.
//! Diagnostic attendu : `serveur_1_refuse_un_lien`.

mod commun;

use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use anyhow::bail;

fn liberer_le_chemin(chemin: &Path) -> anyhow::Result<()> {
    // L'erreur : metadata décrit la cible du lien, pas le lien lui-même.
    match std::fs::metadata(chemin) {
        Err(_) => Ok(()),
        Ok(meta) if meta.file_type().is_socket() => {
            std::fs::remove_file(chemin)?;
            println!("Ancienne socket supprimée : {}", chemin.display());
            Ok(())
        }
        Ok(_) => bail!("{} existe et n'est pas une socket", chemin.display()),
    }
}

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    liberer_le_chemin(&chemin)?;
    let ecoute = commun::ecouter(&chemin)?;
    commun::arreter_sur_signal(&chemin)?;
    commun::servir_sans_fin(ecoute)
}
