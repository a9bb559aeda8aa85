//! Règle enfreinte : R7 — « fin » reçue attend encore une ligne au clavier.
//!
//! Erreur volontaire : à la réception de « fin », le fil de réception
//! s'arrête, mais main attend encore une ligne au clavier avant de le
//! rejoindre (`join`).
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
    let fil = thread::spawn(move || commun::recevoir_du_pair(&reception, pair));
    // L'erreur : main lit le clavier jusqu'au bout, quoi que reçoive l'autre fil.
    commun::envoyer_les_lignes(&socket, pair)?;
    fil.join()
        .map_err(|_| anyhow::anyhow!("le fil de réception a paniqué"))?
}
