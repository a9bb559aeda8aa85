//! Règle enfreinte : R20 — le client envoie ses lignes avant d'avoir lu la bienvenue.
//!
//! Erreur volontaire : « le serveur lira quand il voudra » ; face au
//! serveur du chapitre tout semble marcher, mais le client n'attend pas son
//! tour : un serveur qui refuserait de parler après le client ne recevrait
//! jamais sa chance.
//! Diagnostic attendu : `client_2_attend_la_bienvenue`.

mod commun;

fn main() -> anyhow::Result<()> {
    let (mut flux, port) = commun::se_connecter()?;
    // L'erreur : écrire d'abord, lire ensuite.
    commun::envoyer_lignes(&mut flux, port)?;
    commun::recevoir_bienvenue(&flux)?;
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}
