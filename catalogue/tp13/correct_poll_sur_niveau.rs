//! Variante correcte : libc::poll() appelé directement (sans mio), tableau de pollfd reconstruit à chaque tour, notification « sur niveau », une lecture par tour.
//!
//! poll() dit ce qui est prêt **maintenant** : des octets laissés dans le
//! noyau seront signalés au tour suivant. Pas besoin de lire jusqu'à
//! WouldBlock, ni d'accepter tous les clients d'un coup.

mod commun;
mod seance;

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::time::Instant;

use seance::Seance;

struct Client {
    flux: TcpStream,
    seance: Seance,
}

fn partir(client: Client) {
    let adresse = client.seance.adresse;
    drop(client);
    println!("Client parti : {adresse}");
}

fn main() -> io::Result<()> {
    let (port, max) = commun::arguments();
    let inactivite = commun::inactivite();
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
    ecoute.set_nonblocking(true)?;
    println!(
        "Le bar est ouvert sur 127.0.0.1:{}",
        ecoute.local_addr()?.port()
    );
    let mut clients: Vec<Client> = Vec::new();
    let mut morceau = [0u8; 4096];
    loop {
        // Les muets partent ; le délai de poll() va jusqu'au prochain.
        let maintenant = Instant::now();
        let (muets, restants): (Vec<Client>, Vec<Client>) = clients
            .into_iter()
            .partition(|c| maintenant - c.seance.derniere_activite >= inactivite);
        clients = restants;
        muets.into_iter().for_each(partir);
        let delai_ms: i32 = clients
            .iter()
            .map(|c| inactivite.saturating_sub(maintenant - c.seance.derniere_activite))
            .min()
            .map_or(-1, |d| i32::try_from(d.as_millis() + 1).unwrap_or(i32::MAX));

        let mut surveilles = vec![libc::pollfd {
            fd: ecoute.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        for client in &clients {
            let mut events = 0;
            if client.seance.veut_lire() {
                events |= libc::POLLIN;
            }
            if client.seance.a_envoyer() {
                events |= libc::POLLOUT;
            }
            surveilles.push(libc::pollfd {
                fd: client.flux.as_raw_fd(),
                events,
                revents: 0,
            });
        }
        let nombre = libc::nfds_t::try_from(surveilles.len()).unwrap_or(libc::nfds_t::MAX);
        // SAFETY: le tableau vit pendant l'appel, et `nombre` est sa longueur.
        if unsafe { libc::poll(surveilles.as_mut_ptr(), nombre, delai_ms) } < 0 {
            let erreur = io::Error::last_os_error();
            if erreur.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(erreur);
        }
        // Les clients d'abord (les indices suivent le tableau), puis l'accueil.
        for (client, pret) in clients.iter_mut().zip(&surveilles[1..]) {
            if pret.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0
                && client.seance.veut_lire()
            {
                let lu = client.flux.read(&mut morceau).map(|n| &morceau[..n]);
                client.seance.lu(lu);
            }
            if pret.revents != 0 {
                client.seance.envoyer(&mut client.flux);
            }
        }
        let (finies, restants): (Vec<Client>, Vec<Client>) =
            clients.into_iter().partition(|c| c.seance.terminee());
        clients = restants;
        finies.into_iter().for_each(partir);
        if surveilles[0].revents & libc::POLLIN != 0 {
            // Un seul accept() par tour : poll() redira s'il en reste.
            match ecoute.accept() {
                Ok((mut flux, adresse)) => {
                    if clients.len() >= max {
                        let _ = flux.write(commun::COMPLET);
                    } else if flux.set_nonblocking(true).is_ok() {
                        println!("Client connecté : {adresse}");
                        clients.push(Client {
                            flux,
                            seance: Seance::new(adresse),
                        });
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => eprintln!("erreur : accept : {e}"),
            }
        }
    }
}
