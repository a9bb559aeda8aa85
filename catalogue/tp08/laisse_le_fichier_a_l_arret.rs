//! Règle enfreinte : R5 — le serveur n'intercepte pas SIGINT ni SIGTERM : tué, il laisse son fichier.
//!
//! Erreur volontaire : le serveur n'intercepte pas les signaux.
//!
//! Ctrl+C ou `kill` le tuent sur-le-champ : le noyau ferme ses sockets, mais
//! le fichier de la socket reste, et le code de fin dit « tué par un
//! signal » au lieu de 0.
//! Diagnostic attendu : `serveur_2_signaux`.

mod commun;

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    commun::liberer_le_chemin(&chemin)?;
    let ecoute = commun::ecouter(&chemin)?;
    // L'erreur : pas d'arreter_sur_signal.
    commun::servir_sans_fin(ecoute)
}
