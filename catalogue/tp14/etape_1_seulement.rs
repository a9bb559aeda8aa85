//! Pas une erreur : le serveur d'un étudiant qui n'a fini que l'étape 1.
//! Il écoute sur la boucle locale, annonce son port, puis s'arrête sur le
//! `todo!()` de l'étape 2, comme le squelette complété jusque-là (un journal
//! neuf n'a rien à rejouer : l'étape 7 n'est pas encore atteinte).
//! Attendu : `serveur_1_ecoute` réussit, `serveur_5_options` échoue sur le `todo!()`.

use std::net::TcpListener;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let port: u16 = std::env::args()
        .nth(2)
        .context("usage : serveur PORT --bulletin … --electeurs … --journal …")?
        .parse()?;
    let _ecoute = TcpListener::bind(("127.0.0.1", port))?;
    println!("Journal rejoué : 0 vote(s)");
    println!("Le serveur de vote écoute sur 127.0.0.1:{port}");
    todo!("Étape 2 : accepter sans fin, un fil (thread) par connexion")
}
