//! Le serveur du TP08 : une socket locale, des clients servis l'un après
//! l'autre, un octet chacun.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp08 serveur`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code, unreachable_code)]

use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::UnixStream;
use std::path::Path;

use anyhow::{Context, Result, bail};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use socket2::{Domain, SockAddr, Socket, Type};

use crate::lisible;

/// Connexions établies que le noyau garde en attente d'un accept().
const BACKLOG: i32 = 5;

// ANCHOR: deroule
/// Le scénario du serveur, étape par étape. (Cette fonction est fournie.)
pub fn lancer(chemin: &Path) -> Result<()> {
    // Étape 1 : libérer le chemin, puis créer la socket d'écoute
    // (socket, bind, listen).
    liberer_le_chemin(chemin)?;
    let ecoute = ouvrir_ecoute(chemin)?;
    println!("Le serveur attend des clients sur {}", chemin.display());

    // Étape 2 : prévoir la sortie de la boucle sans fin (sur SIGINT ou
    // SIGTERM, supprimer le fichier de la socket et finir avec le code 0),
    // puis attendre les clients, bloqué dans accept().
    arreter_sur_signal(chemin)?;
    loop {
        let mut service = accepter(&ecoute)?;

        // Étape 3 : servir ce client, puis fermer sa socket de service
        // (serveur itératif : un client à la fois). Un client qui part sans
        // rien envoyer n'arrête pas le serveur : on le signale et on passe
        // au suivant.
        if let Err(erreur) = servir(&mut service) {
            eprintln!("erreur avec un client : {erreur:#}");
        }
        fermer(service);
    }
}
// ANCHOR_END: deroule

/// Étape 1 (a) : `bind` crée le fichier de la socket et échoue si le chemin
/// existe déjà. Avant lui, libérez le chemin :
///
/// - `std::fs::symlink_metadata(chemin)` décrit le fichier qui s'y trouve ;
///   une erreur de nature `ErrorKind::NotFound` veut dire « rien, le chemin
///   est libre » : rendez `Ok(())` ;
/// - `.file_type().is_socket()` (trait `FileTypeExt`) dit si c'est une
///   socket. Si ce n'en est pas une (fichier ordinaire, dossier…), refusez
///   avec `bail!("…")` **sans y toucher** : un serveur ne détruit jamais un
///   fichier de l'utilisateur ;
/// - si c'est une socket, c'est le reste d'un serveur arrêté brutalement :
///   `std::fs::remove_file(chemin)` (l'appel unlink(2)), puis annoncez-le,
///   avec le chemin tel que vous l'avez reçu (`chemin.display()`) :
///   `Ancienne socket supprimée : socket_serveur`.
///
/// Pour aller plus loin : avant de supprimer la socket, essayez
/// `UnixStream::connect(chemin)`. Si la connexion réussit, un serveur
/// l'écoute encore : refusez de démarrer plutôt que de le rendre injoignable.
fn liberer_le_chemin(chemin: &Path) -> Result<()> {
    todo!("Étape 1 : libérer le chemin (supprimer une socket périmée, refuser tout autre fichier)")
}

/// Étape 1 (b) : les étapes de Berkeley, une à une, avec `socket2` :
///
/// - `Socket::new(Domain::UNIX, Type::STREAM, None)` : l'appel
///   socket(AF_UNIX, SOCK_STREAM, 0) ;
/// - `SockAddr::unix(chemin)` : l'adresse (une `sockaddr_un`) ;
/// - `bind(&adresse)` : le noyau crée le fichier de la socket ;
/// - `listen(BACKLOG)` : la socket devient passive.
///
/// Ajoutez un contexte en français à chaque erreur : `.context("…")?`.
fn ouvrir_ecoute(chemin: &Path) -> Result<Socket> {
    todo!("Étape 1 : créer la socket locale, l'attacher au chemin (bind) et écouter (listen)")
}

/// Étape 2 : SIGINT (Ctrl+C) et SIGTERM (`kill`) arrêtent le programme sans
/// rien lui laisser faire : le fichier de la socket resterait. Interceptez-les
/// avec la crate `signal-hook` :
///
/// - `Signals::new([SIGINT, SIGTERM])` prépare un itérateur de signaux ;
/// - lancez un fil (`std::thread::spawn(move || { … })`, avec une copie du
///   chemin : `chemin.to_path_buf()`) qui attend le premier signal :
///   `signaux.forever().next()` ;
/// - ce fil supprime alors le fichier (`std::fs::remove_file`) puis termine
///   tout le programme : `std::process::exit(0)`. Le noyau fermera les
///   sockets ; le fichier, lui, n'est pas un descripteur.
///
/// Le fil principal, bloqué dans accept(), n'a rien à faire de plus.
fn arreter_sur_signal(chemin: &Path) -> Result<()> {
    todo!("Étape 2 : sur SIGINT ou SIGTERM, supprimer le fichier de la socket et finir (code 0)")
}

/// Étape 2 (suite) : `ecoute.accept()` bloque jusqu'au prochain client et rend
/// une **nouvelle** socket, dite de service, et l'adresse du client (vide :
/// il n'a pas de nom, ignorez-la). Convertissez la socket en `UnixStream`
/// avec `.into()` pour lire et écrire facilement.
///
/// Pourquoi à l'étape 2 ? Un serveur bloqué dans accept() vit jusqu'au
/// prochain client : c'est dans cet état que le correcteur lui envoie
/// SIGTERM puis SIGINT, sans avoir besoin que l'étape 3 soit écrite.
fn accepter(ecoute: &Socket) -> Result<UnixStream> {
    todo!("Étape 2 : attendre un client (accept) et rendre la socket de service")
}

/// Étape 3 : lit un octet, l'affiche, renvoie le suivant, l'affiche :
///
/// ```text
/// Le serveur a lu : A
/// Le serveur écrit : B
/// ```
///
/// - `service.read_exact(&mut octet)` avec `let mut octet = [0u8; 1];` ;
/// - le suivant de 255 est 0 : `octet[0].wrapping_add(1)` (un simple `+ 1`
///   panique quand il déborde) ;
/// - `service.write_all(&[suivant])` ;
/// - affichez chaque octet avec `lisible(…)` (fournie dans `main.rs`) :
///   255 s'écrit `\xff`.
fn servir(service: &mut UnixStream) -> Result<()> {
    todo!("Étape 3 : lire un octet, répondre avec l'octet suivant")
}

/// Étape 3 (fin) : fermez la socket de service en la lâchant (`drop`) : le
/// descripteur est rendu, le client lit la fin de flux. Ne la gardez pas :
/// chaque client laisserait un descripteur ouvert.
fn fermer(service: UnixStream) {
    todo!("Étape 3 : fermer la socket de service")
}
