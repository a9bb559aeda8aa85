//! Erreur volontaire : le serveur envoie le compte dans l'ordre des octets
//! de la machine (petit-boutiste sur x86 et ARM), comme le `sendto(&r,
//! sizeof(int))` d'un serveur C naïf, au lieu de l'ordre du réseau.
//! Diagnostic attendu : `serveur_3_reponse_gros_boutiste` (« ordre des octets »).

mod commun;

fn main() -> anyhow::Result<()> {
    let socket = commun::ouvrir_serveur()?;
    let mut tampon = vec![0u8; commun::TAILLE_MAX_DATAGRAMME];
    loop {
        let (taille, client) = socket.recv_from(&mut tampon)?;
        commun::afficher(&tampon[..taille], client);
        // L'erreur : poids faible en premier.
        socket.send_to(&(taille as u32).to_le_bytes(), client)?;
    }
}
