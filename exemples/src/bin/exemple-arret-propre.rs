//! Arrêter proprement un serveur TCP concurrent, sur SIGINT ou SIGTERM.
//!
//! Cet exemple accompagne le chapitre « Servir plusieurs clients ». Le
//! serveur renvoie chaque ligne reçue (`reçu : …`), un fil par client.
//! Sans précaution, <kbd>Ctrl</kbd>+<kbd>C</kbd> (SIGINT) ou `kill` (SIGTERM)
//! le tuent net : les clients voient leur connexion coupée au milieu d'un
//! échange. Ici, le signal déclenche un arrêt en trois temps :
//!
//! 1. ne plus accepter personne : la socket d'écoute est fermée, un nouveau
//!    client est refusé ;
//! 2. prévenir chaque client : `shutdown(Read)` sur sa socket de service
//!    réveille son fil, bloqué dans `read`, qui voit une fin de flux ; il
//!    envoie un dernier message et ferme ;
//! 3. attendre tous les fils, puis finir avec le code 0.
//!
//! - sans argument : une démonstration, qui s'envoie elle-même SIGTERM ;
//! - `exemple-arret-propre serveur [PORT]` : le serveur seul (port 4000 par
//!   défaut), à arrêter avec <kbd>Ctrl</kbd>+<kbd>C</kbd> pendant qu'un
//!   `nc 127.0.0.1 4000` est connecté.
//!
//! Lancement : `cargo run -p exemples --bin exemple-arret-propre`

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Port du serveur lancé à la main.
const PORT_PAR_DEFAUT: u16 = 4000;
/// Code de sortie d'une mauvaise utilisation (EX_USAGE de sysexits.h).
const EX_USAGE: u8 = 64;
/// Attente maximale de chaque étape de la démonstration.
const DELAI_MAX: Duration = Duration::from_secs(10);
/// Le dernier message d'un client, quand le serveur s'arrête.
const ADIEU: &str = "serveur en arrêt, au revoir";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let resultat = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => demonstration(),
        ["serveur"] => serveur(PORT_PAR_DEFAUT),
        ["serveur", port] => match port.parse() {
            Ok(port) => serveur(port),
            Err(_) => return usage(&format!("port invalide : « {port} »")),
        },
        _ => return usage("arguments inattendus"),
    };
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
    }
}

fn usage(message: &str) -> ExitCode {
    let nom = env!("CARGO_BIN_NAME");
    eprintln!(
        "erreur : {message}\nusage : {nom}            (démonstration)\n        {nom} serveur [PORT]"
    );
    ExitCode::from(EX_USAGE)
}

/// Le serveur seul, jusqu'à SIGINT ou SIGTERM.
fn serveur(port: u16) -> Result<()> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .with_context(|| format!("impossible d'écouter sur le port {port}"))?;
    let port = ecoute.local_addr().context("adresse illisible")?.port();
    println!("Serveur d'écho sur 127.0.0.1, port {port} ; Ctrl+C pour l'arrêter proprement");
    let sessions = servir_jusqu_au_signal(ecoute)?;
    println!("Arrêt propre : {sessions} session(s) terminée(s)");
    Ok(())
}

// ANCHOR: signal
/// Sert les clients jusqu'à SIGINT ou SIGTERM, puis s'arrête proprement ;
/// rend le nombre de sessions servies.
fn servir_jusqu_au_signal(ecoute: TcpListener) -> Result<usize> {
    let adresse = ecoute.local_addr().context("adresse illisible")?;
    let arret = Arc::new(AtomicBool::new(false));
    // signal-hook installe un gestionnaire minimal (il ne fait qu'écrire
    // dans un tube) ; le vrai travail se fait ici, dans un fil ordinaire.
    let mut signaux =
        Signals::new([SIGINT, SIGTERM]).context("impossible d'intercepter SIGINT et SIGTERM")?;
    let drapeau = Arc::clone(&arret);
    thread::spawn(move || {
        if signaux.forever().next().is_some() {
            drapeau.store(true, Ordering::SeqCst);
            // accept() dort : une connexion à nous-même le réveille, et la
            // boucle voit alors le drapeau.
            let _ = TcpStream::connect(adresse);
        }
    });
    // ANCHOR_END: signal
    // ANCHOR: boucle
    let mut sessions: Vec<(TcpStream, JoinHandle<()>)> = Vec::new();
    for entrant in ecoute.incoming() {
        if arret.load(Ordering::SeqCst) {
            break; // la connexion de réveil est lâchée avec `entrant`
        }
        let service = match entrant {
            Ok(service) => service,
            Err(e) => {
                eprintln!("accept : {e}");
                continue;
            }
        };
        // Un double de la socket, gardé pour pouvoir réveiller ce client.
        let double = service.try_clone().context("try_clone impossible")?;
        sessions.push((double, thread::spawn(move || session(service))));
        // Les sessions finies n'ont plus besoin d'être suivies.
        sessions.retain(|(_, fil)| !fil.is_finished());
    }
    // 1. Plus personne n'est accepté : la socket d'écoute est fermée.
    drop(ecoute);
    // 2. Chaque session est réveillée : sa lecture voit une fin de flux.
    for (double, _) in &sessions {
        let _ = double.shutdown(Shutdown::Read);
    }
    // 3. On attend que chacune ait dit au revoir et fermé.
    let nombre = sessions.len();
    for (_, fil) in sessions {
        fil.join().map_err(|_| anyhow!("une session a paniqué"))?;
    }
    Ok(nombre)
    // ANCHOR_END: boucle
}

