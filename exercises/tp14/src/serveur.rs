//! Le serveur de vote : une socket d'écoute, un fil par connexion, une urne
//! partagée.
//!
//! Complétez les étapes 1, 2 et 5. Après chaque étape : `cargo test -p tp14 serveur`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

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
/// Le serveur, étape par étape. (Cette fonction est fournie.)
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
/// Étape 2 : accepte les connexions sans fin ; chacune est servie par son
/// propre fil, et le fil principal retourne aussitôt dans `accept()`.
///
/// - `ecoute.accept()` rend `(socket, adresse)` ; une erreur d'accept ne doit
///   pas arrêter le scrutin : affichez-la (eprintln!) et continuez ;
/// - `Arc::clone(urne)` donne au fil sa propre référence à l'urne ;
/// - `thread::Builder::new().spawn(move || …)` lance le fil (et rend une
///   erreur au lieu de paniquer s'il ne peut pas être créé) ;
/// - dans le fil : `servir(service.into(), &urne)`, et si elle échoue,
///   affichez l'erreur avec l'adresse du client.
fn accepter_en_boucle(ecoute: &Socket, urne: &Arc<Urne>) -> Result<()> {
    todo!("Étape 2 : accepter sans fin, un fil (thread) par connexion")
}
// ANCHOR_END: accepter

// ANCHOR: servir
/// Étape 5 : sert un client, trame après trame, jusqu'à ce qu'il ferme.
///
/// - réglez un délai de lecture (`set_read_timeout(Some(SILENCE_MAX))`) ;
/// - un seul `BufReader::new(&flux)` pour toute la connexion, et `&flux`
///   pour écrire ;
/// - en boucle : `protocole::lire_trame` ; `Ok(None)` : le client a fermé,
///   c'est fini ; une trame : `Requete::decoder`, puis `traiter` ; une
///   erreur de décodage ou de lecture devient `Reponse::Erreur(code)` ;
/// - envoyez la réponse (`encoder`, puis `ecrire_trame`) ;
/// - après une erreur dont `code.ferme_la_connexion()` est vrai, arrêtez :
///   la socket se ferme quand la fonction se termine.
fn servir(flux: TcpStream, urne: &Urne) -> Result<()> {
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
