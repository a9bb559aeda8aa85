//! Règle enfreinte : R13 — le client affiche la réponse sous une autre forme que « réponse : N ».
//!
//! Erreur volontaire : le compte est juste, mais la ligne dit « le serveur a
//! compté N octets » ; un script qui lit « réponse : N » ne le trouve pas.

mod commun;

fn main() -> anyhow::Result<()> {
    let requete = commun::ouvrir_client()?;
    for _ in 0..commun::ESSAIS {
        requete.socket.send_to(&requete.message, requete.serveur)?;
        if let Some(compte) = commun::attendre_du_serveur(&requete)? {
            // L'erreur : la forme de la ligne.
            println!("le serveur a compté {compte} octets");
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
