//! Variante correcte : appels système bruts par libc (socket, bind, listen, accept, read, write, close, unlink) ; SIGINT et SIGTERM bloqués puis attendus par sigwait dans un fil, sans gestionnaire ; client en libc lui aussi.
//!
//! Ce que le corrigé confie à socket2, à la bibliothèque standard et à
//! signal-hook est écrit ici à la main, comme en C : l'adresse `sockaddr_un`
//! remplie octet par octet, chaque descripteur fermé par `close` (via
//! `OwnedFd`), et les signaux jamais « attrapés » : bloqués dès le début du
//! programme, ils restent en attente jusqu'à ce que le fil dédié les prenne
//! avec `sigwait`.

mod commun;

use std::io;
use std::mem;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};

/// L'erreur du dernier appel système, avec ce qu'on tentait de faire.
fn echec(quoi: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("{quoi} : {}", io::Error::last_os_error())
}

/// Une `sockaddr_un` remplie à la main, et sa longueur utile.
fn adresse(chemin: &Path) -> Result<(libc::sockaddr_un, libc::socklen_t)> {
    let octets = chemin.as_os_str().as_bytes();
    // SAFETY: sockaddr_un est une structure C d'entiers : tout à zéro est valide.
    let mut adresse: libc::sockaddr_un = unsafe { mem::zeroed() };
    // Il faut garder la place du zéro final.
    if octets.len() >= adresse.sun_path.len() {
        bail!("chemin de socket trop long : {}", chemin.display());
    }
    adresse.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (case, octet) in adresse.sun_path.iter_mut().zip(octets) {
        *case = *octet as libc::c_char;
    }
    let longueur = mem::offset_of!(libc::sockaddr_un, sun_path) + octets.len() + 1;
    Ok((adresse, longueur as libc::socklen_t))
}

/// socket(AF_UNIX, SOCK_STREAM, 0), rendu sous forme d'`OwnedFd` : le
/// descripteur sera fermé (close) en fin de portée.
fn nouvelle_socket() -> Result<OwnedFd> {
    // SAFETY: appel système sans pointeur.
    let fd = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0) };
    if fd < 0 {
        return Err(echec("impossible de créer la socket"));
    }
    // SAFETY: fd vient d'être créé et n'appartient à personne d'autre.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// SIGINT et SIGTERM, l'ensemble que le serveur bloque puis attend.
fn signaux_d_arret() -> libc::sigset_t {
    // SAFETY: sigemptyset initialise l'ensemble ; sigaddset y ajoute deux signaux valides.
    unsafe {
        let mut ensemble: libc::sigset_t = mem::zeroed();
        libc::sigemptyset(&mut ensemble);
        libc::sigaddset(&mut ensemble, libc::SIGINT);
        libc::sigaddset(&mut ensemble, libc::SIGTERM);
        ensemble
    }
}

