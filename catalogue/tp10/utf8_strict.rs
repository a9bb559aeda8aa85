//! Règle enfreinte : R3 — s'arrête sur un datagramme qui n'est pas de l'UTF-8.
//!
//! Erreur volontaire : le texte est converti par `String::from_utf8(…)?` ; un
//! datagramme invalide fait sortir main en erreur au lieu d'être affiché
//! avec des `�`.

mod commun;

fn main() -> anyhow::Result<()> {
    let socket = commun::ouvrir_serveur()?;
    let mut tampon = vec![0u8; commun::TAILLE_MAX_DATAGRAMME];
    loop {
        let (taille, client) = socket.recv_from(&mut tampon)?;
        // L'erreur : de l'UTF-8 exigé d'octets quelconques.
        let texte = String::from_utf8(tampon[..taille].to_vec())?;
        println!("reçu de {client} : {}", commun::echapper(&texte));
        socket.send_to(&(taille as u32).to_be_bytes(), client)?;
    }
}
