//! Règle enfreinte : R5 — socket connectée, ne signale pas les intrus.
//!
//! Erreur volontaire : la socket est « connectée » au pair (`connect` sur
//! une socket UDP), et le programme ne regarde plus d'où viennent les
//! datagrammes.
//!
//! Le noyau ne lui remet alors que ceux du pair : les intrus disparaissent
//! sans que personne ne le sache. Le chapitre demande de les signaler.
//! Diagnostic attendu : `pair_4_intrus` (« aucun avertissement »).

mod commun;

use std::net::{SocketAddr, UdpSocket};

fn recevoir_sans_regarder(socket: &UdpSocket, _pair: SocketAddr) -> anyhow::Result<()> {
    let mut tampon = vec![0u8; 65_507];
    loop {
        // L'erreur : recv sans adresse ; le filtre du noyau est muet.
        let taille = socket.recv(&mut tampon)?;
        let message = String::from_utf8_lossy(&tampon[..taille]);
        println!("<< {}", commun::echapper(&message));
        if message == "fin" {
            return Ok(());
        }
    }
}

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (socket, pair) = commun::ouvrir(port_local, &adresses)?;
    socket.connect(pair)?;
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        commun::envoyer_les_lignes,
        recevoir_sans_regarder,
    )
}
