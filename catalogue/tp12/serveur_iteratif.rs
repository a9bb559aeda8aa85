//! Règle enfreinte : R7 — serveur itératif : un client à la fois.
//!
//! Erreur volontaire : le serveur itératif. Le veilleur sert lui-même
//! chaque client, du premier au dernier octet, avant de rappeler accept().
//!
//! C'est le bar itératif des exemples, mis en boucle : un seul client est
//! servi à la fois ; le suivant reste dans la file du noyau (sa connexion
//! est établie, mais personne ne lui répond) jusqu'au départ du premier.
//! Diagnostic attendu : `serveur_4_vingt_clients` (et `serveur_4_client_silencieux`).

mod commun;

fn main() -> std::io::Result<()> {
    let (ecoute, _max) = commun::ouvrir()?;
    loop {
        let (service, adresse) = ecoute.accept()?;
        println!("Client connecté : {adresse}");
        // L'erreur : pas d'exécutant, la session se déroule dans le veilleur.
        commun::servir_puis_partir(service, adresse);
    }
}
