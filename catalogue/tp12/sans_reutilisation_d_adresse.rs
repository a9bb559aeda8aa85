//! Règle enfreinte : R2 — la socket d'écoute est créée sans SO_REUSEADDR.
//!
//! Le bar marche, mais relancé juste après une session qu'il a fermée le
//! premier, il ne peut plus s'attacher à son port : la connexion fermée est
//! encore en TIME_WAIT (« Address already in use »).
//! Diagnostic attendu : `serveur_4_redemarrage`.

mod commun;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};

use socket2::{Domain, Socket, Type};

fn main() -> std::io::Result<()> {
    let (port, max) = commun::arguments();
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    // L'erreur : pas de set_reuse_address(true) avant bind
    // (TcpListener::bind, lui, le fait).
    socket.bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)).into())?;
    socket.listen(128)?;
    let ecoute = TcpListener::from(socket);
    println!("Le bar est ouvert sur 127.0.0.1:{port}");
    commun::veilleur(&ecoute, max, |service, adresse, place| {
        commun::executant(service, adresse, place, commun::session_juste)
    });
    Ok(())
}
