//! Pas une erreur : un étudiant qui a fini l'étape 1 et s'arrête sur le todo!() de l'étape 2.
//!
//! Il libère le chemin, crée sa socket et l'écoute, puis s'arrête. L'étape 1
//! doit être réussie, l'étape 2 ratée avec un diagnostic qui dit ce qui
//! s'est passé (socket créée, puis arrêt), sans règle enfreinte.

mod commun;

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    commun::liberer_le_chemin(&chemin)?;
    let _ecoute = commun::ecouter(&chemin)?;
    todo!("Étape 2 : sur SIGINT ou SIGTERM, supprimer le fichier de la socket et finir (code 0)")
}
