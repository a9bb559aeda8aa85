//! Règle enfreinte : R12 — `--inactivite` est lu mais ignoré : un client muet garde sa place pour toujours.
//!
//! Soixante-quatre clients qui se taisent suffisent alors à fermer le bar
//! à tous les autres (« bar complet »).
//! Diagnostic attendu : `serveur_4_inactivite`.

mod commun;

fn main() -> std::io::Result<()> {
    let (ecoute, max) = commun::ouvrir()?;
    // L'erreur : aucun délai de lecture sur les sockets de service.
    commun::sans_inactivite();
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        commun::executant(service, adresse, place, commun::session_juste)
    });
    Ok(())
}
