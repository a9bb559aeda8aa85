//! Règle enfreinte : R4 — attend le clavier avant de lire la socket.
//!
//! Erreur volontaire : un seul fil, qui attend une ligne au clavier, l'envoie,
//! puis relève les datagrammes arrivés entre-temps (socket non bloquante), et
//! recommence.
//!
//! Chaque ligne tapée part aussitôt, mais tant que personne ne tape, la socket
//! n'est pas lue : un message du pair reste en attente dans le noyau, « fin »
//! reçue comprise. Deux pairs écrits ainsi ne voient les messages de l'autre
//! qu'en parlant eux-mêmes.
//! Diagnostic attendu : `pair_4_reception_sans_saisie` (« interblocage »).

mod commun;

use std::io::{self, BufRead};

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (socket, pair) = commun::ouvrir(port_local, &adresses)?;
    socket.set_nonblocking(true)?;
    let mut tampon = vec![0u8; 65_507];
    // L'erreur : clavier puis socket, chacun à son tour, jamais les deux à la fois.
    for ligne in io::stdin().lock().lines() {
        let ligne = ligne?;
        socket.send_to(ligne.as_bytes(), pair)?;
        if ligne == "fin" {
            break;
        }
        // Les datagrammes arrivés pendant l'attente du clavier, puis retour au clavier.
        loop {
            let (taille, expediteur) = match socket.recv_from(&mut tampon) {
                Ok(recu) => recu,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e.into()),
            };
            if expediteur != pair {
                eprintln!("avertissement : datagramme de {expediteur} ignoré");
                continue;
            }
            let message = String::from_utf8_lossy(&tampon[..taille]);
            println!("<< {}", commun::echapper(&message));
            if message == "fin" {
                return Ok(());
            }
        }
    }
    Ok(())
}
