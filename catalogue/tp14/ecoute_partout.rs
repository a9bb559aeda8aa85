//! Règle enfreinte : R1 — le serveur écoute sur toutes les interfaces (0.0.0.0) au lieu de la boucle locale.
//!
//! Sur la machine, rien ne change : le correcteur se connecte à 127.0.0.1,
//! que 0.0.0.0 comprend. Mais le serveur de vote s'ouvre à tout le réseau.
//! Diagnostic attendu : `serveur_1_ecoute`.

mod commun;

use std::net::Ipv4Addr;

struct Faute;

impl commun::Variante for Faute {
    fn adresse_d_ecoute(&self) -> Ipv4Addr {
        // L'erreur : toutes les interfaces.
        Ipv4Addr::UNSPECIFIED
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