fn serveur(chemin: &Path) -> Result<()> {
    // Bloqués avant tout : un signal qui arrive tôt reste en attente au lieu
    // de tuer le processus. Les fils créés ensuite héritent du masque.
    let ensemble = signaux_d_arret();
    // SAFETY: ensemble est initialisé ; l'ancien masque ne nous intéresse pas.
    unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &ensemble, std::ptr::null_mut()) };

    match std::fs::symlink_metadata(chemin) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(e).with_context(|| format!("impossible d'examiner {}", chemin.display()));
        }
        Ok(meta) if !meta.file_type().is_socket() => bail!(
            "{} existe déjà et n'est pas une socket : le serveur refuse d'y toucher",
            chemin.display()
        ),
        Ok(_) => {
            std::fs::remove_file(chemin).with_context(|| {
                format!(
                    "impossible de supprimer l'ancienne socket {}",
                    chemin.display()
                )
            })?;
            println!("Ancienne socket supprimée : {}", chemin.display());
        }
    }

    let (adresse, longueur) = adresse(chemin)?;
    let ecoute = nouvelle_socket()?;
    // SAFETY: adresse vit jusqu'à la fin de l'appel ; longueur est la sienne.
    let lie = unsafe {
        libc::bind(
            ecoute.as_raw_fd(),
            (&adresse as *const libc::sockaddr_un).cast(),
            longueur,
        )
    };
    if lie < 0 {
        return Err(echec(format!(
            "impossible d'attacher la socket à {}",
            chemin.display()
        )));
    }
    // SAFETY: appel système sans pointeur.
    if unsafe { libc::listen(ecoute.as_raw_fd(), 5) } < 0 {
        return Err(echec("impossible de mettre la socket en écoute"));
    }
    println!("Le serveur attend des clients sur {}", chemin.display());

    let fichier = chemin.to_path_buf();
    std::thread::spawn(move || {
        let mut signal = 0;
        // SAFETY: ensemble et signal sont valides pour la durée de l'appel.
        if unsafe { libc::sigwait(&ensemble, &mut signal) } == 0 {
            match std::fs::remove_file(&fichier) {
                Ok(()) => println!("signal {signal} reçu : socket supprimée, arrêt du serveur."),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    eprintln!(
                        "erreur : impossible de supprimer {} : {e}",
                        fichier.display()
                    );
                    std::process::exit(1);
                }
            }
            std::process::exit(0);
        }
    });

    loop {
        // SAFETY: pas d'adresse demandée (le client n'a pas de nom).
        let fd = unsafe {
            libc::accept(
                ecoute.as_raw_fd(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        if fd < 0 {
            return Err(echec("impossible d'accepter un client"));
        }
        // SAFETY: fd vient d'accept et n'appartient qu'à nous ; close en fin de tour.
        let service = unsafe { OwnedFd::from_raw_fd(fd) };
        if let Err(erreur) = servir(&service) {
            eprintln!("erreur avec un client : {erreur:#}");
        }
    }
}

/// Un octet lu, le suivant renvoyé, chacun avec un seul appel système.
fn servir(service: &OwnedFd) -> Result<()> {
    let mut octet = 0u8;
    // SAFETY: un octet à écrire dans `octet`, qui vit pendant l'appel.
    let lu = unsafe { libc::read(service.as_raw_fd(), (&mut octet as *mut u8).cast(), 1) };
    match lu {
        0 => bail!("le client est parti sans envoyer d'octet"),
        n if n < 0 => return Err(echec("lecture impossible")),
        _ => {}
    }
    println!("Le serveur a lu : {}", commun::lisible(octet));
    let suivant = octet.wrapping_add(1);
    // SAFETY: un octet lu dans `suivant`, qui vit pendant l'appel.
    if unsafe { libc::write(service.as_raw_fd(), (&suivant as *const u8).cast(), 1) } != 1 {
        return Err(echec("impossible de répondre au client"));
    }
    println!("Le serveur écrit : {}", commun::lisible(suivant));
    Ok(())
}

fn client(chemin: &Path, octet: u8) -> Result<()> {
    let (adresse, longueur) = adresse(chemin)?;
    let flux = nouvelle_socket()?;
    // SAFETY: adresse vit jusqu'à la fin de l'appel ; longueur est la sienne.
    let connecte = unsafe {
        libc::connect(
            flux.as_raw_fd(),
            (&adresse as *const libc::sockaddr_un).cast(),
            longueur,
        )
    };
    if connecte < 0 {
        return Err(echec(format!(
            "impossible de se connecter à la socket {} : lancez d'abord le serveur",
            chemin.display()
        )));
    }
    // SAFETY: un octet lu dans `octet`, qui vit pendant l'appel.
    if unsafe { libc::write(flux.as_raw_fd(), (&octet as *const u8).cast(), 1) } != 1 {
        return Err(echec("impossible d'envoyer l'octet au serveur"));
    }
    println!("Le client a écrit : {}", commun::lisible(octet));
    let mut reponse = 0u8;
    // SAFETY: un octet à écrire dans `reponse`, qui vit pendant l'appel.
    match unsafe { libc::read(flux.as_raw_fd(), (&mut reponse as *mut u8).cast(), 1) } {
        1 => {}
        0 => bail!("le serveur a fermé la connexion sans répondre"),
        _ => return Err(echec("impossible de lire la réponse")),
    }
    println!("Le serveur a renvoyé : {}", commun::lisible(reponse));
    // `flux` est fermé (close) en sortant.
    Ok(())
}

fn main() -> ExitCode {
    let resultat = match std::env::args().nth(1).as_deref() {
        Some("serveur") => serveur(&commun::chemin()),
        Some("client") => client(&commun::chemin(), commun::octet()),
        _ => {
            eprintln!(
                "erreur : rôle attendu\nusage : serveur [CHEMIN] | client [CHEMIN] [CARACTÈRE]"
            );
            return ExitCode::from(64);
        }
    };
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
    }
}
