//! Combien de votes par seconde le corrigé accepte-t-il, journal compris ?
//!
//! `cargo bench -p tp14-corrige` lance le serveur (compilé en mode release)
//! sur la boucle locale, avec un journal dans le dossier temporaire du
//! système, puis 200 électeurs connectés en même temps votent chacun
//! `VOTES_PAR_CONNEXION` fois, chaque fois avec un nouveau jeton. Chaque
//! vote accepté a été écrit et forcé sur le disque (sync_data) avant son
//! reçu. Le dossier du journal peut être choisi : `TP14_DOSSIER=… cargo bench`.

#[allow(dead_code)]
#[path = "../src/protocole.rs"]
mod protocole;

use std::io::BufReader;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use protocole::{Reponse, Requete};

const ELECTEURS_SIMULTANES: usize = 200;
const VOTES_PAR_CONNEXION: usize = 50;
const DELAI: Duration = Duration::from_secs(30);

/// Le serveur, tué et récolté quoi qu'il arrive.
struct Serveur(Child);

impl Drop for Serveur {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn jeton(connexion: usize, rang: usize) -> String {
    format!("e{connexion:03}-{rang:03}")
}

/// Un électeur : une connexion, puis ses votes l'un après l'autre.
fn electeur(adresse: SocketAddr, connexion: usize, depart: &Barrier) -> Result<(), String> {
    let flux = TcpStream::connect_timeout(&adresse, DELAI);
    depart.wait();
    let flux = flux.map_err(|e| e.to_string())?;
    flux.set_read_timeout(Some(DELAI))
        .map_err(|e| e.to_string())?;
    let mut lecteur = BufReader::new(&flux);
    for rang in 0..VOTES_PAR_CONNEXION {
        let requete = Requete::Voter {
            jeton: jeton(connexion, rang),
            option: (rang % 3) as u16 + 1,
        };
        let (genre, charge) = requete.encoder();
        protocole::ecrire_trame(&mut &flux, genre, &charge).map_err(|e| e.to_string())?;
        let trame = protocole::lire_trame(&mut lecteur)
            .map_err(|e| format!("{e:?}"))?
            .ok_or("connexion fermée")?;
        match Reponse::decoder(&trame) {
            Ok(Reponse::Recu { .. }) => {}
            autre => return Err(format!("réponse inattendue : {autre:?}")),
        }
    }
    Ok(())
}

fn main() {
    let dossier = std::env::var_os("TP14_DOSSIER")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
        .join(format!("tp14-debit-{}", std::process::id()));
    std::fs::create_dir_all(&dossier).expect("dossier du scrutin");
    std::fs::write(dossier.join("bulletin.txt"), "Mesure ?\nun\ndeux\ntrois\n").expect("bulletin");
    let jetons: String = (0..ELECTEURS_SIMULTANES)
        .flat_map(|c| (0..VOTES_PAR_CONNEXION).map(move |r| jeton(c, r) + "\n"))
        .collect();
    std::fs::write(dossier.join("electeurs.txt"), jetons).expect("électeurs");

    // Un port libre : le noyau en choisit un, on le rend aussitôt.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|e| e.local_addr())
        .expect("port libre")
        .port();
    let chemin = |nom: &str| dossier.join(nom).display().to_string();
    let _serveur = Serveur(
        Command::new(env!("CARGO_BIN_EXE_tp14-corrige"))
            .args(["serveur", &port.to_string()])
            .args(["--bulletin", &chemin("bulletin.txt")])
            .args(["--electeurs", &chemin("electeurs.txt")])
            .args(["--journal", &chemin("journal.bin")])
            .stdout(Stdio::null())
            .spawn()
            .expect("lancement du serveur"),
    );
    let adresse = SocketAddr::from(([127, 0, 0, 1], port));
    let limite = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(adresse).is_err() {
        assert!(Instant::now() < limite, "le serveur n'écoute pas");
        thread::sleep(Duration::from_millis(10));
    }

    let depart = Arc::new(Barrier::new(ELECTEURS_SIMULTANES + 1));
    let fils: Vec<_> = (0..ELECTEURS_SIMULTANES)
        .map(|c| {
            let depart = Arc::clone(&depart);
            thread::spawn(move || electeur(adresse, c, &depart))
        })
        .collect();
    depart.wait();
    let debut = Instant::now();
    let echecs = fils
        .into_iter()
        .map(|f| f.join())
        .filter(|r| !matches!(r, Ok(Ok(()))))
        .count();
    let duree = debut.elapsed();
    let _ = std::fs::remove_dir_all(&dossier);
    assert_eq!(echecs, 0, "des électeurs n'ont pas pu voter");
    let votes = ELECTEURS_SIMULTANES * VOTES_PAR_CONNEXION;
    println!(
        "{votes} votes de {ELECTEURS_SIMULTANES} électeurs simultanés en {:.2} s : {:.0} votes/s \
         (journal dans {}, sync_data à chaque vote)",
        duree.as_secs_f64(),
        votes as f64 / duree.as_secs_f64(),
        dossier
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    );
}
