//! Règle enfreinte : R16 — écrit tels quels les caractères de contrôle reçus (ESC, BEL, \r, \n).
//!
//! Erreur volontaire : le texte reçu passe par `String::from_utf8_lossy`,
//! comme le demande le chapitre, puis part tel quel vers le terminal. Un
//! datagramme qui contient `ESC ] 0 ; … BEL` change le titre de la fenêtre
//! de celui qui lance le serveur ; `ESC [ 2 J` lui efface l'écran.

mod commun;

fn main() -> anyhow::Result<()> {
    let socket = commun::ouvrir_serveur()?;
    let mut tampon = vec![0u8; commun::TAILLE_MAX_DATAGRAMME];
    loop {
        let (taille, client) = socket.recv_from(&mut tampon)?;
        // L'erreur : les octets du réseau vont au terminal sans être échappés.
        println!(
            "reçu de {client} : {}",
            String::from_utf8_lossy(&tampon[..taille])
        );
        socket.send_to(&(taille as u32).to_be_bytes(), client)?;
    }
}
