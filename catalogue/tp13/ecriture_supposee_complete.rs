//! Règle enfreinte : R8 — write() est supposé tout envoyer : le reste d'une écriture partielle est perdu.
//!
//! Erreur volontaire : l'écriture est supposée complète. Le programme
//! appelle write() une fois, ignore le nombre d'octets qu'il rend, et vide
//! son tampon de sortie quoi qu'il arrive.
//!
//! Tant que les clients lisent, le noyau prend tout et rien ne se voit. Un
//! client qui cesse de lire remplit le tampon d'émission de sa socket :
//! write() n'en prend plus qu'une partie, puis rend WouldBlock, et le reste
//! des réponses disparaît.
//! Diagnostic attendu : `serveur_6_client_qui_ne_lit_pas`.

mod commun;

use std::io::{self, Write};

struct EcritureSupposeeComplete;

impl commun::Variante for EcritureSupposeeComplete {
    fn envoyer(&self, connexion: &mut commun::Connexion) -> io::Result<()> {
        match connexion.flux.write(&connexion.sortie) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
        // L'erreur : ce que write() n'a pas pris est jeté avec le reste.
        connexion.sortie.clear();
        Ok(())
    }
}

fn main() -> io::Result<()> {
    commun::lancer(EcritureSupposeeComplete)
}
