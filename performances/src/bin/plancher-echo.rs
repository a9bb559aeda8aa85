//! `plancher-echo PORT` : le serveur le plus simple qui soit, le plafond du banc.
//!
//! Un thread, une boucle d'événements mio, et pour chaque connexion : ce
//! qui arrive repart tel quel. Ni analyse de ligne, ni journal, ni
//! formatage : ce serveur ne fait que le travail que tout serveur du bar
//! doit faire aussi (accepter, lire, écrire, fermer). Aucun serveur du
//! cours ne peut aller plus vite que lui sur cette machine ; l'écart
//! mesure ce que coûte le reste.

use ligne_de_commande::afficherln;
use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use anyhow::{Context, Result};
use ligne_de_commande::clap::{self, Parser};
use ligne_de_commande::entier;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

const ECOUTE: Token = Token(0);

/// Une connexion : sa socket et ce qui reste à renvoyer.
struct Connexion {
    flux: TcpStream,
    en_attente: Vec<u8>,
}

/// Le serveur d'écho le plus simple qui soit, le plafond du banc : un
/// thread, une boucle d'événements mio, ce qui arrive repart tel quel
#[derive(Parser)]
#[command(name = "plancher-echo", version)]
struct Arguments {
    /// Le port d'écoute sur 127.0.0.1 (0 pour un port libre, annoncé au
    /// démarrage)
    #[arg(value_parser = entier::<u16>(0, u16::MAX))]
    port: u16,
}

fn main() -> ExitCode {
    let port = match ligne_de_commande::analyser::<Arguments>() {
        Ok(arguments) => arguments.port,
        Err(code) => return code,
    };
    match servir(port) {
        Ok(()) => ExitCode::SUCCESS,
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
    }
}

fn servir(port: u16) -> Result<()> {
    let mut poll = Poll::new().context("impossible de créer l'instance epoll")?;
    let mut ecoute = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .with_context(|| format!("impossible d'écouter sur le port {port}"))?;
    poll.registry()
        .register(&mut ecoute, ECOUTE, Interest::READABLE)
        .context("impossible d'enregistrer la socket d'écoute")?;
    let port = ecoute.local_addr().context("adresse illisible")?.port();
    afficherln!("L'écho écoute sur 127.0.0.1:{port}");

    let mut connexions: HashMap<Token, Connexion> = HashMap::new();
    let mut prochain = 1;
    let mut evenements = Events::with_capacity(1024);
    loop {
        match poll.poll(&mut evenements, None) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).context("epoll_wait a échoué"),
        }
        for evenement in evenements.iter() {
            if evenement.token() == ECOUTE {
                // Déclenchement sur front : on accepte jusqu'à WouldBlock.
                loop {
                    match ecoute.accept() {
                        Ok((mut flux, _)) => {
                            let jeton = Token(prochain);
                            prochain += 1;
                            poll.registry()
                                .register(&mut flux, jeton, Interest::READABLE)
                                .context("impossible d'enregistrer une connexion")?;
                            let en_attente = Vec::new();
                            connexions.insert(jeton, Connexion { flux, en_attente });
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        // Plus de descripteurs, client déjà reparti : on passe.
                        Err(e) => {
                            eprintln!("erreur : accept : {e}");
                            break;
                        }
                    }
                }
            } else if let Some(connexion) = connexions.get_mut(&evenement.token())
                && !renvoyer(connexion, &poll, evenement.token())
            {
                connexions.remove(&evenement.token());
            }
        }
    }
}

/// Lit et renvoie tout ce qui est disponible. Rend `false` quand la
/// connexion est finie (fin de flux, erreur) : elle sera fermée.
fn renvoyer(connexion: &mut Connexion, poll: &Poll, jeton: Token) -> bool {
    let mut tampon = [0; 16 * 1024];
    loop {
        // D'abord vider ce qui n'a pas pu partir : tant qu'il en reste, on ne
        // lit plus (un client qui ne lit pas ne fait pas grossir la mémoire).
        while !connexion.en_attente.is_empty() {
            match connexion.flux.write(&connexion.en_attente) {
                Ok(n) => {
                    connexion.en_attente.drain(..n);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    let interets = Interest::READABLE | Interest::WRITABLE;
                    return poll
                        .registry()
                        .reregister(&mut connexion.flux, jeton, interets)
                        .is_ok();
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        match connexion.flux.read(&mut tampon) {
            Ok(0) => return false,
            Ok(n) => connexion.en_attente.extend_from_slice(&tampon[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}
