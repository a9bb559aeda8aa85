//! Règle enfreinte : R14 — après trois essais sans réponse, le client se tait et sort avec le code 0.
//!
//! Erreur volontaire : l'abandon n'est pas traité comme un échec ; un script
//! qui enchaîne le client croit que tout s'est bien passé.

mod commun;

fn main() -> anyhow::Result<()> {
    let requetes = commun::ouvrir_client()?;
    for _ in 0..commun::ESSAIS {
        for requete in &requetes {
            if let Some(compte) = commun::essayer(requete)? {
                println!("réponse : {compte}");
                return Ok(());
            }
        }
        eprintln!("pas de réponse, nouvel essai");
    }
    // L'erreur : ni message, ni code d'échec.
    Ok(())
}
