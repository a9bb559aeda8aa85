//! Le « bar » : un client passe commande, le serveur accuse réception.
//!
//! C'est la version **itérative** : le serveur sert un client à la fois, du
//! début à la fin de sa visite (jusqu'à la commande `fin`), avant d'accepter
//! le suivant. Tant qu'un client traîne au comptoir, les autres attendent
//! dans la file de `listen`. Le TP12 rendra ce serveur concurrent.
//!
//! - `exemple-bar serveur [PORT]` : écoute sur 127.0.0.1 (port 1664 par
//!   défaut, 0 pour un port libre) et sert les clients les uns après les
//!   autres, jusqu'à ce qu'on l'arrête.
//! - `exemple-bar client [PORT]` : lit les commandes au clavier (une par
//!   ligne), les envoie et affiche chaque réponse ; `fin` termine la visite.
//!
//! Le protocole : chaque commande et chaque réponse tient sur une ligne,
//! terminée par `\n`. La réponse à `X` est
//! `vous m'avez demandé : X bien reçu 5 / 5`.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// Port par défaut du bar, le même dans tous les chapitres.
const PORT_PAR_DEFAUT: u16 = 1664;
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;
/// La commande qui termine la visite.
const FIN: &str = "fin";
/// Attente maximale d'une réponse, côté client. Généreuse : un serveur
/// itératif occupé par un autre client ne répond qu'après son départ.
const DELAI_CLIENT: Duration = Duration::from_secs(30);

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} serveur [PORT]\n        {nom} client [PORT]\n\
         Par défaut, PORT vaut {PORT_PAR_DEFAUT}."
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match args.get(1).map(|p| p.parse::<u16>()) {
        None => Ok(PORT_PAR_DEFAUT),
        Some(Ok(port)) => Ok(port),
        Some(Err(_)) => Err(format!("port invalide : « {} »", args[1])),
    };
    let resultat = match (args.first().map(String::as_str), port) {
        (_, Err(message)) => Err(message),
        (_, Ok(_)) if args.len() > 2 => Err("trop d'arguments".to_string()),
        (Some("serveur"), Ok(port)) => Ok(serveur(port)),
        (Some("client"), Ok(port)) => Ok(client(port)),
        (Some(autre), _) => Err(format!("rôle inconnu : « {autre} »")),
        (None, _) => Err("il manque le rôle : serveur ou client".to_string()),
    };
    match resultat {
        Err(message) => {
            eprintln!("erreur : {message}\n{}", usage());
            ExitCode::from(EX_USAGE)
        }
        Ok(Err(erreur)) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
        Ok(Ok(())) => ExitCode::SUCCESS,
    }
}

// ANCHOR: serveur
/// Le serveur itératif : un client après l'autre, pour toujours.
fn serveur(port: u16) -> Result<()> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .with_context(|| format!("impossible d'écouter sur le port {port}"))?;
    let port = ecoute.local_addr().context("adresse illisible")?.port();
    println!("Bar ouvert sur 127.0.0.1, port {port}");
    println!("(un client à la fois ; Ctrl+C pour fermer le bar)");
    loop {
        let (service, client) = ecoute.accept().context("échec de accept")?;
        println!("Client connecté depuis {client}");
        // Un client qui part sans prévenir ne doit pas fermer le bar.
        if let Err(e) = servir(service) {
            eprintln!("{client} : {e:#}");
        }
        println!("Client {client} parti");
    }
}

/// Sert un client : une réponse par commande, jusqu'à `fin`.
fn servir(service: TcpStream) -> Result<()> {
    // Un seul BufReader pour toute la visite : il garde ce qu'il a lu en
    // trop (le début de la commande suivante) pour l'appel d'après.
    let mut lecteur = BufReader::new(&service);
    let mut ecrivain = &service;
    loop {
        let mut octets = Vec::new();
        // La ligne est le message : on lit jusqu'au `\n`, quel que soit le
        // nombre de morceaux dans lesquels elle arrive.
        if lecteur
            .read_until(b'\n', &mut octets)
            .context("échec de la lecture d'une commande")?
            == 0
        {
            bail!("le client est parti sans dire « {FIN} »");
        }
        // Des octets qui ne sont pas de l'UTF-8 ne font pas tomber le
        // serveur : ils sont affichés avec des caractères de remplacement.
        let texte = String::from_utf8_lossy(&octets);
        let commande = texte.trim_end_matches(['\n', '\r']);
        println!("  commande : {commande}");
        let reponse = format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n");
        ecrivain
            .write_all(reponse.as_bytes())
            .context("échec de l'envoi de la réponse")?;
        if commande == FIN {
            return Ok(());
        }
    }
}
// ANCHOR_END: serveur

// ANCHOR: client
/// Le client : une ligne du clavier, une commande, une réponse.
fn client(port: u16) -> Result<()> {
    let serveur = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let flux = TcpStream::connect_timeout(&serveur, DELAI_CLIENT)
        .with_context(|| format!("impossible de se connecter à {serveur}"))?;
    flux.set_read_timeout(Some(DELAI_CLIENT))
        .context("impossible de régler le délai de lecture")?;
    println!("Connecté au bar (port {port}) ; « {FIN} » pour partir");

    let mut reponses = BufReader::new(&flux);
    let mut envoi = &flux;
    let mut clavier = io::stdin().lock();
    loop {
        print!("> ");
        io::stdout().flush().context("échec de l'affichage")?;
        let mut commande = String::new();
        // Fin de l'entrée (Ctrl+D, ou fichier épuisé) : on part poliment.
        if clavier
            .read_line(&mut commande)
            .context("échec de la lecture du clavier")?
            == 0
        {
            commande = FIN.to_string();
        }
        let commande = commande.trim_end_matches(['\n', '\r']);
        envoi
            .write_all(format!("{commande}\n").as_bytes())
            .context("échec de l'envoi de la commande")?;
        let mut reponse = String::new();
        if reponses
            .read_line(&mut reponse)
            .context("pas de réponse du serveur")?
            == 0
        {
            bail!("le serveur a fermé la connexion");
        }
        println!("{}", reponse.trim_end());
        if commande == FIN {
            break;
        }
    }
    println!("Au revoir");
    Ok(())
}
// ANCHOR_END: client
