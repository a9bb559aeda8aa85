//! Le serveur de vote : une socket d'écoute, un fil par connexion, une urne
//! partagée.
//!
//! Complétez les étapes 1, 2 et 5. Après chaque étape : `cargo test -p tp14 serveur`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::io::{self, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use socket2::{Domain, Protocol, Socket, Type};

use crate::journal::Abime;
use crate::protocole::{self, CodeErreur, ErreurDeLecture, Reponse, Requete};
use crate::scrutin;
use crate::urne::Urne;

/// File d'attente des connexions établies : 200 électeurs peuvent arriver
/// ensemble. Au-delà, le noyau ignore les SYN, et le client réessaie une
/// seconde plus tard.
const BACKLOG: i32 = 1024;

/// Pile d'un fil de connexion : servir ne demande que quelques Kio (les
/// trames vont dans un Vec, sur le tas). Les 8 Mio par défaut de Rust sont
/// de l'espace d'adressage réservé pour rien, fil après fil.
const PILE_D_UN_FIL: usize = 128 * 1024;

/// Les trois fichiers du scrutin.
pub struct Fichiers {
    pub bulletin: PathBuf,
    pub electeurs: PathBuf,
    pub journal: PathBuf,
}

/// Ce que le serveur accepte de donner à ses clients.
#[derive(Debug, Clone, Copy)]
pub struct Limites {
    /// Connexions servies à la fois ; les suivantes attendent dans la file
    /// du noyau (`listen`) qu'une place se libère.
    pub connexions_max: usize,
    /// Un client qui met plus longtemps que cela à envoyer une trame
    /// complète est déconnecté, même s'il envoie un octet de temps en temps.
    pub inactivite: Duration,
}

// ANCHOR: deroule
/// Le serveur, étape par étape. (Cette fonction est fournie.)
pub fn lancer(port: u16, fichiers: &Fichiers, abime: Abime, limites: Limites) -> Result<()> {
    // Les fichiers du scrutin (fourni).
    let bulletin = scrutin::lire_bulletin(&fichiers.bulletin)?;
    let electeurs = scrutin::lire_electeurs(&fichiers.electeurs)?;

    // Étape 1 : la socket d'écoute, d'abord, pour signaler aussitôt un port
    // déjà pris. Les connexions qui arrivent pendant le rejeu du journal
    // attendent dans la file du noyau.
    let ecoute = ouvrir_ecoute(port)?;
    let port = ecoute
        .local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .map_or(port, |a| a.port());

    // Étape 7 : rejouer le journal (dans Journal::ouvrir).
    let urne = Arc::new(Urne::ouvrir(bulletin, electeurs, &fichiers.journal, abime)?);
    println!("Journal rejoué : {} vote(s)", urne.nombre_de_votes());
    println!("Le serveur de vote écoute sur 127.0.0.1:{port}");

    // Étape 2 : accepter sans fin, un fil par connexion.
    accepter_en_boucle(&ecoute, &urne, limites)
}
// ANCHOR_END: deroule

/// Étape 1 : crée la socket d'écoute, comme au TP09, mais attachée à la
/// boucle locale : `SocketAddr::from((Ipv4Addr::LOCALHOST, port))`.
///
/// - `Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))` ;
/// - `set_reuse_address(true)`, puis `bind(&adresse.into())` ;
/// - `listen(BACKLOG)` : 200 électeurs peuvent arriver ensemble, la file doit
///   être assez longue.
///
/// Un contexte en français sur chaque erreur : `.context("…")?`.
fn ouvrir_ecoute(port: u16) -> Result<Socket> {
    todo!("Étape 1 : créer la socket d'écoute sur 127.0.0.1 (socket, SO_REUSEADDR, bind, listen)")
}

// ANCHOR: accepter
/// Les places de connexion : un compteur sous verrou, et une condition pour
/// attendre qu'une place se libère.
struct Places {
    occupees: Mutex<usize>,
    liberee: Condvar,
}

/// Une place prise ; elle se rend toute seule à la fin du fil (Drop), même
/// si le fil s'arrête sur une erreur.
struct Place(Arc<Places>);

