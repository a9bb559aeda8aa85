//! Le serveur du TP09 : une socket d'écoute, un client, trois lignes.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp09 serveur`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};

use anyhow::{Context, Result, bail};
use socket2::{Domain, Protocol, Socket, Type};

/// Connexions établies que le noyau garde en attente d'un accept().
const BACKLOG: i32 = 5;

/// Longueur maximale d'une ligne : au-delà, le client ne suit pas le protocole.
const LONGUEUR_MAX: u64 = 4096;

// ANCHOR: deroule
/// Le scénario du serveur, étape par étape. (Cette fonction est fournie.)
pub fn lancer(port: u16) -> Result<()> {
    // Étape 1 : la socket d'écoute (socket, bind, listen).
    let ecoute = ouvrir_ecoute(port)?;
    let port = port_d_ecoute(&ecoute)?;
    println!("Le serveur écoute sur toutes les interfaces (0.0.0.0), port {port}");

    // Étape 2 : accepter un client et lui souhaiter la bienvenue.
    let (mut service, adresse) = accepter(&ecoute)?;
    println!("Client connecté depuis {adresse}");
    envoyer_bienvenue(&mut service, port)?;

    // Étape 3 : recevoir deux lignes et les afficher.
    for ligne in recevoir_deux_lignes(&service)? {
        println!("{ligne}");
    }

    // Étape 4 : fermer la connexion.
    fermer(service)?;
    println!("Connexion fermée.");
    Ok(())
}
// ANCHOR_END: deroule

/// Étape 1 : crée la socket, l'attache au port sur toutes les interfaces et
/// la met en écoute.
///
/// - `Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))` : l'appel
///   socket(2) ; le noyau rend un descripteur ;
/// - `set_reuse_address(true)` (SO_REUSEADDR) : pour pouvoir relancer le
///   serveur aussitôt après l'avoir arrêté ;
/// - `bind` sur `SocketAddr::from((Ipv4Addr::UNSPECIFIED, port))` (0.0.0.0 :
///   toutes les interfaces) — convertissez avec `.into()` ;
/// - `listen(BACKLOG)` : la socket devient passive.
///
/// Ajoutez un contexte en français à chaque erreur : `.context("…")?`.
fn ouvrir_ecoute(port: u16) -> Result<Socket> {
    todo!("Étape 1 : créer la socket, l'attacher au port (bind) et la mettre en écoute (listen)")
}

/// Étape 1 (suite) : le port réellement attaché. Si l'utilisateur a demandé
/// le port 0, c'est le noyau qui en a choisi un : `ecoute.local_addr()`, puis
/// `.as_socket()` pour obtenir une `SocketAddr`, puis `.port()`.
fn port_d_ecoute(ecoute: &Socket) -> Result<u16> {
    todo!("Étape 1 : lire le port réellement attaché (local_addr)")
}

/// Étape 2 (a) : attend un client avec `ecoute.accept()`, qui bloque tant
/// qu'aucune connexion n'est arrivée. Il rend une **nouvelle** socket (dite
/// de service) et l'adresse du client (`.as_socket()`). Convertissez la
/// socket en `TcpStream` avec `.into()` pour lire et écrire facilement.
fn accepter(ecoute: &Socket) -> Result<(TcpStream, SocketAddr)> {
    todo!("Étape 2 : accepter une connexion (accept) et rendre la socket de service")
}

/// Étape 2 (b) : envoie la ligne de bienvenue, terminée par `\n` :
/// « Bonjour Client, je suis le serveur PORT, la connexion est établie ».
/// `write` peut n'envoyer qu'une partie des octets : utilisez `write_all`.
fn envoyer_bienvenue(service: &mut TcpStream, port: u16) -> Result<()> {
    todo!("Étape 2 : envoyer la ligne de bienvenue avec write_all")
}

/// Étape 3 : lit deux lignes envoyées par le client et les rend sans leur `\n`.
///
/// Attention : TCP transporte un flux d'octets, pas des messages. Un `read`
/// peut rendre un morceau de ligne, ou les deux lignes collées. Créez **un
/// seul** `BufReader::new(service)` pour les deux lignes, et appelez
/// `lire_ligne` deux fois dessus.
fn recevoir_deux_lignes(service: &TcpStream) -> Result<[String; 2]> {
    todo!("Étape 3 : lire deux lignes avec un seul BufReader")
}

/// Étape 3 (suite) : lit une ligne terminée par `\n` et la rend sans son `\n`.
///
/// - `lecteur.take(LONGUEUR_MAX).read_until(b'\n', &mut octets)` lit jusqu'au
///   `\n` inclus, sans dépasser `LONGUEUR_MAX` octets ;
/// - 0 octet lu signifie que le client a fermé : `bail!("…")` ;
/// - vérifiez que la ligne finit bien par `\n`, retirez-le ; sans `\n`,
///   soit la borne est atteinte (ligne trop longue), soit le client est
///   parti au milieu de la ligne : dites lequel ;
/// - un `\r` juste avant le `\n` (`nc -C`) ne fait pas partie du message ;
/// - `String::from_utf8(octets)` refuse ce qui n'est pas de l'UTF-8.
fn lire_ligne(lecteur: &mut impl BufRead) -> Result<String> {
    todo!("Étape 3 : lire une ligne jusqu'au « \\n »")
}

/// Étape 4 : ferme la socket de service. En Rust, une socket est fermée
/// quand on la lâche (`drop`) : le noyau envoie FIN, le client lira 0 octet.
fn fermer(service: TcpStream) -> Result<()> {
    todo!("Étape 4 : fermer la socket de service")
}
