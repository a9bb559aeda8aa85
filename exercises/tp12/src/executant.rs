//! L'exécutant : la session d'un client, du premier octet à la fermeture.
//! Chaque exécutant tourne dans son propre thread ; pendant qu'il attend
//! les commandes de son client, les autres exécutants travaillent.
//!
//! Complétez les fonctions de l'étape 4, en remplaçant chaque `todo!()`.
//! Puis : `cargo test -p tp12 serveur`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, unused_mut, dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};

use anyhow::{Context, Result, bail};

/// Longueur maximale d'une commande, `\n` compris. Au-delà, le client ne
/// suit pas le protocole : sa session s'arrête.
const LONGUEUR_MAX: u64 = 1024;

// ANCHOR: servir
/// Sert un client jusqu'à son départ. Rien ne remonte au veilleur : une
/// erreur de ce client (réinitialisation, octets invalides, ligne trop
/// longue) termine sa session, et seulement la sienne. (Cette fonction est fournie.)
pub fn servir(service: TcpStream, adresse: SocketAddr) {
    if let Err(erreur) = dialoguer(&service, adresse) {
        eprintln!("erreur avec {adresse} : {erreur:#}");
    }
    // Fermer la socket de service : close(2) rend le descripteur au
    // système, et le client lit la fin de flux.
    drop(service);
    println!("Client parti : {adresse}");
}
// ANCHOR_END: servir

// ANCHOR: dialoguer
/// Étape 4 : répond à chaque commande, jusqu'à « fin » ou la fin du flux.
///
/// - créez **un seul** `BufReader::new(service)` pour toute la session ;
/// - en boucle : `lire_commande` ; `None` (le client est parti) termine la
///   session sans bruit ; sinon, affichez `ADRESSE commande : COMMANDE`,
///   `repondre`, et sortez de la boucle si la commande est `fin` ;
/// - une erreur se propage avec `?` : `servir` l'affichera.
fn dialoguer(service: &TcpStream, adresse: SocketAddr) -> Result<()> {
    todo!("Étape 4 : répondre à chaque commande jusqu'à « fin » ou la fin du flux")
}
// ANCHOR_END: dialoguer

/// Étape 4 (a) : lit une commande terminée par `\n` et la rend sans lui ;
/// rend `Ok(None)` à la fin du flux.
///
/// - `lecteur.take(LONGUEUR_MAX).read_until(b'\n', &mut octets)` lit jusqu'au
///   `\n` inclus, sans dépasser `LONGUEUR_MAX` octets ;
/// - rien lu, ou une fin de flux au milieu d'une ligne : `Ok(None)` ;
/// - `LONGUEUR_MAX` octets sans `\n` : `bail!("…")`, la session s'arrête ;
/// - retirez le `\n` (et un éventuel `\r` avant lui) ;
/// - `String::from_utf8` refuse ce qui n'est pas de l'UTF-8 : ajoutez un contexte.
fn lire_commande(lecteur: &mut impl BufRead) -> Result<Option<String>> {
    todo!("Étape 4 : lire une commande jusqu'au « \\n », longueur bornée")
}

/// Étape 4 (b) : envoie `vous m'avez demandé : COMMANDE bien reçu 5 / 5`
/// suivi de `\n`, en un seul `write_all`. `&TcpStream` implémente `Write` :
/// on peut écrire sur la socket pendant que le `BufReader` la lit.
fn repondre(mut service: &TcpStream, commande: &str) -> Result<()> {
    todo!("Étape 4 : envoyer la réponse du bar")
}