// ANCHOR: session
/// Une session : renvoie chaque ligne, jusqu'à la fin du flux, puis dit au
/// revoir. La fin du flux vient du client qui part, ou du serveur qui
/// s'arrête (`shutdown(Read)`) : dans les deux cas, la session finit ici,
/// entre deux lignes, jamais au milieu d'une réponse.
fn session(service: TcpStream) {
    let mut lecteur = BufReader::new(&service);
    let mut ecrivain = &service;
    let mut ligne = String::new();
    loop {
        ligne.clear();
        match lecteur.read_line(&mut ligne) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let reponse = format!("reçu : {}\n", ligne.trim_end());
                if ecrivain.write_all(reponse.as_bytes()).is_err() {
                    return;
                }
            }
        }
    }
    // Le client encore là lit ce dernier message, puis la fin du flux.
    let _ = ecrivain.write_all(format!("{ADIEU}\n").as_bytes());
}
// ANCHOR_END: session

/// La démonstration : un client en pleine conversation, puis SIGTERM.
fn demonstration() -> Result<()> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'écouter sur 127.0.0.1")?;
    let adresse = ecoute.local_addr().context("adresse illisible")?;
    let (fin, resultat) = mpsc::channel();
    thread::spawn(move || {
        let _ = fin.send(servir_jusqu_au_signal(ecoute));
    });

    println!("1. Un client connecté, en pleine conversation");
    let client = connecter(adresse)?;
    let mut lecteur = BufReader::new(&client);
    (&client)
        .write_all(b"bonjour\n")
        .context("échec de l'envoi")?;
    let reponse = lire_ligne(&mut lecteur)?;
    println!("   client : « bonjour » → « {reponse} »");

    println!("2. SIGTERM : le serveur n'accepte plus personne, prévient ses clients, les attend");
    signal_hook::low_level::raise(SIGTERM).context("impossible d'envoyer SIGTERM")?;
    let sessions = resultat
        .recv_timeout(DELAI_MAX)
        .context("le serveur ne s'est pas arrêté à temps")??;
    let adieu = lire_ligne(&mut lecteur)?;
    let mut reste = Vec::new();
    lecteur
        .read_to_end(&mut reste)
        .context("échec de la lecture")?;
    if !reste.is_empty() {
        bail!("des octets après l'adieu : {reste:?}");
    }
    println!("   client : « {adieu} », puis la fin du flux");
    match TcpStream::connect_timeout(&adresse, DELAI_MAX) {
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
            println!("   nouveau client : connexion refusée");
        }
        Err(e) => bail!("connexion en échec, mais pas refusée : {e}"),
        Ok(_) => bail!("le serveur arrêté accepte encore des clients"),
    }
    println!("   serveur : {sessions} session(s) terminée(s), arrêt propre");
    Ok(())
}

/// Une connexion dont les lectures sont bornées.
fn connecter(adresse: SocketAddr) -> Result<TcpStream> {
    let flux = TcpStream::connect_timeout(&adresse, DELAI_MAX)
        .with_context(|| format!("connexion à {adresse} impossible"))?;
    flux.set_read_timeout(Some(DELAI_MAX))
        .context("impossible de régler le délai de lecture")?;
    Ok(flux)
}

/// Une ligne, sans son `\n` ; une erreur si le flux est fini.
fn lire_ligne(lecteur: &mut BufReader<&TcpStream>) -> Result<String> {
    let mut ligne = String::new();
    if lecteur
        .read_line(&mut ligne)
        .context("échec de la lecture")?
        == 0
    {
        bail!("fin du flux inattendue");
    }
    Ok(ligne.trim_end().to_string())
}
