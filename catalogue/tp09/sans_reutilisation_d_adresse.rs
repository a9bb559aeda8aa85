//! Règle enfreinte : R24 — le serveur ne pose pas SO_REUSEADDR avant bind.
//!
//! Erreur volontaire : les étapes de Berkeley avec socket2, moins l'option.
//! Relancé juste après une session qu'il a fermée le premier, le serveur
//! échoue : sa connexion est encore en TIME_WAIT sur ce port.
//! Diagnostic attendu : `serveur_1_redemarrage`.

mod commun;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};

use socket2::{Domain, Socket, Type};

fn main() -> anyhow::Result<()> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    // L'erreur : pas de set_reuse_address(true) ici.
    socket.bind(&SocketAddr::from((Ipv4Addr::UNSPECIFIED, commun::port_demande())).into())?;
    socket.listen(5)?;
    let port = socket.local_addr()?.as_socket().map_or(0, |a| a.port());
    commun::annoncer(port);
    let (service, adresse) = socket.accept()?;
    if let Some(adresse) = adresse.as_socket() {
        println!("Client connecté depuis {adresse}");
    }
    let mut service: TcpStream = service.into();
    service.write_all(commun::bienvenue(port).as_bytes())?;
    commun::servir_deux_lignes(service)
}
