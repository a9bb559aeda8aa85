//! Règle enfreinte : R6 — un thread par client, comme au TP12.
//!
//! Erreur volontaire : un thread par client, l'architecture du TP12. La
//! boucle du squelette est gardée pour l'accueil (socket d'écoute non
//! bloquante, accept() jusqu'à WouldBlock), mais chaque client accepté part
//! dans son propre thread, qui attend sa seule socket (non bloquante, comme
//! le veut le TP13) avec poll().
//!
//! Le bar fonctionne, mille clients compris : mille threads, chacun endormi
//! dans poll() sur sa socket. Mais ce n'est pas ce que demande le TP13 : un
//! seul thread, qui attend toutes les sockets à la fois.
//! Diagnostic attendu : `serveur_5_un_seul_thread`.

mod commun;
mod seance;

use std::io::{self, Read, Write};
use std::net::Ipv4Addr;
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

use seance::Seance;

fn main() -> io::Result<()> {
    let (port, max) = commun::arguments();
    let ecoute = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
    ecoute.set_nonblocking(true)?;
    let mut ecoute = TcpListener::from_std(ecoute);
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut ecoute, Token(0), Interest::READABLE)?;
    println!("Le bar est ouvert sur 127.0.0.1:{port}");
    let presents = Arc::new(AtomicUsize::new(0));
    let mut evenements = Events::with_capacity(16);
    loop {
        match poll.poll(&mut evenements, None) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            resultat => resultat?,
        }
        loop {
            let (mut flux, adresse) = match ecoute.accept() {
                Ok(client) => client,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    eprintln!("erreur : accept : {e}");
                    break;
                }
            };
            if presents.load(Ordering::SeqCst) >= max {
                let _ = flux.write(commun::COMPLET);
                continue;
            }
            presents.fetch_add(1, Ordering::SeqCst);
            println!("Client connecté : {adresse}");
            let presents = Arc::clone(&presents);
            // L'erreur : un thread par client.
            thread::spawn(move || {
                servir(flux, Seance::new(adresse));
                println!("Client parti : {adresse}");
                presents.fetch_sub(1, Ordering::SeqCst);
            });
        }
    }
}

/// Le thread d'un client : poll() sur sa seule socket, jusqu'à la fin de
/// la séance ou jusqu'au délai d'inactivité.
fn servir(mut flux: TcpStream, mut seance: Seance) {
    let inactivite = commun::inactivite();
    let mut morceau = [0u8; 4096];
    while !seance.terminee() {
        let reste = inactivite.saturating_sub(seance.derniere_activite.elapsed());
        if reste.is_zero() {
            return;
        }
        let mut events = 0;
        if seance.veut_lire() {
            events |= libc::POLLIN;
        }
        if seance.a_envoyer() {
            events |= libc::POLLOUT;
        }
        let mut surveillee = libc::pollfd {
            fd: flux.as_raw_fd(),
            events,
            revents: 0,
        };
        let delai_ms = i32::try_from(reste.as_millis() + 1).unwrap_or(i32::MAX);
        // SAFETY: une seule structure pollfd, valide pendant tout l'appel.
        if unsafe { libc::poll(&mut surveillee, 1, delai_ms) } < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        if surveillee.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0
            && seance.veut_lire()
        {
            let lu = flux.read(&mut morceau).map(|n| &morceau[..n]);
            seance.lu(lu);
        }
        if surveillee.revents != 0 {
            seance.envoyer(&mut flux);
        }
    }
}
