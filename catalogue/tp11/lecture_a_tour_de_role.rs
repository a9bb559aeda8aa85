//! Règle enfreinte : R4 — attend le clavier avant de lire la socket.
//!
//! Erreur volontaire : un seul fil, qui attend une ligne au clavier, l'envoie,
//! puis attend un datagramme, et recommence.
//!
//! Tant que personne ne tape, la socket n'est pas lue : un message du pair
//! reste en attente dans le noyau. Deux pairs écrits ainsi, chacun bloqué
//! dans recvfrom après avoir parlé, ou tous deux au clavier, s'attendent
//! l'un l'autre : un interblocage.
//! Diagnostic attendu : `pair_4_reception_sans_saisie` (« interblocage »).

mod commun;

use std::io::{self, BufRead};

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (socket, pair) = commun::ouvrir(port_local, &adresses)?;
    let mut tampon = vec![0u8; 65_507];
    // L'erreur : clavier puis socket, chacun à son tour, jamais les deux à la fois.
    for ligne in io::stdin().lock().lines() {
        let ligne = ligne?;
        socket.send_to(ligne.as_bytes(), pair)?;
        if ligne == "fin" {
            break;
        }
        let (taille, _) = socket.recv_from(&mut tampon)?;
        println!(
            "<< {}",
            commun::echapper(&String::from_utf8_lossy(&tampon[..taille]))
        );
    }
    Ok(())
}
