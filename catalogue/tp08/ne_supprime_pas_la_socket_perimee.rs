//! Règle enfreinte : R2 — le serveur ne supprime pas la socket périmée avant bind.
//!
//! Erreur volontaire : le serveur attache sa socket sans s'occuper de ce
//! qui occupe déjà le chemin.
//!
//! Tout va bien au premier lancement. Mais après un arrêt brutal (kill -9,
//! plantage), le fichier de l'ancienne socket est resté : bind échoue
//! (« Address already in use ») et le serveur ne redémarre plus tant qu'on
//! n'a pas supprimé le fichier à la main.
//! Diagnostic attendu : `serveur_1_fichier_perime`.

mod commun;

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    // L'erreur : pas de liberer_le_chemin avant bind.
    let ecoute = commun::ecouter(&chemin)?;
    commun::arreter_sur_signal(&chemin)?;
    commun::servir_sans_fin(ecoute)
}
