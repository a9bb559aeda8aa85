//! Ce que les solutions fausses du TP09 font correctement : lire leurs
//! arguments, écouter ou se connecter, annoncer, lire et écrire les lignes
//! du protocole. Chaque programme du catalogue n'a ainsi dans son propre
//! fichier que son erreur.
//!
//! (Chaque programme n'utilise qu'une partie de ce module.)
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

use anyhow::{Context, bail};

/// Le port du chapitre, quand aucun n'est donné.
pub const PORT_PAR_DEFAUT: u16 = 65432;
/// La longueur maximale d'une ligne, `\n` compris.
pub const LONGUEUR_MAX: u64 = 4096;

/// Le port demandé : `NOM serveur [PORT]`.
pub fn port_demande() -> u16 {
    std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(PORT_PAR_DEFAUT)
}

/// Annonce l'écoute, avec le port réellement attaché.
pub fn annoncer(port: u16) {
    println!("Le serveur écoute sur toutes les interfaces (0.0.0.0), port {port}");
}

/// Écoute sur toutes les interfaces, au port demandé, et l'annonce ; rend
/// la socket d'écoute et le port réellement attaché.
pub fn ecouter() -> anyhow::Result<(TcpListener, u16)> {
    let ecoute = TcpListener::bind(("0.0.0.0", port_demande())).context("bind impossible")?;
    let port = ecoute.local_addr()?.port();
    annoncer(port);
    Ok((ecoute, port))
}

/// Accepte un client sur `ecoute` et affiche son adresse.
pub fn accepter(ecoute: &TcpListener) -> anyhow::Result<TcpStream> {
    let (service, adresse) = ecoute.accept().context("accept impossible")?;
    println!("Client connecté depuis {adresse}");
    Ok(service)
}

/// `NOM serveur [PORT]` : écoute, annonce, accepte un client ; rend la
/// socket de service et le port réellement attaché.
pub fn accepter_un_client() -> anyhow::Result<(TcpStream, u16)> {
    let (ecoute, port) = ecouter()?;
    Ok((accepter(&ecoute)?, port))
}

/// Lit une ligne comme le chapitre le demande : au plus 4096 octets,
/// `\n` compris, sans son `\r\n` ou `\n`, en UTF-8 ; une erreur sinon.
pub fn lire_ligne(lecteur: &mut impl BufRead) -> anyhow::Result<String> {
    let mut octets = Vec::new();
    let lus = lecteur.take(LONGUEUR_MAX).read_until(b'\n', &mut octets)?;
    if lus == 0 {
        bail!("le client est parti sans envoyer sa ligne");
    }
    if octets.pop() != Some(b'\n') {
        bail!("ligne incomplète ou trop longue");
    }
    if octets.last() == Some(&b'\r') {
        octets.pop();
    }
    String::from_utf8(octets).context("pas de l'UTF-8")
}

/// Le serveur du chapitre après la bienvenue : deux lignes affichées, puis
/// la fermeture.
pub fn servir_deux_lignes(service: TcpStream) -> anyhow::Result<()> {
    let mut lecteur = BufReader::new(&service);
    for _ in 0..2 {
        println!("{}", lire_ligne(&mut lecteur)?);
    }
    drop(lecteur);
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}

/// `NOM client [HÔTE] [PORT]` : l'hôte et le port demandés.
pub fn hote_et_port() -> (String, u16) {
    let hote = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "localhost".into());
    let port = std::env::args()
        .nth(3)
        .and_then(|p| p.parse().ok())
        .unwrap_or(PORT_PAR_DEFAUT);
    (hote, port)
}

/// `NOM client [HÔTE] [PORT]` : se connecte au serveur et affiche son adresse.
pub fn se_connecter() -> anyhow::Result<(TcpStream, u16)> {
    let (hote, port) = hote_et_port();
    let flux = TcpStream::connect((hote.as_str(), port))
        .with_context(|| format!("impossible de se connecter à {hote}:{port}"))?;
    println!("Connecté au serveur {}", flux.peer_addr()?);
    Ok((flux, port))
}

/// Lit la bienvenue entière et l'affiche ; une erreur si le serveur part avant.
pub fn recevoir_bienvenue(flux: &TcpStream) -> anyhow::Result<()> {
    let mut ligne = String::new();
    BufReader::new(flux).read_line(&mut ligne)?;
    if !ligne.ends_with('\n') {
        bail!("le serveur est parti avant la fin de la bienvenue");
    }
    println!("{}", ligne.trim_end_matches(['\n', '\r']));
    Ok(())
}

/// Envoie les deux lignes du client.
pub fn envoyer_lignes(flux: &mut TcpStream, port: u16) -> anyhow::Result<()> {
    for ligne in lignes_du_client(port) {
        flux.write_all(ligne.as_bytes())?;
    }
    Ok(())
}

/// La ligne de bienvenue du serveur.
pub fn bienvenue(port: u16) -> String {
    format!("Bonjour Client, je suis le serveur {port}, la connexion est établie\n")
}

/// Les deux lignes du client.
pub fn lignes_du_client(port: u16) -> [String; 2] {
    [
        format!("Bonjour Serveur {port}, nous sommes donc dans la phase de transfert\n"),
        format!("Serveur {port}, je vous dis au revoir\n"),
    ]
}
