//! Règle enfreinte : R11 — abandonne dès le premier délai écoulé, sans relance.
//!
//! Erreur volontaire : le client borne bien son attente, mais abandonne dès
//! le premier délai écoulé : une seule requête perdue suffit à le faire
//! échouer.
//! Diagnostic attendu : `client_3_relance` (arrêté sans renvoyer sa requête).

mod commun;

fn main() -> anyhow::Result<()> {
    let requetes = commun::ouvrir_client()?;
    // L'erreur : un seul essai (chaque adresse une fois), aucune relance.
    for requete in &requetes {
        if let Some(compte) = commun::essayer(requete)? {
            println!("réponse : {compte}");
            return Ok(());
        }
    }
    anyhow::bail!("pas de réponse de {}", commun::adresses(&requetes))
}
