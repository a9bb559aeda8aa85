//! Règle enfreinte : R2 — affiche le texte reçu sans l'adresse de l'expéditeur.
//!
//! Erreur volontaire : le serveur affiche « reçu : TEXTE », comme si un seul
//! client pouvait lui écrire ; il répond pourtant correctement.

mod commun;

fn main() -> anyhow::Result<()> {
    let socket = commun::ouvrir_serveur()?;
    let mut tampon = vec![0u8; commun::TAILLE_MAX_DATAGRAMME];
    loop {
        let (taille, client) = socket.recv_from(&mut tampon)?;
        // L'erreur : l'adresse de l'expéditeur manque à l'affichage.
        let texte = String::from_utf8_lossy(&tampon[..taille]);
        println!("reçu : {}", commun::echapper(&texte));
        socket.send_to(&(taille as u32).to_be_bytes(), client)?;
    }
}
