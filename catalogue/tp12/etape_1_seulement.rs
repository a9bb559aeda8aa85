//! Pas une erreur : le serveur d'un étudiant qui n'a fini que l'étape 1.
//! Le bar écoute et annonce son port, puis s'arrête sur le `todo!()` de
//! l'étape 2, comme le squelette complété jusque-là.
//! Attendu : `serveur_1_ouverture` réussit, `serveur_4_un_client` échoue sur le `todo!()`.

mod commun;

fn main() -> std::io::Result<()> {
    let (_ecoute, _max) = commun::ouvrir()?;
    todo!("Étape 2 : accepter un client (accept) sans jamais arrêter le veilleur")
}
