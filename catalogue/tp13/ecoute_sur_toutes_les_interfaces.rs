//! Règle enfreinte : R1 — le bar écoute sur 0.0.0.0, toutes les interfaces, au lieu de 127.0.0.1.
//!
//! La boucle d'événements est juste ; mais n'importe quelle machine du
//! réseau peut entrer.
//! Diagnostic attendu : `serveur_1_ecoute`.

mod commun;

use std::io;
use std::net::{Ipv4Addr, TcpListener};

struct Partout;

impl commun::Variante for Partout {
    fn ecoute(&self, port: u16) -> io::Result<TcpListener> {
        // L'erreur : l'adresse « joker ».
        TcpListener::bind((Ipv4Addr::UNSPECIFIED, port))
    }
}

fn main() -> io::Result<()> {
    commun::lancer(Partout)
}
