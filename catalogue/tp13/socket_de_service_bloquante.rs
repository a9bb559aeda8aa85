//! Règle enfreinte : R2 — les sockets de service restent bloquantes.
//!
//! Erreur volontaire : les sockets de service restent bloquantes. Le
//! programme accepte avec `accept()` de socket2, qui rend une socket en
//! mode bloquant, et l'enveloppe dans `mio::net::TcpStream::from_std` sans
//! appeler `set_nonblocking(true)` : mio l'exige, mais ne le vérifie pas.
//!
//! La boucle lit chaque client « jusqu'à WouldBlock » ; sur une socket
//! bloquante, WouldBlock ne vient jamais : le dernier read() attend la
//! commande suivante du client, et tout le bar s'arrête avec lui.
//! Diagnostic attendu : `serveur_2_accueil` (le mode des sockets), et
//! `serveur_3_commandes` (le thread bloqué dans read()).

mod commun;

use std::io;
use std::net::SocketAddr;

use mio::net::{TcpListener, TcpStream};
use socket2::SockRef;

struct SocketBloquante;

impl commun::Variante for SocketBloquante {
    fn accepter(&self, ecoute: &TcpListener) -> io::Result<(TcpStream, SocketAddr)> {
        let (service, adresse) = SockRef::from(ecoute).accept()?;
        let adresse = adresse
            .as_socket()
            .ok_or_else(|| io::Error::other("client sans adresse IP"))?;
        // L'erreur : il manque service.set_nonblocking(true).
        Ok((TcpStream::from_std(service.into()), adresse))
    }
}

fn main() -> io::Result<()> {
    commun::lancer(SocketBloquante)
}
