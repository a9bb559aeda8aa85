//! Règle enfreinte : R4 — bind(…).unwrap() : sur un port déjà pris, le serveur panique.
//!
//! Erreur volontaire : un port occupé par un autre programme est une
//! situation normale, pas un bug ; l'utilisateur reçoit une trace en anglais
//! au lieu d'une explication.
//! Diagnostic attendu : `serveur_1_port_pris`.

mod commun;

use std::io::Write;
use std::net::TcpListener;

fn main() -> anyhow::Result<()> {
    // L'erreur : unwrap() sur une erreur attendue.
    let ecoute = TcpListener::bind(("0.0.0.0", commun::port_demande())).unwrap();
    let port = ecoute.local_addr()?.port();
    commun::annoncer(port);
    let mut service = commun::accepter(&ecoute)?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    commun::servir_deux_lignes(service)
}
