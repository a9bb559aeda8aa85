//! Règle enfreinte : R6 — le serveur sert un client, puis se termine.
//!
//! Erreur volontaire : le serveur sert un client, puis se termine.
//!
//! Le premier client reçoit sa réponse ; le suivant trouve une socket que
//! plus personne n'écoute (connexion refusée).
//! Diagnostic attendu : `serveur_3_cinq_clients`.

mod commun;

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    commun::liberer_le_chemin(&chemin)?;
    let ecoute = commun::ecouter(&chemin)?;
    commun::arreter_sur_signal(&chemin)?;
    // L'erreur : pas de boucle autour d'accept.
    let (mut service, _) = ecoute.accept()?;
    commun::servir(&mut service)
}
