//! Règle enfreinte : R13 — la socket d'écoute est créée sans SO_REUSEADDR.
//!
//! Relancé juste après une session qu'il a fermée le premier, le bar ne
//! peut plus s'attacher à son port (TIME_WAIT) : « Address already in use ».
//! Diagnostic attendu : `serveur_1_redemarrage`.

mod commun;

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};

use socket2::{Domain, Socket, Type};

struct SansReutilisation;

impl commun::Variante for SansReutilisation {
    fn ecoute(&self, port: u16) -> io::Result<TcpListener> {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
        // L'erreur : pas de set_reuse_address(true) avant bind.
        socket.bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)).into())?;
        socket.listen(1024)?;
        Ok(socket.into())
    }
}

fn main() -> io::Result<()> {
    commun::lancer(SansReutilisation)
}
