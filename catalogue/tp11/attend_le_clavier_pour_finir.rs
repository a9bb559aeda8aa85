//! Règle enfreinte : R7 — « fin » reçue attend encore une ligne au clavier.
//!
//! Erreur volontaire : à la réception de « fin », le fil de réception
//! s'arrête, sans prévenir main, qui attend encore une ligne au clavier.
//! « fin » tapée et la fin de l'entrée, elles, terminent bien le programme :
//! main rend la main, et le fil de réception s'arrête avec lui.
//!
//! Le programme ne se termine qu'à la prochaine ligne tapée : face à un
//! utilisateur qui lit « << fin » et attend, il reste bloqué.
//! Diagnostic attendu : `pair_4_fin_recue` (« tourne encore »).

mod commun;

use std::thread;

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (socket, pair) = commun::ouvrir(port_local, &adresses)?;
    let reception = socket.try_clone()?;
    // L'erreur : le fil de réception finit seul à « fin » reçue ; rien ne
    // prévient main, qui lit le clavier jusqu'à « fin » tapée ou la fin de
    // l'entrée.
    thread::spawn(move || commun::recevoir_du_pair(&reception, pair));
    commun::envoyer_les_lignes(&socket, pair)
}
