//! Ce que les solutions fausses du TP12 font correctement : lire leurs
//! arguments, écouter sur 127.0.0.1, accepter en boucle en respectant la
//! limite, lire les commandes (bornées) et y répondre. Chaque programme du
//! catalogue n'a ainsi dans son propre fichier que son erreur.
//!
//! (Chaque programme n'utilise qu'une partie de ce module.)
#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Longueur maximale d'une commande, `\n` compris.
const LONGUEUR_MAX: u64 = 1024;

/// Le délai d'inactivité (`--inactivite S`), en secondes ; 300 par défaut.
/// 0 : aucun délai (le programme qui l'oublie).
static INACTIVITE: AtomicU64 = AtomicU64::new(300);

/// Le délai après lequel un client muet est congédié (`None` : jamais).
pub fn inactivite() -> Option<Duration> {
    match INACTIVITE.load(Ordering::Relaxed) {
        0 => None,
        s => Some(Duration::from_secs(s)),
    }
}

/// Oublie le délai d'inactivité, quoi que dise la ligne de commande
/// (à appeler après `ouvrir`).
pub fn sans_inactivite() {
    INACTIVITE.store(0, Ordering::Relaxed);
}

/// `NOM serveur [PORT] [--max-clients N] [--inactivite S]` : la socket d'écoute sur
/// 127.0.0.1, et la limite de clients.
pub fn ouvrir() -> io::Result<(TcpListener, usize)> {
    let (port, max) = arguments();
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
    println!("Le bar est ouvert sur 127.0.0.1:{port}");
    Ok((ecoute, max))
}

/// Le port et la limite de clients ; retient le délai d'inactivité.
pub fn arguments() -> (u16, usize) {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let (mut port, mut max) = (1664, 64);
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--max-clients" {
            max = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(max);
            i += 2;
        } else if args[i] == "--inactivite" {
            if let Some(s) = args.get(i + 1).and_then(|n| n.parse().ok()) {
                INACTIVITE.store(s, Ordering::Relaxed);
            }
            i += 2;
        } else {
            port = args[i].parse().unwrap_or(port);
            i += 1;
        }
    }
    (port, max)
}

/// Le veilleur, juste : accepte en boucle, refuse les clients de trop, et
/// confie chacun des autres à `executant` (qui, lui, peut mal faire).
pub fn veilleur(
    ecoute: &TcpListener,
    max: usize,
    executant: impl FnMut(TcpStream, SocketAddr, Place),
) {
    veilleur_avec(ecoute, max, executant, |_| {});
}

/// Le veilleur, avec ce qu'il fait quand accept() échoue (`sur_echec`),
/// avant de réessayer.
pub fn veilleur_avec(
    ecoute: &TcpListener,
    max: usize,
    mut executant: impl FnMut(TcpStream, SocketAddr, Place),
    sur_echec: impl Fn(io::Error),
) {
    let occupees = Arc::new(Mutex::new(0));
    loop {
        let (mut service, adresse) = match ecoute.accept() {
            Ok(accepte) => accepte,
            Err(erreur) => {
                sur_echec(erreur);
                continue;
            }
        };
        let mut n = occupees.lock().unwrap_or_else(|e| e.into_inner());
        if *n >= max {
            drop(n);
            let _ = service.write_all(b"bar complet, revenez plus tard\n");
            continue;
        }
        *n += 1;
        drop(n);
        println!("Client connecté : {adresse}");
        // Le client muet est congédié : sa lecture échoue après le délai.
        let _ = service.set_read_timeout(inactivite());
        executant(
            service,
            adresse,
            Place {
                occupees: Arc::clone(&occupees),
            },
        );
    }
}

/// Une place prise, rendue quand on la lâche.
pub struct Place {
    occupees: Arc<Mutex<usize>>,
}

impl Drop for Place {
    fn drop(&mut self) {
        *self.occupees.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
    }
}

/// Une session juste : une réponse par commande, jusqu'à « fin » ou la fin
/// du flux. Les erreurs sont rendues à l'appelant.
pub fn servir(service: &TcpStream, adresse: SocketAddr) -> io::Result<()> {
    let mut lecteur = BufReader::new(service);
    while let Some(commande) = lire_commande(&mut lecteur)? {
        println!("{adresse} commande : {commande}");
        repondre(service, &commande)?;
        if commande == "fin" {
            break;
        }
    }
    Ok(())
}

/// `servir`, puis l'erreur éventuelle affichée, la socket fermée, le départ noté.
pub fn servir_puis_partir(service: TcpStream, adresse: SocketAddr) {
    let _ = service.set_read_timeout(inactivite());
    if let Err(erreur) = servir(&service, adresse) {
        eprintln!("erreur avec {adresse} : {erreur}");
    }
    drop(service);
    println!("Client parti : {adresse}");
}

/// Un exécutant dans son fil : `session` lit et répond à sa façon (c'est là
/// qu'un programme du catalogue met son erreur) ; puis la socket est fermée,
/// le départ noté et la place rendue.
pub fn executant(
    service: TcpStream,
    adresse: SocketAddr,
    place: Place,
    session: fn(&TcpStream, SocketAddr),
) {
    thread::spawn(move || {
        session(&service, adresse);
        drop(service);
        println!("Client parti : {adresse}");
        drop(place);
    });
}

/// Une commande sans son `\n` ; `None` à la fin du flux.
pub fn lire_commande(lecteur: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut octets = Vec::new();
    lecteur.take(LONGUEUR_MAX).read_until(b'\n', &mut octets)?;
    if octets.pop() != Some(b'\n') {
        return if octets.len() as u64 + 1 == LONGUEUR_MAX {
            Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "ligne trop longue",
            ))
        } else {
            Ok(None)
        };
    }
    if octets.last() == Some(&b'\r') {
        octets.pop();
    }
    String::from_utf8(octets)
        .map(Some)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "pas de l'UTF-8"))
}

/// La réponse du bar.
pub fn repondre(mut service: &TcpStream, commande: &str) -> io::Result<()> {
    service.write_all(format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n").as_bytes())
}

/// `NOM client [HÔTE] [PORT]` : la connexion au bar.
pub fn connecter() -> io::Result<TcpStream> {
    let hote = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "localhost".into());
    let port = std::env::args()
        .nth(3)
        .and_then(|p| p.parse().ok())
        .unwrap_or(1664);
    TcpStream::connect((hote.as_str(), port))
}

/// Une session juste, dont l'erreur éventuelle est affichée.
pub fn session_juste(service: &TcpStream, adresse: SocketAddr) {
    if let Err(erreur) = servir(service, adresse) {
        eprintln!("erreur avec {adresse} : {erreur}");
    }
}
