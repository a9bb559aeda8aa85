//! Règle enfreinte : R1 — le bar écoute sur toutes les interfaces (0.0.0.0).
//!
//! N'importe quelle machine du réseau peut alors entrer dans un bar qui n'a
//! ni mot de passe ni limite de débit.

mod commun;

use std::net::{IpAddr, Ipv4Addr};
use std::process::ExitCode;

fn main() -> ExitCode {
    let reglages = commun::Reglages {
        // L'erreur : 0.0.0.0 au lieu de 127.0.0.1.
        adresse: IpAddr::from(Ipv4Addr::UNSPECIFIED),
        ..Default::default()
    };
    commun::lancer(reglages, commun::session_juste)
}
