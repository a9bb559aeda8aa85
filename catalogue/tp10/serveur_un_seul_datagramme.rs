//! Règle enfreinte : R6 — s'arrête après un seul datagramme.
//!
//! Erreur volontaire : le serveur traite un datagramme, répond, puis se
//! termine, comme le serveur TCP du TP09 après son unique client.
//! Diagnostic attendu : `serveur_3_trois_clients` (le serveur s'est arrêté).

mod commun;

fn main() -> anyhow::Result<()> {
    let socket = commun::ouvrir_serveur()?;
    let mut tampon = vec![0u8; commun::TAILLE_MAX_DATAGRAMME];
    // L'erreur : pas de boucle.
    let (taille, client) = socket.recv_from(&mut tampon)?;
    commun::afficher(&tampon[..taille], client);
    socket.send_to(&(taille as u32).to_be_bytes(), client)?;
    Ok(())
}
