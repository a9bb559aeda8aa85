//! Variante correcte : serveur d'un seul fil, std::os::unix::net et poll(2) — les signaux arrivent par un tube (signal_hook::low_level::pipe) surveillé avec la socket, main rend la main pour finir ; client socket2 qui ferme son sens d'écriture (shutdown) puis lit jusqu'à la fin de flux.
//!
//! Pas de fil pour les signaux, pas de `process::exit` : le gestionnaire
//! installé par signal-hook écrit un octet dans un tube, et `poll` réveille
//! le fil unique, qu'il attende un client (socket d'écoute) ou l'octet d'un
//! client (socket de service). Le serveur supprime alors son fichier et
//! `main` se termine normalement.

mod commun;

use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use signal_hook::consts::{SIGINT, SIGTERM};
use socket2::{Domain, SockAddr, Socket, Type};

/// Ce que `poll` a vu.
enum Reveil {
    /// Le descripteur surveillé est prêt.
    Pret,
    /// Un signal d'arrêt est arrivé.
    Signal,
}

/// Attend que `fd` soit lisible, ou qu'un signal écrive dans `tube`.
fn attendre(fd: RawFd, tube: RawFd) -> Result<Reveil> {
    loop {
        let mut attentes = [
            libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: tube,
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: deux pollfd valides pendant l'appel ; -1 : pas de délai.
        let pretes = unsafe { libc::poll(attentes.as_mut_ptr(), 2, -1) };
        if pretes < 0 {
            let erreur = io::Error::last_os_error();
            // Le signal interrompt poll : on y retourne, le tube est lisible.
            if erreur.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(erreur).context("poll a échoué");
        }
        if attentes[1].revents != 0 {
            return Ok(Reveil::Signal);
        }
        if attentes[0].revents != 0 {
            return Ok(Reveil::Pret);
        }
    }
}

fn liberer_le_chemin(chemin: &Path) -> Result<()> {
    match std::fs::symlink_metadata(chemin) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("impossible d'examiner {}", chemin.display())),
        Ok(meta) if meta.file_type().is_socket() => {
            std::fs::remove_file(chemin).with_context(|| {
                format!(
                    "impossible de supprimer l'ancienne socket {}",
                    chemin.display()
                )
            })?;
            println!("Ancienne socket supprimée : {}", chemin.display());
            Ok(())
        }
        Ok(_) => bail!(
            "{} existe déjà et n'est pas une socket : le serveur refuse d'y toucher",
            chemin.display()
        ),
    }
}

fn serveur(chemin: &Path) -> Result<()> {
    liberer_le_chemin(chemin)?;
    // socket, bind et listen en un appel (file : le maximum du système).
    let ecoute = UnixListener::bind(chemin)
        .with_context(|| format!("impossible d'attacher la socket à {}", chemin.display()))?;
    println!("Le serveur attend des clients sur {}", chemin.display());
    let (tube, pour_les_signaux) = UnixStream::pair().context("impossible de créer le tube")?;
    for signal in [SIGINT, SIGTERM] {
        let bout = pour_les_signaux
            .try_clone()
            .context("impossible de dupliquer le tube")?;
        signal_hook::low_level::pipe::register(signal, bout)
            .context("impossible d'intercepter SIGINT et SIGTERM")?;
    }
    loop {
        if let Reveil::Signal = attendre(ecoute.as_raw_fd(), tube.as_raw_fd())? {
            break;
        }
        let (mut service, _) = ecoute.accept().context("impossible d'accepter un client")?;
        match servir(&mut service, tube.as_raw_fd()) {
            Ok(Reveil::Signal) => break,
            Ok(Reveil::Pret) => {}
            Err(erreur) => eprintln!("erreur avec un client : {erreur:#}"),
        }
        // `service` est fermé ici, à la fin du tour.
    }
    std::fs::remove_file(chemin)
        .with_context(|| format!("impossible de supprimer {}", chemin.display()))?;
    println!("signal reçu : socket supprimée, arrêt du serveur.");
    Ok(())
}

/// Sert un client ; rend `Signal` si un signal arrive pendant l'attente de
/// son octet.
fn servir(service: &mut UnixStream, tube: RawFd) -> Result<Reveil> {
    if let Reveil::Signal = attendre(service.as_raw_fd(), tube)? {
        return Ok(Reveil::Signal);
    }
    let mut octet = [0u8; 1];
    if service.read(&mut octet).context("lecture impossible")? == 0 {
        bail!("le client est parti sans envoyer d'octet");
    }
    println!("Le serveur a lu : {}", commun::lisible(octet[0]));
    let suivant = octet[0].wrapping_add(1);
    service
        .write_all(&[suivant])
        .context("impossible de répondre au client")?;
    println!("Le serveur écrit : {}", commun::lisible(suivant));
    Ok(Reveil::Pret)
}

fn client(chemin: &Path, octet: u8) -> Result<()> {
    let socket =
        Socket::new(Domain::UNIX, Type::STREAM, None).context("impossible de créer la socket")?;
    let adresse = SockAddr::unix(chemin).context("chemin de socket invalide")?;
    socket.connect(&adresse).with_context(|| {
        format!(
            "impossible de se connecter à la socket {} : lancez d'abord le serveur",
            chemin.display()
        )
    })?;
    let mut flux: UnixStream = socket.into();
    flux.write_all(&[octet])
        .context("impossible d'envoyer l'octet au serveur")?;
    println!("Le client a écrit : {}", commun::lisible(octet));
    // Plus rien à envoyer : le serveur lirait la fin de flux après l'octet.
    flux.shutdown(Shutdown::Write)
        .context("shutdown impossible")?;
    // La réponse, puis la fin de flux quand le serveur ferme.
    let mut reponse = Vec::new();
    flux.read_to_end(&mut reponse)
        .context("impossible de lire la réponse")?;
    match reponse.as_slice() {
        [octet] => println!("Le serveur a renvoyé : {}", commun::lisible(*octet)),
        [] => bail!("le serveur a fermé la connexion sans répondre"),
        _ => bail!("le serveur a envoyé {} octets au lieu d'un", reponse.len()),
    }
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
