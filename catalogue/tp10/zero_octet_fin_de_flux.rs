//! Règle enfreinte : R7 — prend un datagramme vide pour une fin de flux et s'arrête.
//!
//! Erreur volontaire : une habitude de TCP. Le serveur prend un datagramme
//! de 0 octet pour une fin de flux et s'arrête. En UDP, il n'y a pas de flux
//! à terminer : c'est un datagramme vide, qui mérite sa réponse (0).
//! Diagnostic attendu : `serveur_4_datagramme_vide`.

mod commun;

fn main() -> anyhow::Result<()> {
    let socket = commun::ouvrir_serveur()?;
    let mut tampon = vec![0u8; commun::TAILLE_MAX_DATAGRAMME];
    loop {
        let (taille, client) = socket.recv_from(&mut tampon)?;
        // L'erreur : « 0 octet lu, le client a fermé ».
        if taille == 0 {
            return Ok(());
        }
        commun::afficher(&tampon[..taille], client);
        socket.send_to(&(taille as u32).to_be_bytes(), client)?;
    }
}
