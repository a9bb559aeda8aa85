//! Règle enfreinte : R16 — sur un port déjà pris, le bar l'écrit puis se termine avec le code 0.
//!
//! Le message est là, mais le code de sortie dit « tout va bien » : un
//! script de démarrage croit le bar ouvert alors qu'il n'écoute nulle part.
//! Diagnostic attendu : `serveur_1_port_pris`.

mod commun;

use std::io;
use std::net::{Ipv4Addr, TcpListener};

struct PortPrisCode0;

impl commun::Variante for PortPrisCode0 {
    fn ecoute(&self, port: u16) -> io::Result<TcpListener> {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            Ok(ecoute) => Ok(ecoute),
            Err(e) => {
                eprintln!("erreur : impossible d'écouter sur le port {port} : {e}");
                // L'erreur : le code 0 d'un programme qui a réussi.
                std::process::exit(0)
            }
        }
    }
}

fn main() -> io::Result<()> {
    commun::lancer(PortPrisCode0)
}
