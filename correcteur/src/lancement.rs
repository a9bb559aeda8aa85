//! Lancer un processus sans emporter les sockets provisoires du correcteur.
//!
//! Lancer un processus, c'est d'abord copier le processus de test (fork),
//! donc toutes ses sockets, que l'enfant garde jusqu'à son exec (elles sont
//! toutes CLOEXEC). Sous charge, cet intervalle peut durer des
//! millisecondes. Une socket que le correcteur ouvre un instant pour
//! libérer ensuite le port (la sonde de `port_libre`, la socket d'écoute
//! qui laisse un TIME_WAIT au TP09) et qu'il ferme pendant cet intervalle
//! resterait ouverte dans l'enfant : le programme de l'étudiant, lancé
//! juste après sur ce port, le trouverait pris (vu une fois en 100
//! exécutions des preuves du TP09, charge 13).
//!
//! Un verrou lecture-écriture sépare les deux : les lancements le prennent
//! en lecture (ils ne s'excluent pas entre eux), une socket provisoire le
//! prend en écriture, de son ouverture à sa fermeture.

use std::io;
use std::process::{Child, Command, Output, Stdio};
use std::sync::RwLock;

static LANCEMENTS: RwLock<()> = RwLock::new(());

/// `commande.spawn()`, jamais pendant la vie d'une socket provisoire. Quand
/// `spawn` rend la main, l'enfant a fait son exec (ou a échoué) : il ne
/// tient plus aucune socket du correcteur.
pub fn lancer(commande: &mut Command) -> io::Result<Child> {
    let _pendant = LANCEMENTS.read().unwrap_or_else(|e| e.into_inner());
    commande.spawn()
}

/// `commande.output()` (entrée vide, sorties capturées), lancée comme
/// [`lancer`].
pub fn sortie_de(commande: &mut Command) -> io::Result<Output> {
    commande
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    lancer(commande)?.wait_with_output()
}

/// Exécute `f`, qui ouvre puis ferme des sockets provisoires, sans qu'aucun
/// processus ne soit lancé pendant ce temps. `f` ne lance rien elle-même.
pub fn sans_lancement<T>(f: impl FnOnce() -> T) -> T {
    let _pendant = LANCEMENTS.write().unwrap_or_else(|e| e.into_inner());
    f()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread;
    use std::time::Duration;

    /// Un lancement attend la fin de la socket provisoire ouverte avant lui.
    #[test]
    fn un_lancement_attend_la_fin_d_une_socket_provisoire() {
        let fermee = AtomicBool::new(false);
        let (pret, attendre) = std::sync::mpsc::channel();
        thread::scope(|s| {
            s.spawn(|| {
                sans_lancement(|| {
                    let _ecoute = TcpListener::bind("127.0.0.1:0").expect("bind");
                    pret.send(()).expect("canal");
                    thread::sleep(Duration::from_millis(100));
                    fermee.store(true, Ordering::SeqCst);
                })
            });
            attendre.recv().expect("canal");
            let mut enfant = lancer(&mut Command::new("true")).expect("true");
            assert!(fermee.load(Ordering::SeqCst), "lancé avant la fermeture");
            let _ = enfant.wait();
        });
    }

    #[test]
    fn sortie_de_capture_la_sortie() {
        let sortie = sortie_de(Command::new("echo").arg("bonjour")).expect("echo");
        assert_eq!(sortie.stdout, b"bonjour\n");
    }
}
