//! Le service daytime : un serveur qui donne l'heure, et ses deux clients.
//!
//! Le service daytime est l'un des plus simples qui soient : le client se
//! présente, le serveur lui répond par une ligne de texte donnant la date et
//! l'heure, et c'est tout. Il existe en TCP comme en UDP, sur le port 13
//! (voir `/etc/services`). Un port inférieur à 1024 est réservé à root : cet
//! exemple prend donc son port en argument (1313 par défaut).
//!
//! - `exemple-daytime serveur [PORT]` : sert daytime en TCP **et** en UDP, sur
//!   127.0.0.1 et sur le même numéro de port, jusqu'à ce qu'on l'arrête ;
//!   avec le port 0, le système choisit un port libre, que le serveur affiche.
//! - `exemple-daytime client-tcp [PORT]` : se connecte, lit la réponse jusqu'à
//!   la fin du flux et l'affiche.
//! - `exemple-daytime client-udp [PORT]` : envoie un datagramme (son contenu
//!   est ignoré) et affiche le datagramme reçu en réponse.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow};

/// Port par défaut : 13 est celui du service, mais il faudrait être root.
const PORT_PAR_DEFAUT: u16 = 1313;
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;
/// Attente maximale d'une réponse, côté client.
const DELAI_CLIENT: Duration = Duration::from_secs(3);
/// Taille maximale d'une réponse, comme le `MAXMSG` des clients C.
const TAILLE_MAX: usize = 1024;

fn usage() -> String {
    let nom = env!("CARGO_BIN_NAME");
    format!(
        "usage : {nom} serveur [PORT]\n        {nom} client-tcp [PORT]\n        \
         {nom} client-udp [PORT]\nPar défaut, PORT vaut {PORT_PAR_DEFAUT}."
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let role = args.first().map(String::as_str);
    let port = match args.get(1).map(|p| p.parse::<u16>()) {
        None => Ok(PORT_PAR_DEFAUT),
        Some(Ok(port)) => Ok(port),
        Some(Err(_)) => Err(format!("port invalide : « {} »", args[1])),
    };
    let resultat = match (role, port) {
        (_, Err(message)) => Err(message),
        (_, Ok(_)) if args.len() > 2 => Err("trop d'arguments".to_string()),
        (Some("serveur"), Ok(port)) => Ok(serveur(port)),
        (Some("client-tcp"), Ok(port)) => Ok(client_tcp(port)),
        (Some("client-udp"), Ok(port)) => Ok(client_udp(port)),
        (Some(autre), _) => Err(format!("rôle inconnu : « {autre} »")),
        (None, _) => Err("il manque le rôle".to_string()),
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

/// Le serveur : une socket TCP et une socket UDP, chacune servie par son
/// propre thread, chacune de façon itérative (un client après l'autre).
fn serveur(port: u16) -> Result<()> {
    let tcp = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .with_context(|| format!("impossible d'écouter en TCP sur le port {port}"))?;
    // Le port TCP et le port UDP sont deux objets distincts : le même numéro
    // peut être libre dans l'un et pris dans l'autre. On reprend ici le
    // numéro obtenu en TCP (utile quand le port demandé était 0).
    let port = tcp.local_addr().context("adresse TCP illisible")?.port();
    let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, port))
        .with_context(|| format!("impossible d'écouter en UDP sur le port {port}"))?;
    println!("Service daytime sur 127.0.0.1, port {port} (TCP et UDP)");

    let fil_udp = thread::spawn(move || servir_udp(&udp));
    servir_tcp(&tcp)?;
    fil_udp
        .join()
        .map_err(|_| anyhow!("le thread UDP a paniqué"))?
}

// ANCHOR: serveur_tcp
/// En TCP, la connexion suffit à formuler la demande : le serveur n'a rien à
/// lire. Il écrit la date, puis ferme, et c'est cette fermeture qui dit au
/// client que la réponse est complète.
fn servir_tcp(ecoute: &TcpListener) -> Result<()> {
    loop {
        let (mut service, client) = ecoute.accept().context("échec de accept")?;
        let reponse = format!("{}\n", date_du_jour());
        // Un client pressé peut déjà être reparti : ce n'est pas une raison
        // pour arrêter le service des suivants.
        if let Err(e) = service.write_all(reponse.as_bytes()) {
            eprintln!("TCP : réponse perdue pour {client} : {e}");
        }
        println!("TCP : date envoyée à {client}");
        // `service` est lâché ici : close(), le client lira la fin du flux.
    }
}
// ANCHOR_END: serveur_tcp

// ANCHOR: serveur_udp
/// En UDP, il n'y a pas de connexion : le client doit envoyer un datagramme
/// pour se signaler, et `recv_from` donne l'adresse à qui répondre.
fn servir_udp(socket: &UdpSocket) -> Result<()> {
    let mut tampon = [0u8; TAILLE_MAX];
    loop {
        let (_taille, client) = socket
            .recv_from(&mut tampon)
            .context("échec de recv_from")?;
        let reponse = format!("{}\n", date_du_jour());
        if let Err(e) = socket.send_to(reponse.as_bytes(), client) {
            eprintln!("UDP : réponse perdue pour {client} : {e}");
        }
        println!("UDP : date envoyée à {client}");
    }
}
// ANCHOR_END: serveur_udp

// ANCHOR: client_tcp
/// Le client TCP : se connecter, lire jusqu'à la fin du flux, afficher.
fn client_tcp(port: u16) -> Result<()> {
    let serveur = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut flux = TcpStream::connect_timeout(&serveur, DELAI_CLIENT)
        .with_context(|| format!("impossible de se connecter à {serveur}"))?;
    flux.set_read_timeout(Some(DELAI_CLIENT))
        .context("impossible de régler le délai de lecture")?;
    // Le serveur ferme après avoir écrit : lire jusqu'à la fin du flux
    // (read renvoie 0) garantit d'avoir toute la réponse, même si elle
    // arrivait en plusieurs morceaux. `take` borne ce qu'on accepte de lire.
    let mut reponse = String::new();
    (&mut flux)
        .take(TAILLE_MAX as u64)
        .read_to_string(&mut reponse)
        .context("échec de la lecture de la réponse")?;
    println!("{serveur} (TCP) : {}", reponse.trim_end());
    Ok(())
}
// ANCHOR_END: client_tcp

// ANCHOR: client_udp
/// Le client UDP : un datagramme pour se signaler, un datagramme en retour.
fn client_udp(port: u16) -> Result<()> {
    let serveur = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    // Port 0 : le client n'a pas besoin d'un port connu, le noyau en choisit
    // un, que le serveur lira dans l'adresse de l'expéditeur.
    let socket =
        UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).context("impossible de créer la socket UDP")?;
    // Sans délai, recv_from attendrait pour toujours une réponse perdue :
    // UDP ne prévient de rien.
    socket
        .set_read_timeout(Some(DELAI_CLIENT))
        .context("impossible de régler le délai de lecture")?;
    socket
        .send_to(b"?", serveur)
        .with_context(|| format!("impossible d'envoyer la demande à {serveur}"))?;
    let mut tampon = [0u8; TAILLE_MAX];
    let (taille, _expediteur) = socket.recv_from(&mut tampon).with_context(|| {
        format!("pas de réponse de {serveur} (serveur absent ou datagramme perdu)")
    })?;
    let reponse = String::from_utf8_lossy(&tampon[..taille]);
    println!("{serveur} (UDP) : {}", reponse.trim_end());
    Ok(())
}
// ANCHOR_END: client_udp

