//! Règle enfreinte : R11 — abandonne dès le premier délai écoulé, sans relance.
//!
//! Erreur volontaire : le client borne bien son attente, mais abandonne dès
//! le premier délai écoulé : une seule requête perdue suffit à le faire
//! échouer.
//! Diagnostic attendu : `client_3_relance` (arrêté sans renvoyer sa requête).

mod commun;

fn main() -> anyhow::Result<()> {
    let requete = commun::ouvrir_client()?;
    requete.socket.send_to(&requete.message, requete.serveur)?;
    // L'erreur : un seul essai.
    match commun::attendre_du_serveur(&requete)? {
        Some(compte) => println!("réponse : {compte}"),
        None => anyhow::bail!("pas de réponse de {}", requete.serveur),
    }
    Ok(())
}
