//! Règle enfreinte : R20 — le veilleur s'arrête au premier accept() qui échoue (plus de descripteurs libres).
//!
//! Erreur volontaire : l'erreur d'accept() est traitée comme celle du
//! serveur entier, qui l'affiche et se termine. Tant que les descripteurs
//! ne manquent pas, rien ne se voit ; le jour où le bar est plein à la
//! limite du processus (`ulimit -n`), il ferme pour tout le monde.
//! Diagnostic attendu : `serveur_4_descripteurs_epuises`.

mod commun;

fn main() -> std::io::Result<()> {
    let (ecoute, max) = commun::ouvrir()?;
    commun::veilleur_avec(
        &ecoute,
        max,
        |service, adresse, place| commun::executant(service, adresse, place, commun::session_juste),
        // L'erreur : un accept() raté arrête tout le serveur.
        |erreur| {
            eprintln!("erreur : accept a échoué : {erreur}");
            std::process::exit(1);
        },
    );
    Ok(())
}
