//! Règle enfreinte : R10 — attend sa réponse sans délai.
//!
//! Erreur volontaire : le client attend sa réponse sans délai. Si la requête
//! ou la réponse se perd, recv_from bloque pour toujours.
//! Diagnostic attendu : `client_3_relance` (le client tourne encore et n'a
//! rien renvoyé).

mod commun;

fn main() -> anyhow::Result<()> {
    let requetes = commun::ouvrir_client()?;
    let requete = &requetes[0];
    requete.socket.send_to(&requete.message, requete.serveur)?;
    let mut tampon = [0u8; 4];
    // L'erreur : aucun set_read_timeout, donc ni relance, ni adresse suivante.
    loop {
        let (taille, de) = requete.socket.recv_from(&mut tampon)?;
        if taille == 4 && de == requete.serveur {
            println!("réponse : {}", u32::from_be_bytes(tampon));
            return Ok(());
        }
    }
}
