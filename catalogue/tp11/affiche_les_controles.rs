//! Règle enfreinte : R10 — écrit tels quels les caractères de contrôle reçus du pair (ESC, BEL, \r, \n).
//!
//! Erreur volontaire : le message du pair passe par
//! `String::from_utf8_lossy`, comme le demande le chapitre, puis part tel
//! quel vers le terminal. Le pair (ou n'importe qui sur la machine) peut
//! changer le titre de la fenêtre (`ESC ] 0 ; … BEL`), effacer l'écran
//! (`ESC [ 2 J`) ou, avec un `\n`, inventer une ligne `<< …`.
//!
//! Diagnostic attendu : `pair_4_caracteres_de_controle` (« tels quels »).

mod commun;

use std::net::{SocketAddr, UdpSocket};

/// Comme `commun::recevoir_du_pair`, sans l'échappement.
fn recevoir_sans_echapper(socket: &UdpSocket, pair: SocketAddr) -> anyhow::Result<()> {
    let mut tampon = vec![0u8; 65_507];
    loop {
        let (taille, expediteur) = socket.recv_from(&mut tampon)?;
        if expediteur != pair {
            eprintln!("avertissement : datagramme de {expediteur} ignoré");
            continue;
        }
        let message = String::from_utf8_lossy(&tampon[..taille]);
        // L'erreur : les octets du pair vont au terminal sans être échappés.
        println!("<< {message}");
        if message == "fin" {
            return Ok(());
        }
    }
}

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (socket, pair) = commun::ouvrir(port_local, &adresses)?;
    let reception = socket.try_clone()?;
    commun::converser(
        socket,
        reception,
        pair,
        commun::envoyer_les_lignes,
        recevoir_sans_echapper,
    )
}
