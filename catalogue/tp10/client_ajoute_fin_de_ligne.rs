//! Règle enfreinte : R9 — le client ajoute « \n » au message envoyé.
//!
//! Erreur volontaire : une habitude de TCP, où les lignes délimitent les
//! messages. Un datagramme a ses propres frontières : le « \n » est un octet
//! de trop, compté par le serveur.

mod commun;

fn main() -> anyhow::Result<()> {
    let requete = commun::ouvrir_client()?;
    // L'erreur : un délimiteur inutile.
    let mut datagramme = requete.message.clone();
    datagramme.push(b'\n');
    for _ in 0..commun::ESSAIS {
        requete.socket.send_to(&datagramme, requete.serveur)?;
        if let Some(compte) = commun::attendre_du_serveur(&requete)? {
            println!("réponse : {compte}");
            return Ok(());
        }
        eprintln!("pas de réponse, nouvel essai");
    }
    anyhow::bail!(
        "pas de réponse de {} après {} essais",
        requete.serveur,
        commun::ESSAIS
    )
}
