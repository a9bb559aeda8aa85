//! Règle enfreinte : R22 — après ses deux lignes, le client garde la connexion ouverte et ne finit jamais.
//!
//! Erreur volontaire : le client garde la connexion ouverte « au cas où »
//! et ne se termine jamais.
//!
//! Le serveur n'a aucun moyen de savoir que le client a fini : il n'y a ni
//! fin de flux (0 octet lu), ni fin du programme.
//! Diagnostic attendu : `client_4_fermeture`.

mod commun;

fn main() -> anyhow::Result<()> {
    let (mut flux, port) = commun::se_connecter()?;
    commun::recevoir_bienvenue(&flux)?;
    commun::envoyer_lignes(&mut flux, port)?;
    // L'erreur : la connexion reste ouverte, le programme ne finit pas.
    loop {
        std::thread::park();
    }
}
