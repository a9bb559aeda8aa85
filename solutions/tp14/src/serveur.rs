//! Le serveur de vote : une socket d'écoute, un fil par connexion, une urne
//! partagée.

use std::io::BufReader;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use socket2::{Domain, Protocol, Socket, Type};

use crate::protocole::{self, CodeErreur, ErreurDeLecture, Reponse, Requete};
use crate::scrutin;
use crate::urne::Urne;

/// File d'attente des connexions établies : 200 électeurs peuvent arriver
/// ensemble. Au-delà, le noyau ignore les SYN, et le client réessaie une
/// seconde plus tard.
const BACKLOG: i32 = 1024;

/// Un client silencieux plus longtemps que cela est abandonné : il ne
/// retient pas un fil pour toujours.
const SILENCE_MAX: Duration = Duration::from_secs(30);

/// Les trois fichiers du scrutin.
pub struct Fichiers {
    pub bulletin: PathBuf,
    pub electeurs: PathBuf,
    pub journal: PathBuf,
}

// ANCHOR: deroule
/// Le serveur, étape par étape.
pub fn lancer(port: u16, fichiers: &Fichiers) -> Result<()> {
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
    let urne = Arc::new(Urne::ouvrir(bulletin, electeurs, &fichiers.journal)?);
    println!("Journal rejoué : {} vote(s)", urne.nombre_de_votes());
    println!("Le serveur de vote écoute sur 127.0.0.1:{port}");

    // Étape 2 : accepter sans fin, un fil par connexion.
    accepter_en_boucle(&ecoute, &urne)
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
/// Étape 2 : chaque connexion acceptée part dans son propre fil ; le fil
/// principal retourne aussitôt dans accept(). L'urne est partagée par un
/// `Arc` : chaque fil en tient une référence.
fn accepter_en_boucle(ecoute: &Socket, urne: &Arc<Urne>) -> Result<()> {
    loop {
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
        let lance = thread::Builder::new().spawn(move || {
            if let Err(erreur) = servir(service.into(), &urne) {
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
/// Étape 5 : sert un client, trame après trame, jusqu'à ce qu'il ferme.
fn servir(flux: TcpStream, urne: &Urne) -> Result<()> {
    flux.set_read_timeout(Some(SILENCE_MAX))
        .context("impossible de régler le délai de lecture")?;
    // Le BufReader regroupe les lectures ; lire_trame prend exactement les
    // octets d'une trame et laisse les suivants dans son tampon.
    let mut lecteur = BufReader::new(&flux);
    let mut ecrivain = &flux;
    loop {
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
