//! Règle enfreinte : R8 — reçoit dans un tampon de 1024 octets.
//!
//! Erreur volontaire : un tampon de 1024 octets, « bien assez pour un
//! message ». Un datagramme plus long est tronqué sans erreur : recv_from en
//! rend 1024 octets et le noyau jette le reste.
//! Diagnostic attendu : `serveur_4_grands_datagrammes` (compte tronqué).

mod commun;

fn main() -> anyhow::Result<()> {
    let socket = commun::ouvrir_serveur()?;
    // L'erreur : un tampon plus petit que le plus grand datagramme possible.
    let mut tampon = [0u8; 1024];
    loop {
        let (taille, client) = socket.recv_from(&mut tampon)?;
        commun::afficher(&tampon[..taille], client);
        socket.send_to(&(taille as u32).to_be_bytes(), client)?;
    }
}
