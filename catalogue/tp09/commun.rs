//! Ce que les solutions fausses du TP09 font correctement : lire leurs
//! arguments, ouvrir la connexion, écrire les lignes du protocole. Chaque
//! programme du catalogue n'a ainsi dans son propre fichier que son erreur.
//!
//! (Chaque programme n'utilise qu'une partie de ce module.)
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};

/// Le port du chapitre, quand aucun n'est donné.
const PORT_PAR_DEFAUT: u16 = 65432;

/// `NOM serveur [PORT]` : écoute sur toutes les interfaces, accepte un
/// client ; rend la socket de service et le port.
pub fn accepter_un_client() -> anyhow::Result<(TcpStream, u16)> {
    let port = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(PORT_PAR_DEFAUT);
    let ecoute = TcpListener::bind(("0.0.0.0", port))?;
    let (service, _) = ecoute.accept()?;
    Ok((service, port))
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

/// `NOM client [HÔTE] [PORT]` : se connecte au serveur.
pub fn se_connecter() -> anyhow::Result<(TcpStream, u16)> {
    let (hote, port) = hote_et_port();
    Ok((TcpStream::connect((hote.as_str(), port))?, port))
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
