//! Règle enfreinte : R1 — le serveur ignore le chemin reçu et crée toujours socket_serveur.
//!
//! Erreur volontaire : le chemin par défaut est écrit en dur, l'argument
//! n'est jamais lu. Tout marche tant qu'on lance le serveur sans argument ;
//! `tp08 serveur /tmp/ma_socket` crée pourtant `./socket_serveur`, et le
//! client qui suit le chemin donné ne trouve rien.
//! Diagnostic attendu : `serveur_1_fichier_socket`.

mod commun;

use std::path::Path;

fn main() -> anyhow::Result<()> {
    // L'erreur : pas de commun::chemin(), un nom fixe.
    let chemin = Path::new("socket_serveur");
    commun::liberer_le_chemin(chemin)?;
    let ecoute = commun::ecouter(chemin)?;
    commun::arreter_sur_signal(chemin)?;
    commun::servir_sans_fin(ecoute)
}
