//! Trois options de socket TCP qu'un programme réseau règle souvent, posées
//! puis relues : `TCP_NODELAY` (l'algorithme de Nagle), `SO_KEEPALIVE` (les
//! sondes d'une connexion silencieuse) et `SO_REUSEADDR` (redémarrer un
//! serveur malgré les connexions en TIME_WAIT). Tout se passe sur
//! 127.0.0.1, sur des ports choisis par le noyau.
//!
//! Chapitre « Ce qui passe sur le fil ».

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::Duration;

use anyhow::{Context, Result};
use socket2::{Domain, Socket, TcpKeepalive, Type};

fn main() -> Result<()> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("bind")?;
    let adresse = ecoute.local_addr()?;
    let flux = TcpStream::connect(adresse).context("connexion")?;

    // ANCHOR: nodelay
    // Par défaut, Nagle retient un petit segment tant que le précédent n'est
    // pas acquitté, pour le regrouper avec les suivants. Un protocole fait de
    // petits messages qui attendent chacun une réponse s'en passe.
    println!("TCP_NODELAY avant : {}", flux.nodelay()?);
    flux.set_nodelay(true)?;
    println!("TCP_NODELAY après : {}", flux.nodelay()?);
    // ANCHOR_END: nodelay

    // ANCHOR: keepalive
    // Une connexion où personne ne parle ne produit aucun paquet : si l'autre
    // machine disparaît, rien ne le signale. Les sondes keepalive partent
    // après `with_time` de silence, toutes les `with_interval`.
    let socket = socket2::SockRef::from(&flux);
    println!("SO_KEEPALIVE avant : {}", socket.keepalive()?);
    let sondes = TcpKeepalive::new()
        .with_time(Duration::from_secs(60))
        .with_interval(Duration::from_secs(10));
    socket.set_tcp_keepalive(&sondes)?;
    println!("SO_KEEPALIVE après : {}", socket.keepalive()?);
    println!(
        "première sonde après {} s de silence",
        socket.tcp_keepalive_time()?.as_secs()
    );
    // ANCHOR_END: keepalive

    // ANCHOR: reuseaddr
    // Une socket d'écoute neuve sur le même port que `ecoute` : sans
    // SO_REUSEADDR, bind échoue tant qu'une connexion de ce port est en
    // TIME_WAIT ; avec, il réussit dès que plus personne n'écoute.
    drop(flux);
    drop(ecoute);
    let reprise = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    reprise.set_reuse_address(true)?;
    reprise
        .bind(&adresse.into())
        .context("bind avec SO_REUSEADDR")?;
    println!("SO_REUSEADDR : {}", reprise.reuse_address()?);
    println!("de nouveau attachée au port {}", adresse.port());
    // ANCHOR_END: reuseaddr
    Ok(())
}
