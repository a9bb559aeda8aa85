//! Résoudre un nom en adresses de sockets, avec `ToSocketAddrs`.
//!
//! Cet exemple accompagne le chapitre « Nommer une socket ». Un client
//! connaît le plus souvent son serveur par un **nom** (`localhost`,
//! `www.exemple.fr`) et un port. Avant de se connecter, il faut traduire ce
//! nom en une ou plusieurs adresses IP : c'est la **résolution de noms**. En
//! C, on appelle `getaddrinfo` (ou, dans les vieux programmes,
//! `gethostbyname`) ; en Rust, le trait `ToSocketAddrs` le fait, et
//! `TcpStream::connect` ou `UdpSocket::send_to` l'appellent pour vous.
//!
//! Seuls des noms de la machine elle-même sont résolus ici : `localhost`, qui
//! se trouve dans `/etc/hosts`, et des adresses écrites en chiffres, qui ne
//! demandent aucune recherche. Aucun serveur de noms n'est interrogé.
//!
//! Lancement : `cargo run -p exemples --bin exemple-resolution`

use std::net::{SocketAddr, ToSocketAddrs};

/// Les chaînes « hôte:port » résolues, dont deux incorrectes.
const CHAINES: [&str; 5] = [
    "localhost:65432",
    "127.0.0.1:65432",
    "[::1]:65432",
    "localhost",
    "127.0.0.1:70000",
];

/// Les noms résolus en couple (nom, port).
const NOMS: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

fn main() {
    println!("1. Des chaînes « hôte:port »");
    for demande in CHAINES {
        resoudre(demande);
    }

    println!();
    println!("2. Des couples (nom, port), comme dans TcpStream::connect((nom, 7))");
    // ANCHOR: couple
    // Le nom et le port séparés : pas besoin de fabriquer une chaîne, ni de
    // mettre une adresse IPv6 entre crochets.
    for nom in NOMS {
        match (nom, 7).to_socket_addrs() {
            Ok(adresses) => {
                let liste: Vec<String> = adresses.map(|a| a.to_string()).collect();
                println!("  ({nom:?}, 7) → {}", liste.join(", "));
            }
            Err(erreur) => println!("  ({nom:?}, 7) → échec : {erreur}"),
        }
    }
    // ANCHOR_END: couple
}

// ANCHOR: resoudre
/// Résout `demande` et affiche chaque adresse obtenue, ou l'erreur.
fn resoudre(demande: &str) {
    // `to_socket_addrs` essaie d'abord de lire une adresse écrite en
    // chiffres ; sinon, il sépare le nom du port et demande au système de
    // résoudre le nom (getaddrinfo). Un nom peut donner plusieurs adresses,
    // par exemple une IPv6 et une IPv4 : d'où un itérateur.
    match demande.to_socket_addrs() {
        Ok(adresses) => {
            let adresses: Vec<SocketAddr> = adresses.collect();
            println!("  {demande:<16} → {} adresse(s)", adresses.len());
            for adresse in adresses {
                let famille = if adresse.is_ipv4() { "IPv4" } else { "IPv6" };
                println!(
                    "      {famille} : ip {}, port {}",
                    adresse.ip(),
                    adresse.port()
                );
            }
        }
        // Pas de port, port hors de 0..=65535, nom inconnu : le système le
        // signale par une erreur, que le programme doit afficher.
        Err(erreur) => println!("  {demande:<16} → échec : {erreur}"),
    }
}
// ANCHOR_END: resoudre
