//! Le veilleur du bar : il écoute, accepte chaque client et le confie à un
//! exécutant, puis retourne aussitôt attendre le suivant.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp12 serveur`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, unused_mut, dead_code)]

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
/// Le veilleur : une boucle sans fin autour d'accept(). (Cette fonction est fournie.)
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

/// Étape 1 : crée la socket, l'attache à 127.0.0.1:port et la met en écoute,
/// comme au TP09, à une différence près : l'adresse est
/// `Ipv4Addr::LOCALHOST` (127.0.0.1), pas 0.0.0.0. Seuls les programmes de
/// votre machine pourront entrer dans le bar.
///
/// `Socket::new`, `set_reuse_address(true)`, `bind`, `listen(BACKLOG)`,
/// chacun avec un contexte en français (`.context("…")?`).
fn ouvrir_ecoute(port: u16) -> Result<Socket> {
    todo!("Étape 1 : créer la socket d'écoute sur 127.0.0.1 (socket, bind, listen)")
}

/// Étape 1 (suite) : le port réellement attaché (`local_addr`, puis
/// `.as_socket()` et `.port()`), comme au TP09.
fn port_d_ecoute(ecoute: &Socket) -> Result<u16> {
    todo!("Étape 1 : lire le port réellement attaché (local_addr)")
}

/// Étape 2 : `ecoute.accept()` bloque jusqu'à l'arrivée d'un client et rend
/// sa socket de service (à convertir en `TcpStream` avec `.into()`) et son
/// adresse (`.as_socket()`).
///
/// Un serveur ne s'arrête pas parce qu'un accept() échoue (un client reparti
/// aussitôt, plus de descripteurs libres…) : affichez l'erreur avec
/// `eprintln!`, faites une courte pause (`thread::sleep(PAUSE_APRES_ECHEC)`,
/// pour ne pas tourner à vide) et rendez `None` ; le veilleur continue.
fn accepter(ecoute: &Socket) -> Option<(TcpStream, SocketAddr)> {
    todo!("Étape 2 : accepter un client (accept) sans jamais arrêter le veilleur")
}

/// Étape 3 : lance un thread, l'exécutant, qui appelle
/// `executant::servir(service, adresse)`, puis lâche la place (`drop(place)`).
///
/// `thread::Builder::new().spawn(move || …)` : `move` **déplace** la socket
/// et la place dans le thread ; elles lui appartiennent désormais. Ne
/// rejoignez pas le thread (`join`) : le veilleur doit retourner tout de
/// suite dans accept(). Si `spawn` échoue, affichez l'erreur et continuez.
fn confier(service: TcpStream, adresse: SocketAddr, place: Place) {
    todo!("Étape 3 : confier le client à un exécutant (thread::spawn avec move)")
}

/// Étape 5 : le bar est complet. Affichez
/// `Bar complet, client refusé : ADRESSE`, envoyez `COMPLET` au client avec
/// `write_all` (une erreur s'affiche, elle n'arrête rien), puis laissez la
/// socket se fermer en sortant de la fonction.
fn refuser(service: TcpStream, adresse: SocketAddr) {
    todo!("Étape 5 : dire « bar complet » au client de trop, puis le fermer")
}

// ANCHOR: places
/// Le nombre de clients servis, partagé entre le veilleur et les exécutants.
/// (Ce compteur est fourni ; lisez-le : il sert à l'étape 5.)
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
