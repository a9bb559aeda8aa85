//! Règle enfreinte : R12 — prend pour la réponse le premier datagramme venu, de n'importe qui.
//!
//! Erreur volontaire : le client prend pour la réponse le premier datagramme
//! de 4 octets qui arrive, sans regarder qui l'envoie. N'importe quel
//! programme qui connaît son port peut lui souffler une fausse réponse.
//! Diagnostic attendu : `client_4_datagramme_etranger` (« réponse : 4242 »).

mod commun;

use std::io;

fn main() -> anyhow::Result<()> {
    let requetes = commun::ouvrir_client()?;
    let mut tampon = [0u8; 4];
    for _ in 0..commun::ESSAIS {
        for requete in &requetes {
            requete.socket.set_read_timeout(Some(requete.delai))?;
            if let Err(e) = requete.socket.send_to(&requete.message, requete.serveur) {
                eprintln!("envoi impossible à {} : {e}", requete.serveur);
                continue;
            }
            // L'erreur : recv au lieu de recv_from, l'expéditeur est perdu.
            match requete.socket.recv(&mut tampon) {
                Ok(4) => {
                    println!("réponse : {}", u32::from_be_bytes(tampon));
                    return Ok(());
                }
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    anyhow::bail!("pas de réponse de {}", commun::adresses(&requetes))
}
