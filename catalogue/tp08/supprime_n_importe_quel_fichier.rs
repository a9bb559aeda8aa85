//! Règle enfreinte : R3 — le serveur supprime ce qui occupe le chemin, quoi que ce soit.
//!
//! Erreur volontaire : le serveur supprime ce qui se trouve au chemin, quoi
//! que ce soit, comme un `unlink(chemin)` aveugle en C.
//!
//! Une faute de frappe dans le chemin (`tp08 serveur rapport.txt`), et le
//! fichier de l'utilisateur disparaît sans avertissement.
//! Diagnostic attendu : `serveur_1_refuse_un_fichier_ordinaire`.

mod commun;

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    // L'erreur : remove_file sans vérifier que c'est une socket.
    if std::fs::remove_file(&chemin).is_ok() {
        println!("Ancienne socket supprimée : {}", chemin.display());
    }
    let ecoute = commun::ecouter(&chemin)?;
    commun::arreter_sur_signal(&chemin)?;
    commun::servir_sans_fin(ecoute)
}
