//! L'outil de charge (`cargo charge`) contre les corrigés des TP12, TP13 et TP15 :
//! cinq clients servis ensemble, chaque réponse vérifiée. (Les tests du
//! paquet `performances` n'utilisent que ce que les étudiants ont aussi ;
//! les corrigés, eux, ne sont que dans ce dépôt.)

// Seul `binaire` sert ici ; le reste du module est pour les correcteurs.
#[allow(dead_code, unused_macros)]
mod commun;

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Un serveur lancé pour un test ; tué et attendu quand on le lâche.
struct Serveur(Child);

impl Drop for Serveur {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Lance le corrigé `binaire serveur PORT` et attend qu'il accepte (10 s au plus).
fn lancer(binaire: &str) -> (Serveur, SocketAddr) {
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|e| e.local_addr())
        .expect("aucun port libre")
        .port();
    let enfant = Command::new(commun::binaire(binaire))
        .args(["serveur", &port.to_string(), "--max-clients", "50"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("impossible de lancer {binaire} : {e}"));
    let mut serveur = Serveur(enfant);
    let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let limite = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect_timeout(&adresse, Duration::from_millis(200)).is_err() {
        if let Ok(Some(statut)) = serveur.0.try_wait() {
            panic!("{binaire} s'est arrêté au démarrage ({statut})");
        }
        assert!(Instant::now() < limite, "{binaire} n'écoute toujours pas");
        std::thread::sleep(Duration::from_millis(20));
    }
    (serveur, adresse)
}

/// Cinq clients, quatre commandes chacun, au rendez-vous : le bilan JSON de l'outil.
fn charger(binaire: &str) -> serde_json::Value {
    let (_serveur, adresse) = lancer(binaire);
    let sortie = Command::new(commun::binaire("charge"))
        .args([
            "-c",
            "5",
            "-n",
            "4",
            "--format",
            "json",
            &adresse.to_string(),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("impossible de lancer charge");
    assert!(sortie.status.success(), "{sortie:?}");
    let texte = String::from_utf8_lossy(&sortie.stdout);
    serde_json::from_str(texte.trim()).unwrap_or_else(|e| panic!("bilan illisible ({e}) : {texte}"))
}

fn verifier_bilan(bilan: &serde_json::Value) {
    assert_eq!(bilan["requetes_prevues"], 20, "{bilan}");
    assert_eq!(bilan["reponses_justes"], 20, "{bilan}");
    assert_eq!(bilan["clients_en_erreur"], 0, "{bilan}");
    // Avec le rendez-vous, les cinq clients sont servis en même temps.
    assert_eq!(bilan["pic_clients_servis"], 5, "{bilan}");
    assert_eq!(bilan["reussi"], true, "{bilan}");
}

#[test]
fn charge_le_corrige_du_tp12() {
    verifier_bilan(&charger("tp12-corrige"));
}

#[test]
fn charge_le_corrige_du_tp13() {
    verifier_bilan(&charger("tp13-corrige"));
}

#[test]
fn charge_le_corrige_du_tp15() {
    verifier_bilan(&charger("tp15-corrige"));
}
