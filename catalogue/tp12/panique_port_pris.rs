//! Règle enfreinte : R18 — bind(…).unwrap() : sur un port déjà pris, le bar panique.
//!
//! Tout le reste est juste. Mais un port occupé par un autre programme est
//! une situation normale, pas un bug : l'utilisateur reçoit une trace de
//! panique en anglais (code 101) au lieu d'une explication.
//! Diagnostic attendu : `serveur_1_port_pris`.

mod commun;

use std::net::{Ipv4Addr, TcpListener};

fn main() {
    let (port, max) = commun::arguments();
    // L'erreur : unwrap() sur une erreur attendue.
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
    println!("Le bar est ouvert sur 127.0.0.1:{port}");
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        commun::executant(service, adresse, place, commun::session_juste)
    });
}
