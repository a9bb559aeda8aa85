//! Ce que les solutions fausses du TP08 font correctement : lire leurs
//! arguments, libérer le chemin, écouter, servir un client, s'arrêter sur
//! signal, jouer le client. Chaque programme du catalogue n'a ainsi dans son
//! propre fichier que son erreur.
//!
//! (Chaque programme n'utilise qu'une partie de ce module.)
#![allow(dead_code)]

use std::io::{Read, Write};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// `NOM serveur [CHEMIN]` ou `NOM client [CHEMIN] [CARACTÈRE]` : le chemin.
pub fn chemin() -> PathBuf {
    PathBuf::from(
        std::env::args()
            .nth(2)
            .unwrap_or_else(|| "socket_serveur".into()),
    )
}

/// `NOM client [CHEMIN] [CARACTÈRE]` : l'octet à envoyer (`A`, ou `\xNN`).
pub fn octet() -> u8 {
    match std::env::args().nth(3) {
        None => b'A',
        Some(texte) => match texte.strip_prefix("\\x") {
            Some(hexa) => u8::from_str_radix(hexa, 16).unwrap_or(b'A'),
            None => texte.bytes().next().unwrap_or(b'A'),
        },
    }
}

/// Un octet affiché : lui-même s'il est visible, sinon `\xNN`.
pub fn lisible(octet: u8) -> String {
    if octet.is_ascii_graphic() {
        char::from(octet).to_string()
    } else {
        format!("\\x{octet:02x}")
    }
}

/// Supprime une socket périmée ; refuse tout autre fichier.
pub fn liberer_le_chemin(chemin: &Path) -> Result<()> {
    match std::fs::symlink_metadata(chemin) {
        Err(_) => Ok(()),
        Ok(meta) if meta.file_type().is_socket() => {
            std::fs::remove_file(chemin)?;
            println!("Ancienne socket supprimée : {}", chemin.display());
            Ok(())
        }
        Ok(_) => bail!("{} existe et n'est pas une socket", chemin.display()),
    }
}

/// bind et listen (la bibliothèque standard fait les deux).
pub fn ecouter(chemin: &Path) -> Result<UnixListener> {
    let ecoute = UnixListener::bind(chemin)?;
    println!("Le serveur attend des clients sur {}", chemin.display());
    Ok(ecoute)
}

/// Sur SIGINT ou SIGTERM : supprime le fichier, code 0.
pub fn arreter_sur_signal(chemin: &Path) -> Result<()> {
    let mut signaux = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
    ])?;
    let chemin = chemin.to_path_buf();
    std::thread::spawn(move || {
        if signaux.forever().next().is_some() {
            let _ = std::fs::remove_file(&chemin);
            std::process::exit(0);
        }
    });
    Ok(())
}

/// Lit un octet, renvoie le suivant.
pub fn servir(service: &mut UnixStream) -> Result<()> {
    let mut octet = [0u8; 1];
    service.read_exact(&mut octet)?;
    println!("Le serveur a lu : {}", lisible(octet[0]));
    let suivant = octet[0].wrapping_add(1);
    service.write_all(&[suivant])?;
    println!("Le serveur écrit : {}", lisible(suivant));
    Ok(())
}

/// Sert un client avec `servir` ; un client qui part sans rien envoyer
/// est signalé, sans arrêter le serveur.
pub fn servir_ou_signaler(service: &mut UnixStream, servir: fn(&mut UnixStream) -> Result<()>) {
    if let Err(erreur) = servir(service) {
        eprintln!("erreur avec un client : {erreur:#}");
    }
}

/// Sert les clients l'un après l'autre avec `servir`, sans fin, en fermant
/// chaque socket de service (fin de portée).
pub fn servir_sans_fin_avec(
    ecoute: UnixListener,
    servir: fn(&mut UnixStream) -> Result<()>,
) -> Result<()> {
    loop {
        let (mut service, _) = ecoute.accept()?;
        servir_ou_signaler(&mut service, servir);
    }
}

/// Comme le chapitre : [`servir_sans_fin_avec`] et [`servir`].
pub fn servir_sans_fin(ecoute: UnixListener) -> Result<()> {
    servir_sans_fin_avec(ecoute, servir)
}

/// Le serveur complet et correct, sauf ce que l'appelant fournit : la
/// façon de servir un client.
pub fn serveur_avec(servir: fn(&mut UnixStream) -> Result<()>) -> Result<()> {
    let chemin = chemin();
    liberer_le_chemin(&chemin)?;
    let ecoute = ecouter(&chemin)?;
    arreter_sur_signal(&chemin)?;
    servir_sans_fin_avec(ecoute, servir)
}

/// Le client, une fois connecté : envoie l'octet, affiche la réponse.
pub fn echanger(flux: &mut UnixStream, octet: u8) -> Result<()> {
    flux.write_all(&[octet])?;
    println!("Le client a écrit : {}", lisible(octet));
    let mut reponse = [0u8; 1];
    flux.read_exact(&mut reponse)?;
    println!("Le serveur a renvoyé : {}", lisible(reponse[0]));
    Ok(())
}
