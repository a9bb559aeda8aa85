//! Le serveur du TP09 : une socket d'écoute, un client, trois lignes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};

use anyhow::{Context, Result, bail};
use socket2::{Domain, Protocol, Socket, Type};

/// Connexions établies que le noyau garde en attente d'un accept().
const BACKLOG: i32 = 5;

/// Longueur maximale d'une ligne : au-delà, le client ne suit pas le protocole.
const LONGUEUR_MAX: u64 = 4096;

// ANCHOR: deroule
/// Le scénario du serveur, étape par étape.
pub fn lancer(port: u16) -> Result<()> {
    // Étape 1 : la socket d'écoute (socket, bind, listen).
    let ecoute = ouvrir_ecoute(port)?;
    let port = port_d_ecoute(&ecoute)?;
    println!("Le serveur écoute sur toutes les interfaces (0.0.0.0), port {port}");

    // Étape 2 : accepter un client et lui souhaiter la bienvenue.
    let (mut service, adresse) = accepter(&ecoute)?;
    println!("Client connecté depuis {adresse}");
    envoyer_bienvenue(&mut service, port)?;

    // Étape 3 : recevoir deux lignes et les afficher.
    for ligne in recevoir_deux_lignes(&service)? {
        println!("{ligne}");
    }

    // Étape 4 : fermer la connexion.
    fermer(service)?;
    println!("Connexion fermée.");
    Ok(())
}
// ANCHOR_END: deroule

// ANCHOR: etapes
/// Étape 1 : crée la socket, l'attache au port sur toutes les interfaces et
/// la met en écoute.
fn ouvrir_ecoute(port: u16) -> Result<Socket> {
    // socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) : le noyau crée la socket et
    // nous rend un descripteur. Elle n'a encore ni adresse ni port.
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))
        .context("impossible de créer la socket")?;
    // SO_REUSEADDR : sans lui, relancer le serveur juste après l'avoir arrêté
    // échoue tant que l'ancienne connexion est en TIME_WAIT (environ une minute).
    socket
        .set_reuse_address(true)
        .context("impossible d'activer SO_REUSEADDR")?;
    // bind : 0.0.0.0 (INADDR_ANY) accepte les connexions arrivant par toutes
    // les interfaces de la machine (en Python, on l'écrit "").
    let adresse = SocketAddr::from((Ipv4Addr::UNSPECIFIED, port));
    socket.bind(&adresse.into()).with_context(|| {
        format!(
            "impossible d'attacher la socket au port {port} (déjà pris par un autre programme ?)"
        )
    })?;
    // listen : la socket devient passive. Le noyau termine désormais seul les
    // poignées de main TCP et range les connexions établies dans une file.
    socket
        .listen(BACKLOG)
        .context("impossible de mettre la socket en écoute")?;
    Ok(socket)
}

/// Le port réellement attaché : avec le port 0, c'est le noyau qui l'a choisi.
fn port_d_ecoute(ecoute: &Socket) -> Result<u16> {
    let adresse = ecoute
        .local_addr()
        .context("impossible de lire l'adresse de la socket d'écoute")?;
    adresse
        .as_socket()
        .map(|a| a.port())
        .context("la socket d'écoute n'a pas d'adresse IP")
}

/// Étape 2 (a) : attend un client. accept() bloque tant que la file du
/// noyau est vide ; il rend une **nouvelle** socket, dite de service, dédiée
/// à ce client. La socket d'écoute, elle, reste prête pour d'autres.
fn accepter(ecoute: &Socket) -> Result<(TcpStream, SocketAddr)> {
    let (service, adresse) = ecoute
        .accept()
        .context("impossible d'accepter une connexion")?;
    let adresse = adresse
        .as_socket()
        .context("le client n'a pas d'adresse IP")?;
    // Une socket2::Socket devient un TcpStream de la bibliothèque standard :
    // même descripteur, mais avec Read et Write.
    Ok((service.into(), adresse))
}

/// Étape 2 (b) : envoie la bienvenue, terminée par `\n`.
fn envoyer_bienvenue(service: &mut TcpStream, port: u16) -> Result<()> {
    let ligne = format!("Bonjour Client, je suis le serveur {port}, la connexion est établie\n");
    // write peut n'envoyer qu'une partie des octets ; write_all recommence
    // jusqu'à ce que tout soit confié au noyau.
    service
        .write_all(ligne.as_bytes())
        .context("impossible d'envoyer la bienvenue au client")
}

/// Étape 3 : lit deux lignes.
///
/// TCP livre un flux d'octets sans frontières : un read() peut rendre un
/// bout de ligne, ou les deux lignes collées. Un seul BufReader, gardé pour
/// les deux lignes, découpe le flux aux `\n` et garde ce qui dépasse pour la
/// ligne suivante.
fn recevoir_deux_lignes(service: &TcpStream) -> Result<[String; 2]> {
    let mut lecteur = BufReader::new(service);
    let premiere = lire_ligne(&mut lecteur).context("première ligne du client")?;
    let seconde = lire_ligne(&mut lecteur).context("seconde ligne du client")?;
    Ok([premiere, seconde])
}

/// Lit une ligne terminée par `\n` et la rend sans son `\n`.
fn lire_ligne(lecteur: &mut impl BufRead) -> Result<String> {
    let mut octets = Vec::new();
    // take borne la lecture : un client qui n'envoie jamais de `\n` ne fera
    // pas grossir la mémoire du serveur indéfiniment.
    let lus = lecteur
        .take(LONGUEUR_MAX)
        .read_until(b'\n', &mut octets)
        .context("erreur de lecture sur la connexion")?;
    // 0 octet lu : fin de flux, le client a fermé sa connexion.
    if lus == 0 {
        bail!("le client a fermé la connexion sans l'envoyer");
    }
    if octets.pop() != Some(b'\n') {
        // Pas de « \n » : soit la borne est atteinte (ligne trop longue),
        // soit le flux s'est fini au milieu de la ligne (le client est parti).
        if lus as u64 == LONGUEUR_MAX {
            bail!("ligne trop longue : {LONGUEUR_MAX} octets reçus sans « \\n »");
        }
        bail!("le client a fermé la connexion au milieu d'une ligne ({lus} octets sans « \\n »)");
    }
    // Un client lancé avec `nc -C` termine ses lignes par « \r\n » : on l'accepte.
    if octets.last() == Some(&b'\r') {
        octets.pop();
    }
    String::from_utf8(octets).context("le client a envoyé des octets qui ne sont pas de l'UTF-8")
}

/// Étape 4 : ferme la socket de service. close(2) rend le descripteur ; le
/// noyau termine la connexion (FIN) et le client lira 0 octet : la fin de flux.
fn fermer(service: TcpStream) -> Result<()> {
    drop(service);
    Ok(())
}
// ANCHOR_END: etapes
