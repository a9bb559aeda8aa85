//! Variante correcte : mio, mais une seule lecture (ou un seul accept) par événement, puis la socket est réarmée (reregister) au lieu de lire jusqu'à WouldBlock.
//!
//! mio règle epoll « sur front » : un événement par changement. Réarmer la
//! socket (epoll_ctl MOD) fait réexaminer son état par le noyau : s'il reste
//! des octets, ou des clients dans la file d'accept, un nouvel événement
//! arrive aussitôt. C'est le comportement « sur niveau », obtenu à la main.

mod commun;
mod seance;

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use seance::Seance;

const ECOUTE: Token = Token(0);

struct Client {
    flux: TcpStream,
    seance: Seance,
}

fn interets(seance: &Seance) -> Option<Interest> {
    let lire = seance.veut_lire().then_some(Interest::READABLE);
    let ecrire = seance.a_envoyer().then_some(Interest::WRITABLE);
    lire.into_iter().chain(ecrire).reduce(|a, b| a | b)
}

fn fermer(poll: &Poll, clients: &mut HashMap<Token, Client>, jeton: Token) {
    if let Some(mut client) = clients.remove(&jeton) {
        let _ = poll.registry().deregister(&mut client.flux);
        println!("Client parti : {}", client.seance.adresse);
    }
}

fn accueillir(
    poll: &Poll,
    clients: &mut HashMap<Token, Client>,
    prochain: &mut usize,
    max: usize,
    mut flux: TcpStream,
    adresse: SocketAddr,
) {
    if clients.len() >= max {
        let _ = flux.write(commun::COMPLET);
        return;
    }
    let jeton = Token(*prochain);
    *prochain += 1;
    if poll
        .registry()
        .register(&mut flux, jeton, Interest::READABLE)
        .is_ok()
    {
        println!("Client connecté : {adresse}");
        clients.insert(
            jeton,
            Client {
                flux,
                seance: Seance::new(adresse),
            },
        );
    }
}

fn main() -> io::Result<()> {
    let (port, max) = commun::arguments();
    let inactivite = commun::inactivite();
    let mut ecoute = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut ecoute, ECOUTE, Interest::READABLE)?;
    println!(
        "Le bar est ouvert sur 127.0.0.1:{}",
        ecoute.local_addr()?.port()
    );
    let mut clients: HashMap<Token, Client> = HashMap::new();
    let mut prochain = 1;
    let mut evenements = Events::with_capacity(256);
    let mut morceau = [0u8; 4096];
    loop {
        // Congédier les muets ; dormir jusqu'au prochain, au plus.
        let maintenant = Instant::now();
        let muets: Vec<Token> = clients
            .iter()
            .filter(|(_, c)| maintenant - c.seance.derniere_activite >= inactivite)
            .map(|(j, _)| *j)
            .collect();
        for jeton in muets {
            fermer(&poll, &mut clients, jeton);
        }
        let delai: Option<Duration> = clients
            .values()
            .map(|c| inactivite.saturating_sub(maintenant - c.seance.derniere_activite))
            .min();
        match poll.poll(&mut evenements, delai) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            resultat => resultat?,
        }
        for evenement in evenements.iter() {
            let jeton = evenement.token();
            if jeton == ECOUTE {
                // Un seul accept(), puis réarmer : s'il reste des clients
                // dans la file, le noyau le redira.
                match ecoute.accept() {
                    Ok((flux, adresse)) => {
                        accueillir(&poll, &mut clients, &mut prochain, max, flux, adresse)
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => eprintln!("erreur : accept : {e}"),
                }
                poll.registry()
                    .reregister(&mut ecoute, ECOUTE, Interest::READABLE)?;
                continue;
            }
            let Some(client) = clients.get_mut(&jeton) else {
                continue;
            };
            if evenement.is_readable() && client.seance.veut_lire() {
                let lu = client.flux.read(&mut morceau).map(|n| &morceau[..n]);
                client.seance.lu(lu);
            }
            client.seance.envoyer(&mut client.flux);
            match interets(&client.seance) {
                Some(voulus) if !client.seance.terminee() => {
                    // Réarmer, même avec les mêmes intérêts : une seule
                    // lecture a pu laisser des octets dans le noyau.
                    if poll
                        .registry()
                        .reregister(&mut client.flux, jeton, voulus)
                        .is_err()
                    {
                        fermer(&poll, &mut clients, jeton);
                    }
                }
                _ => fermer(&poll, &mut clients, jeton),
            }
        }
    }
}
