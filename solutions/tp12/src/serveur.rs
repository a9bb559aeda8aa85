//! Le veilleur du bar : il écoute, accepte chaque client et le confie à un
//! exécutant, puis retourne aussitôt attendre le suivant.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use socket2::{Domain, Protocol, Socket, Type};

use crate::executant;

/// Connexions établies que le noyau garde en attente d'un accept().
const BACKLOG: i32 = 128;

/// Ce que reçoit un client quand toutes les places sont prises.
const COMPLET: &[u8] = b"bar complet, revenez plus tard\n";

/// Pause après un accept() raté pour manque de ressources (trop de
/// descripteurs ouverts…), le temps que des clients partent.
const PAUSE_APRES_ECHEC: Duration = Duration::from_millis(50);

// ANCHOR: veilleur
/// Le veilleur : une boucle sans fin autour d'accept().
pub fn lancer(port: u16, max_clients: usize, inactivite: Duration) -> Result<()> {
    // Étape 1 : la socket d'écoute (socket, bind, listen), sur 127.0.0.1.
    let ecoute = ouvrir_ecoute(port)?;
    let port = port_d_ecoute(&ecoute)?;
    println!("Le bar est ouvert sur 127.0.0.1:{port} ({max_clients} clients au plus à la fois)");

    let places = Places::new(max_clients);
    loop {
        // Étape 2 : attendre un client. Une erreur ici ne concerne que ce
        // client-là : le bar reste ouvert.
        let Some((service, adresse)) = accepter(&ecoute) else {
            continue;
        };
        // Étape 5 : pas de place libre, on le dit au client et on le quitte.
        let Some(place) = places.prendre() else {
            refuser(service, adresse);
            continue;
        };
        println!("Client connecté : {adresse}");
        // Un client muet ne garde pas sa place pour toujours : une lecture
        // qui attend plus de `inactivite` échoue (WouldBlock), et
        // l'exécutant ferme la session comme sur toute erreur de ce client.
        if let Err(erreur) = service.set_read_timeout(Some(inactivite)) {
            eprintln!("erreur avec {adresse} : délai d'inactivité impossible : {erreur}");
            continue;
        }
        // Étape 3 : un exécutant sert ce client ; le veilleur, lui, retourne
        // tout de suite dans accept().
        confier(service, adresse, place);
    }
}
// ANCHOR_END: veilleur

/// Étape 1 : crée la socket, l'attache à 127.0.0.1:port et la met en écoute.
fn ouvrir_ecoute(port: u16) -> Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))
        .context("impossible de créer la socket")?;
    // SO_REUSEADDR : le serveur ferme le premier après « fin », ses anciennes
    // connexions restent en TIME_WAIT ; sans l'option, le relancer aussitôt
    // échouerait.
    socket
        .set_reuse_address(true)
        .context("impossible d'activer SO_REUSEADDR")?;
    // 127.0.0.1 : seuls les programmes de cette machine peuvent entrer. Le
    // bar n'a ni mot de passe ni limite de débit : inutile de l'exposer.
    let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    socket.bind(&adresse.into()).with_context(|| {
        format!(
            "impossible d'attacher la socket au port {port} (déjà pris par un autre programme ?)"
        )
    })?;
    socket
        .listen(BACKLOG)
        .context("impossible de mettre la socket en écoute")?;
    Ok(socket)
}

/// Le port réellement attaché : avec le port 0, c'est le noyau qui l'a choisi.
fn port_d_ecoute(ecoute: &Socket) -> Result<u16> {
    let adresse = ecoute
        .local_addr()
        .context("impossible de lire l'adresse de la socket d'écoute")?;
    adresse
        .as_socket()
        .map(|a| a.port())
        .context("la socket d'écoute n'a pas d'adresse IP")
}

/// Étape 2 : accept() bloque jusqu'à l'arrivée d'un client et rend sa
/// socket de service. S'il échoue (client reparti avant qu'on l'accepte,
/// plus de descripteurs libres), on le signale et le veilleur continue.
fn accepter(ecoute: &Socket) -> Option<(TcpStream, SocketAddr)> {
    match ecoute.accept() {
        Ok((service, adresse)) => match adresse.as_socket() {
            Some(adresse) => Some((service.into(), adresse)),
            None => {
                eprintln!("erreur : client sans adresse IP, ignoré");
                None
            }
        },
        Err(erreur) => {
            eprintln!("erreur : impossible d'accepter une connexion : {erreur}");
            // Sans cette pause, un manque de descripteurs (EMFILE) ferait
            // tourner la boucle à vide, au maximum du processeur.
            thread::sleep(PAUSE_APRES_ECHEC);
            None
        }
    }
}

// ANCHOR: confier
/// Étape 3 : lance un thread, l'exécutant, qui sert ce client. La
/// socket de service et la place sont **déplacées** dans le thread : elles
/// lui appartiennent, et seront rendues quand il aura fini.
fn confier(service: TcpStream, adresse: SocketAddr, place: Place) {
    let lancement = thread::Builder::new()
        .name(format!("exécutant {adresse}"))
        .spawn(move || {
            executant::servir(service, adresse);
            // La place n'est rendue qu'ici, après la fermeture de la socket.
            drop(place);
        });
    // Le système peut refuser un thread de plus. La fermeture (closure) qui
    // n'a pas été lancée est détruite avec sa socket : ce client-là est
    // déconnecté, les autres ne sont pas touchés.
    if let Err(erreur) = lancement {
        eprintln!("erreur : impossible de servir {adresse} : {erreur}");
    }
}
// ANCHOR_END: confier

// ANCHOR: refuser
/// Étape 5 : le message d'excuse, puis la fermeture. La socket est
/// neuve, son tampon d'émission vide : l'écriture ne bloque pas.
fn refuser(mut service: TcpStream, adresse: SocketAddr) {
    println!("Bar complet, client refusé : {adresse}");
    if let Err(erreur) = service.write_all(COMPLET) {
        eprintln!("erreur avec {adresse} : {erreur}");
    }
    // La socket est fermée ici, en sortant de la fonction.
}
// ANCHOR_END: refuser

// ANCHOR: places
/// Le nombre de clients servis, partagé entre le veilleur et les exécutants.
struct Places {
    occupees: Arc<Mutex<usize>>,
    max: usize,
}

/// Une place prise ; elle se libère d'elle-même quand on la lâche.
struct Place {
    occupees: Arc<Mutex<usize>>,
}

impl Places {
    fn new(max: usize) -> Places {
        Places {
            occupees: Arc::new(Mutex::new(0)),
            max,
        }
    }

    /// Prend une place s'il en reste une. Le verrou n'est
    /// gardé que le temps de lire et d'augmenter le compteur : jamais
    /// pendant une session, sinon les clients se serviraient chacun leur tour.
    fn prendre(&self) -> Option<Place> {
        let mut occupees = self.occupees.lock().unwrap_or_else(|e| e.into_inner());
        if *occupees >= self.max {
            return None;
        }
        *occupees += 1;
        Some(Place {
            occupees: Arc::clone(&self.occupees),
        })
    }
}

impl Drop for Place {
    /// Un exécutant qui finit, normalement ou non, rend sa place.
    fn drop(&mut self) {
        let mut occupees = self.occupees.lock().unwrap_or_else(|e| e.into_inner());
        *occupees -= 1;
    }
}
// ANCHOR_END: places
