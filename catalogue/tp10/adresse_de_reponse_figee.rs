//! Règle enfreinte : R4 — répond toujours à l'adresse du premier client.
//!
//! Erreur volontaire : le serveur retient l'adresse du premier client
//! (« le » client) et lui envoie toutes les réponses, au lieu de répondre à
//! l'expéditeur de chaque datagramme.
//! Diagnostic attendu : `serveur_3_trois_clients` (le client 2 n'a rien reçu,
//! le client 1 a reçu les réponses des autres).

mod commun;

fn main() -> anyhow::Result<()> {
    let socket = commun::ouvrir_serveur()?;
    let mut tampon = vec![0u8; commun::TAILLE_MAX_DATAGRAMME];
    let mut le_client = None;
    loop {
        let (taille, expediteur) = socket.recv_from(&mut tampon)?;
        commun::afficher(&tampon[..taille], expediteur);
        // L'erreur : l'adresse de réponse est figée au premier datagramme.
        let destinataire = *le_client.get_or_insert(expediteur);
        socket.send_to(&(taille as u32).to_be_bytes(), destinataire)?;
    }
}