/// La date et l'heure courantes (temps universel), sans bibliothèque
/// externe : « 2025-03-14 09:26:53 UTC ». Le protocole daytime ne fixe aucun
/// format ; celui-ci a l'avantage d'être lisible et de se trier.
fn date_du_jour() -> String {
    let secondes = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (jours, reste) = (secondes / 86_400, secondes % 86_400);
    let (annee, mois, jour) = date_civile(jours as i64);
    format!(
        "{annee:04}-{mois:02}-{jour:02} {:02}:{:02}:{:02} UTC",
        reste / 3600,
        reste % 3600 / 60,
        reste % 60
    )
}

/// Convertit un nombre de jours depuis le 1er janvier 1970 en (année, mois,
/// jour) du calendrier grégorien (algorithme « days from civil » inversé,
/// qui compte en ères de 400 ans commençant un 1er mars).
fn date_civile(jours: i64) -> (i64, u32, u32) {
    let z = jours + 719_468;
    let ere = z.div_euclid(146_097);
    let jour_de_l_ere = z.rem_euclid(146_097);
    let annee_de_l_ere = (jour_de_l_ere - jour_de_l_ere / 1460 + jour_de_l_ere / 36_524
        - jour_de_l_ere / 146_096)
        / 365;
    let jour_de_l_annee =
        jour_de_l_ere - (365 * annee_de_l_ere + annee_de_l_ere / 4 - annee_de_l_ere / 100);
    let mois_decale = (5 * jour_de_l_annee + 2) / 153;
    let jour = (jour_de_l_annee - (153 * mois_decale + 2) / 5 + 1) as u32;
    let mois = if mois_decale < 10 {
        mois_decale + 3
    } else {
        mois_decale - 9
    } as u32;
    let annee = annee_de_l_ere + ere * 400 + i64::from(mois <= 2);
    (annee, mois, jour)
}
