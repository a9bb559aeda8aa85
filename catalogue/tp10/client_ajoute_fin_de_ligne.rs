//! Règle enfreinte : R9 — le client ajoute « \n » au message envoyé.
//!
//! Erreur volontaire : une habitude de TCP, où les lignes délimitent les
//! messages. Un datagramme a ses propres frontières : le « \n » est un octet
//! de trop, compté par le serveur.

mod commun;

fn main() -> anyhow::Result<()> {
    let mut requetes = commun::ouvrir_client()?;
    // L'erreur : un délimiteur inutile.
    for requete in &mut requetes {
        requete.message.push(b'\n');
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
