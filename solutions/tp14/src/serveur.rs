//! Le serveur de vote : une socket d'écoute, un fil par connexion, une urne
//! partagée.

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
/// Le serveur, étape par étape.
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

/// Étape 1 : socket, SO_REUSEADDR, bind sur la boucle locale, listen.
fn ouvrir_ecoute(port: u16) -> Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))
        .context("impossible de créer la socket")?;
    socket
        .set_reuse_address(true)
        .context("impossible d'activer SO_REUSEADDR")?;
    // 127.0.0.1 : seuls les programmes de cette machine peuvent voter.
    let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    socket.bind(&adresse.into()).with_context(|| {
        format!("impossible d'attacher la socket à {adresse} (port déjà pris ?)")
    })?;
    socket
        .listen(BACKLOG)
        .context("impossible de mettre la socket en écoute")?;
    Ok(socket)
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

/// Étape 2 : chaque connexion acceptée part dans son propre fil ; le fil
/// principal retourne aussitôt dans accept(). L'urne est partagée par un
/// `Arc` : chaque fil en tient une référence. Au plus
/// `limites.connexions_max` fils à la fois : le fil principal n'appelle
/// accept() qu'une fois une place libre, et les clients suivants attendent
/// dans la file du noyau. Sans cette borne, 3 000 connexions muettes font
/// 3 000 fils.
fn accepter_en_boucle(ecoute: &Socket, urne: &Arc<Urne>, limites: Limites) -> Result<()> {
    let places = Arc::new(Places {
        occupees: Mutex::new(0),
        liberee: Condvar::new(),
    });
    loop {
        let place = Places::prendre(&places, limites.connexions_max);
        let (service, adresse) = match ecoute.accept() {
            Ok(connexion) => connexion,
            // Une connexion ratée (client parti, trop de descripteurs
            // ouverts) ne doit pas arrêter le scrutin.
            Err(e) => {
                eprintln!("erreur : accept : {e}");
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let urne = Arc::clone(urne);
        let lance = thread::Builder::new()
            .stack_size(PILE_D_UN_FIL)
            .spawn(move || {
                let _place = place; // rendue à la fin du fil
                if let Err(erreur) = servir(service.into(), &urne, limites.inactivite) {
                    let adresse = adresse
                        .as_socket()
                        .map(|a| a.to_string())
                        .unwrap_or_default();
                    eprintln!("connexion {adresse} : {erreur:#}");
                }
            });
        if let Err(e) = lance {
            eprintln!("erreur : impossible de lancer un fil : {e}");
        }
    }
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
fn servir(flux: TcpStream, urne: &Urne, inactivite: Duration) -> Result<()> {
    // Le BufReader regroupe les lectures ; lire_trame prend exactement les
    // octets d'une trame et laisse les suivants dans son tampon.
    let mut lecteur = BufReader::new(AEcheance {
        flux: &flux,
        echeance: Instant::now() + inactivite,
    });
    let mut ecrivain = &flux;
    loop {
        // Chaque trame a droit à `inactivite`, à compter de la réponse
        // précédente.
        lecteur.get_mut().echeance = Instant::now() + inactivite;
        let reponse = match protocole::lire_trame(&mut lecteur) {
            Ok(None) => return Ok(()), // le client a fermé entre deux trames
            Ok(Some(trame)) => match Requete::decoder(&trame) {
                Ok(requete) => traiter(requete, urne),
                Err(code) => Reponse::Erreur(code),
            },
            Err(ErreurDeLecture::TropLongue(_)) => Reponse::Erreur(CodeErreur::TropLongue),
            Err(ErreurDeLecture::Tronquee) => Reponse::Erreur(CodeErreur::Tronquee),
            Err(ErreurDeLecture::Systeme(e)) => return Err(e).context("lecture"),
        };
        let (genre, charge) = reponse.encoder();
        protocole::ecrire_trame(&mut ecrivain, genre, &charge).context("envoi de la réponse")?;
        // Après une erreur de protocole, on ne sait plus où commence la
        // trame suivante : on ferme (le fil se termine, la socket avec lui).
        if let Reponse::Erreur(code) = reponse
            && code.ferme_la_connexion()
        {
            return Ok(());
        }
    }
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
