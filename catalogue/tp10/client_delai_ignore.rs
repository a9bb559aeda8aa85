//! Règle enfreinte : R10 — ignore --delai : chaque attente dure une seconde, quoi qu'on demande.
//!
//! Erreur volontaire : l'option est lue, mais l'attente garde la constante
//! d'une seconde écrite en dur. Le client relance trop tôt quand on lui
//! demande d'être patient, et trop tard quand on lui demande d'être vif.
//!
//! Diagnostic attendu : `client_3_delai_respecte` (« il n'a pas attendu »).

mod commun;

use std::time::Duration;

fn main() -> anyhow::Result<()> {
    let mut requetes = commun::ouvrir_client()?;
    // L'erreur : la valeur de --delai est remplacée par une constante.
    for requete in &mut requetes {
        requete.delai = Duration::from_secs(1);
    }
    for _ in 0..commun::ESSAIS {
        for requete in &requetes {
            if let Some(compte) = commun::essayer(requete)? {
                println!("réponse : {compte}");
                return Ok(());
            }
        }
        eprintln!("pas de réponse, nouvel essai");
    }
    anyhow::bail!(
        "pas de réponse de {} après {} essais",
        commun::adresses(&requetes),
        commun::ESSAIS
    )
}
