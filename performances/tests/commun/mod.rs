//! Ce que partagent les tests du paquet : lancer un serveur sur un port
//! libre (tué et attendu à la fin), lancer l'outil de charge.

#![allow(dead_code)] // chaque fichier de tests n'utilise qu'une partie de ce module

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Un serveur lancé pour un test ; tué et attendu quand on le lâche.
pub struct Serveur {
    pub enfant: Child,
    pub adresse: SocketAddr,
}

impl Drop for Serveur {
    fn drop(&mut self) {
        let _ = self.enfant.kill();
        let _ = self.enfant.wait();
    }
}

/// Un port libre de la boucle locale (le noyau choisit, on rend la socket).
pub fn port_libre() -> u16 {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("aucun port libre");
    ecoute.local_addr().expect("port illisible").port()
}

/// Lance `programme args…` et attend qu'il accepte une connexion (10 s au plus).
pub fn lancer_sur(programme: &Path, args: &[&str], port: u16) -> Serveur {
    let enfant = Command::new(programme)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("impossible de lancer {} : {e}", programme.display()));
    let mut serveur = Serveur {
        enfant,
        adresse: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
    };
    attendre_pret(&mut serveur);
    serveur
}

/// Lance un script Python du paquet sur le port 0 et lit le port qu'il
/// annonce sur sa première ligne (`… 127.0.0.1:PORT`).
pub fn lancer_python(script: &str) -> Serveur {
    let chemin = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("python")
        .join(script);
    let mut enfant = Command::new("python3")
        .arg(&chemin)
        .arg("0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 introuvable : il est nécessaire aux tests (voir le README)");
    let sortie = enfant.stdout.take().expect("sortie du serveur");
    let mut lecteur = BufReader::new(sortie);
    let mut premiere = String::new();
    lecteur
        .read_line(&mut premiere)
        .expect("première ligne du serveur Python");
    // Le serveur écrit une ligne par commande : son tube doit rester ouvert
    // et lu (fermé, ses print() échoueraient). Le fil finit avec le serveur.
    std::thread::spawn(move || std::io::copy(&mut lecteur, &mut std::io::sink()));
    let port = premiere
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or_else(|| panic!("port introuvable dans « {premiere} »"));
    let mut serveur = Serveur {
        enfant,
        adresse: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
    };
    attendre_pret(&mut serveur);
    serveur
}

fn attendre_pret(serveur: &mut Serveur) {
    let limite = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(Some(statut)) = serveur.enfant.try_wait() {
            panic!("le serveur s'est arrêté au démarrage ({statut})");
        }
        if TcpStream::connect_timeout(&serveur.adresse, Duration::from_millis(200)).is_ok() {
            return;
        }
        assert!(Instant::now() < limite, "le serveur n'écoute toujours pas");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// L'outil de charge avec ces arguments ; sa sortie complète.
pub fn charge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charge"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("impossible de lancer charge")
}

/// La ligne JSON du bilan, lue comme un objet.
pub fn bilan_json(sortie: &Output) -> serde_json::Value {
    let texte = String::from_utf8_lossy(&sortie.stdout);
    serde_json::from_str(texte.trim()).unwrap_or_else(|e| {
        panic!(
            "bilan JSON illisible ({e}) : {texte}\nsortie d'erreur : {}",
            String::from_utf8_lossy(&sortie.stderr)
        )
    })
}