impl Places {
    /// Attend qu'une place soit libre, et la prend.
    fn prendre(places: &Arc<Places>, max: usize) -> Place {
        let mut occupees = places
            .occupees
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while *occupees >= max {
            occupees = places
                .liberee
                .wait(occupees)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *occupees += 1;
        Place(Arc::clone(places))
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut occupees = self
            .0
            .occupees
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *occupees -= 1;
        self.0.liberee.notify_one();
    }
}

/// Étape 2 : accepte les connexions sans fin ; chacune est servie par son
/// propre fil, et le fil principal retourne aussitôt dans `accept()`.
///
/// - au plus `limites.connexions_max` connexions à la fois : avant chaque
///   `accept()`, prenez une place (`Places::prendre`, fourni), qui attend
///   qu'un fil se termine ; donnez la place au fil (`move`) : elle se rend
///   seule quand il finit ;
/// - `ecoute.accept()` rend `(socket, adresse)` ; une erreur d'accept ne doit
///   pas arrêter le scrutin : affichez-la (eprintln!) et continuez ;
/// - `Arc::clone(urne)` donne au fil sa propre référence à l'urne ;
/// - `thread::Builder::new().stack_size(PILE_D_UN_FIL).spawn(move || …)`
///   lance le fil (et rend une erreur au lieu de paniquer s'il ne peut pas
///   être créé) ;
/// - dans le fil : `servir(service.into(), &urne, limites.inactivite)`, et
///   si elle échoue, affichez l'erreur avec l'adresse du client.
fn accepter_en_boucle(ecoute: &Socket, urne: &Arc<Urne>, limites: Limites) -> Result<()> {
    todo!(
        "Étape 2 : accepter sans fin, un fil (thread) par connexion, au plus connexions_max à la fois"
    )
}
// ANCHOR_END: accepter

// ANCHOR: servir
/// Une lecture bornée par une échéance, pas par un délai par appel : avec un
/// simple `set_read_timeout`, un client qui envoie un octet toutes les 29 s
/// remet le compteur à zéro à chaque octet, et garde le fil pour toujours.
struct AEcheance<'a> {
    flux: &'a TcpStream,
    echeance: Instant,
}

impl Read for AEcheance<'_> {
    fn read(&mut self, tampon: &mut [u8]) -> io::Result<usize> {
        let reste = self.echeance.saturating_duration_since(Instant::now());
        if reste.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "client inactif trop longtemps",
            ));
        }
        self.flux.set_read_timeout(Some(reste))?;
        self.flux.read(tampon)
    }
}

/// Étape 5 : sert un client, trame après trame, jusqu'à ce qu'il ferme ou
/// qu'il mette plus de `inactivite` à envoyer une trame complète.
///
/// - un seul `BufReader::new(AEcheance { flux: &flux, echeance })` pour toute
///   la connexion (`AEcheance`, fourni, borne la lecture par une échéance), et
///   `&flux` pour écrire ;
/// - en boucle : repoussez l'échéance (`lecteur.get_mut().echeance =
///   Instant::now() + inactivite`), puis `protocole::lire_trame` ; `Ok(None)` :
///   le client a fermé, c'est fini ; une trame : `Requete::decoder`, puis
///   `traiter` ; une erreur de décodage ou de lecture devient
///   `Reponse::Erreur(code)` ; une erreur système (échéance passée) termine ;
/// - envoyez la réponse (`encoder`, puis `ecrire_trame`) ;
/// - après une erreur dont `code.ferme_la_connexion()` est vrai, arrêtez :
///   la socket se ferme quand la fonction se termine.
fn servir(flux: TcpStream, urne: &Urne, inactivite: Duration) -> Result<()> {
    todo!("Étape 5 : servir une connexion, trame après trame")
}

/// La réponse à une requête bien formée.
fn traiter(requete: Requete, urne: &Urne) -> Reponse {
    match requete {
        Requete::Lister => Reponse::Options {
            question: urne.bulletin().question.clone(),
            options: urne.bulletin().options.clone(),
        },
        Requete::Voter { jeton, option } => match urne.voter(&jeton, option) {
            Ok(numero) => Reponse::Recu { numero },
            Err(code) => Reponse::Erreur(code),
        },
        Requete::Resultats => Reponse::Decompte {
            lignes: urne.resultats(),
        },
    }
}
// ANCHOR_END: servir
