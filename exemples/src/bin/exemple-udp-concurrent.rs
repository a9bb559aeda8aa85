//! Un serveur UDP concurrent : plusieurs fils sur une seule socket.
//!
//! Cet exemple accompagne le chapitre « Servir plusieurs clients ». Chaque
//! requête demande au serveur un travail lent (300 ms, comme un calcul ou un
//! accès disque). Quatre clients envoient leur requête en même temps :
//!
//! 1. à un serveur **itératif** : un seul fil, qui traite les datagrammes
//!    l'un après l'autre ; le dernier client attend les trois autres ;
//! 2. à un serveur **concurrent** : une réserve de quatre fils, tous
//!    bloqués dans `recv_from` sur **la même socket**. Le noyau remet chaque
//!    datagramme à un seul d'entre eux ; chacun répond avec `send_to` à
//!    l'adresse de son expéditeur. Il n'y a ni `accept` ni socket de
//!    service : l'adresse du client, rendue par `recv_from`, suffit.
//!
//! Le programme affiche, pour chacun, le temps qu'il a fallu pour servir
//! les quatre clients et le nombre de requêtes traitées en même temps.
//! Tout se passe sur 127.0.0.1, ports choisis par le système ; chaque
//! attente est bornée.
//!
//! Lancement : `cargo run -p exemples --bin exemple-udp-concurrent`

use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

/// Le travail que demande chaque requête.
const TRAVAIL: Duration = Duration::from_millis(300);
/// Le nombre de clients, qui envoient tous en même temps.
const CLIENTS: usize = 4;
/// Le délai au bout duquel un fil du serveur regarde s'il doit s'arrêter.
const VEILLE: Duration = Duration::from_millis(100);
/// L'attente maximale d'une réponse, côté client.
const DELAI_CLIENT: Duration = Duration::from_secs(10);

/// Ce que partagent les fils d'un serveur.
#[derive(Default)]
struct Etat {
    /// Vrai quand le serveur doit s'arrêter.
    arret: AtomicBool,
    /// Requêtes en cours de traitement, et leur plus grand nombre.
    en_cours: AtomicUsize,
    pic: AtomicUsize,
}

/// Un serveur lancé : son adresse, son état et ses fils.
struct Serveur {
    adresse: SocketAddr,
    etat: Arc<Etat>,
    fils: Vec<JoinHandle<Result<()>>>,
}

fn main() -> Result<()> {
    println!(
        "{CLIENTS} clients, chaque requête demande {} ms de travail",
        TRAVAIL.as_millis()
    );
    for (titre, nombre_de_fils) in [("serveur itératif, 1 fil", 1), ("réserve de 4 fils", 4)] {
        let serveur = lancer(nombre_de_fils)?;
        let debut = Instant::now();
        let reponses = envoyer_ensemble(serveur.adresse)?;
        let duree = debut.elapsed();
        let pic = serveur.etat.pic.load(Ordering::SeqCst);
        arreter(serveur)?;
        println!(
            "  {titre:<24} : {} réponses sur {CLIENTS} en {} ms ; au plus {pic} requête(s) \
             traitée(s) en même temps",
            reponses.len(),
            duree.as_millis()
        );
        for reponse in reponses {
            println!("      {reponse}");
        }
    }
    Ok(())
}

// ANCHOR: lancer
/// Lance un serveur UDP de `nombre_de_fils` fils, tous sur la même socket.
fn lancer(nombre_de_fils: usize) -> Result<Serveur> {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'attacher la socket du serveur")?;
    // Un délai de lecture, pour que chaque fil puisse regarder de temps en
    // temps s'il doit s'arrêter.
    socket
        .set_read_timeout(Some(VEILLE))
        .context("impossible de régler le délai de lecture")?;
    let adresse = socket.local_addr().context("adresse illisible")?;
    // Une seule socket, partagée : recv_from et send_to peuvent être appelés
    // par plusieurs fils à la fois. Le noyau remet chaque datagramme à un
    // seul des fils qui attendent.
    let socket = Arc::new(socket);
    let etat = Arc::new(Etat::default());
    let fils = (1..=nombre_de_fils)
        .map(|numero| {
            let socket = Arc::clone(&socket);
            let etat = Arc::clone(&etat);
            thread::spawn(move || servir(&socket, numero, &etat))
        })
        .collect();
    Ok(Serveur {
        adresse,
        etat,
        fils,
    })
}
// ANCHOR_END: lancer

// ANCHOR: servir
/// La boucle d'un fil : un datagramme, le travail, la réponse à son
/// expéditeur ; puis le suivant.
fn servir(socket: &UdpSocket, numero: usize, etat: &Etat) -> Result<()> {
    let mut tampon = [0u8; 512];
    while !etat.arret.load(Ordering::SeqCst) {
        let (taille, client) = match socket.recv_from(&mut tampon) {
            Ok(recu) => recu,
            // Rien pendant VEILLE : on regarde si l'arrêt est demandé.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(e) => return Err(e).context("échec de recv_from"),
        };
        let en_cours = etat.en_cours.fetch_add(1, Ordering::SeqCst) + 1;
        etat.pic.fetch_max(en_cours, Ordering::SeqCst);
        thread::sleep(TRAVAIL); // le travail lent
        etat.en_cours.fetch_sub(1, Ordering::SeqCst);
        let requete = String::from_utf8_lossy(&tampon[..taille]);
        let reponse = format!("{requete} : traitée par le fil {numero}");
        // Un client parti entre-temps ne doit pas arrêter ce fil.
        if let Err(e) = socket.send_to(reponse.as_bytes(), client) {
            eprintln!("réponse perdue pour {client} : {e}");
        }
    }
    Ok(())
}
// ANCHOR_END: servir

/// Arrête un serveur : lève le drapeau, puis attend chaque fil (au plus
/// VEILLE + TRAVAIL chacun).
fn arreter(serveur: Serveur) -> Result<()> {
    serveur.etat.arret.store(true, Ordering::SeqCst);
    for fil in serveur.fils {
        fil.join()
            .map_err(|_| anyhow!("un fil du serveur a paniqué"))??;
    }
    Ok(())
}

/// Les CLIENTS clients envoient leur requête en même temps, chacun depuis
/// sa socket ; rend les réponses, dans l'ordre des clients.
fn envoyer_ensemble(serveur: SocketAddr) -> Result<Vec<String>> {
    let clients: Vec<JoinHandle<Result<String>>> = (1..=CLIENTS)
        .map(|numero| thread::spawn(move || demander(serveur, numero)))
        .collect();
    let mut reponses = Vec::new();
    for client in clients {
        reponses.push(
            client
                .join()
                .map_err(|_| anyhow!("un client a paniqué"))??,
        );
    }
    Ok(reponses)
}

/// Un client : une requête, une réponse, dans un délai borné.
fn demander(serveur: SocketAddr, numero: usize) -> Result<String> {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'attacher la socket du client")?;
    socket
        .set_read_timeout(Some(DELAI_CLIENT))
        .context("impossible de régler le délai de lecture")?;
    let requete = format!("requête {numero}");
    socket
        .send_to(requete.as_bytes(), serveur)
        .context("échec de send_to")?;
    let mut tampon = [0u8; 512];
    let (taille, expediteur) = socket
        .recv_from(&mut tampon)
        .with_context(|| format!("pas de réponse à la {requete}"))?;
    if expediteur != serveur {
        bail!("réponse venue de {expediteur}, pas du serveur {serveur}");
    }
    Ok(String::from_utf8_lossy(&tampon[..taille]).into_owned())
}
