//! Règle enfreinte : R13 — le client affiche la réponse sous une autre forme que « réponse : N ».
//!
//! Erreur volontaire : le compte est juste, mais la ligne dit « le serveur a
//! compté N octets » ; un script qui lit « réponse : N » ne le trouve pas.

mod commun;

fn main() -> anyhow::Result<()> {
    let requetes = commun::ouvrir_client()?;
    for _ in 0..commun::ESSAIS {
        for requete in &requetes {
            if let Some(compte) = commun::essayer(requete)? {
                // L'erreur : la forme de la ligne.
                println!("le serveur a compté {compte} octets");
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
