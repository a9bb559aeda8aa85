//! L'exécutant : la session d'un client, du premier octet à la fermeture.
//! Chaque exécutant tourne dans son propre thread ; pendant qu'il attend
//! les commandes de son client, les autres exécutants travaillent.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};

use anyhow::{Context, Result, bail};

/// Longueur maximale d'une commande, `\n` compris. Au-delà, le client ne
/// suit pas le protocole : sa session s'arrête.
const LONGUEUR_MAX: u64 = 1024;

// ANCHOR: servir
/// Sert un client jusqu'à son départ. Rien ne remonte au veilleur : une
/// erreur de ce client (réinitialisation, octets invalides, ligne trop
/// longue) termine sa session, et seulement la sienne.
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
fn dialoguer(service: &TcpStream, adresse: SocketAddr) -> Result<()> {
    // Un seul BufReader pour toute la session : ce qu'il a lu en avance
    // (le début de la commande suivante) reste dans son tampon.
    let mut lecteur = BufReader::new(service);
    // None : le client a fermé sans dire « fin » ; la session finit sans bruit.
    while let Some(commande) = lire_commande(&mut lecteur)? {
        println!("{adresse} commande : {commande}");
        repondre(service, &commande)?;
        if commande == "fin" {
            break;
        }
    }
    Ok(())
}
// ANCHOR_END: dialoguer

// ANCHOR: lire_commande
/// Étape 4 (a) : lit une commande, terminée par `\n`, et la rend sans lui.
/// Rend `None` à la fin du flux.
fn lire_commande(lecteur: &mut impl BufRead) -> Result<Option<String>> {
    let mut octets = Vec::new();
    // take borne la lecture : une « commande » d'un mégaoctet sans `\n` ne
    // fait pas grossir la mémoire du serveur, elle est refusée.
    let lus = lecteur
        .take(LONGUEUR_MAX)
        .read_until(b'\n', &mut octets)
        .context("erreur de lecture sur la connexion")?;
    match octets.pop() {
        // Fin de flux au début d'une ligne : le client est parti.
        None => return Ok(None),
        Some(b'\n') => {}
        // LONGUEUR_MAX octets sans `\n` : trop long.
        Some(_) if lus as u64 == LONGUEUR_MAX => {
            bail!("commande de plus de {LONGUEUR_MAX} octets sans « \\n », session arrêtée")
        }
        // Fin de flux au milieu d'une ligne : ce morceau n'est pas une
        // commande, le client est parti.
        Some(_) => return Ok(None),
    }
    // Un client lancé avec `nc -C` termine ses lignes par « \r\n » : on l'accepte.
    if octets.last() == Some(&b'\r') {
        octets.pop();
    }
    String::from_utf8(octets)
        .map(Some)
        .context("le client a envoyé des octets qui ne sont pas de l'UTF-8, session arrêtée")
}

/// Étape 4 (b) : la réponse du bar, en une seule écriture terminée par `\n`.
fn repondre(mut service: &TcpStream, commande: &str) -> Result<()> {
    let reponse = format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n");
    // &TcpStream implémente Write : le BufReader garde sa propre référence
    // pour lire, on écrit par une autre sur la même socket.
    service
        .write_all(reponse.as_bytes())
        .context("impossible d'envoyer la réponse")
}
// ANCHOR_END: lire_commande
