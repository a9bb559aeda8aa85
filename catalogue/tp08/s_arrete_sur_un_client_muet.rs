//! Règle enfreinte : R10 — un client parti sans rien envoyer arrête le serveur.
//!
//! Erreur volontaire : `?` sur le service d'un client, dans la boucle.
//! L'erreur de `read_exact` (fin de flux avant l'octet) remonte jusqu'à
//! `main`, et le serveur s'arrête avec le code 1 : n'importe quel programme
//! qui se connecte et repart suffit à le faire tomber.
//! Diagnostic attendu : `serveur_3_client_muet`.

mod commun;

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    commun::liberer_le_chemin(&chemin)?;
    let ecoute = commun::ecouter(&chemin)?;
    commun::arreter_sur_signal(&chemin)?;
    loop {
        let (mut service, _) = ecoute.accept()?;
        // L'erreur : `?` fait sortir de la boucle, et du programme.
        commun::servir(&mut service)?;
    }
}
