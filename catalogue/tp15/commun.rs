//! Ce que les programmes du catalogue du TP15 font correctement : lire leurs
//! arguments, écouter, accueillir les clients dans une tâche chacun, compter
//! les places, fermer proprement sur Ctrl+C, et servir une session juste.
//! Chaque programme change une seule pièce (un réglage de [`Reglages`], ou
//! la session qu'il donne à [`lancer`]) : son fichier ne contient que cela.
//!
//! (Chaque programme n'utilise qu'une partie de ce module.)
#![allow(dead_code)]

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Longueur maximale d'une commande, `\n` compris.
pub const LONGUEUR_MAX: u64 = 1024;
/// Ce que reçoit un client de trop.
pub const COMPLET: &[u8] = b"bar complet, revenez plus tard\n";

/// Ce que la tâche d'accueil fait, ou oublie de faire.
pub struct Reglages {
    /// L'adresse d'écoute (127.0.0.1 quand tout va bien).
    pub adresse: IpAddr,
    /// Écrire « Client connecté : IP:PORT » pour chaque client.
    pub annoncer: bool,
    /// Compter les places (--max-clients).
    pub limiter: bool,
    /// Attendre Ctrl+C et fermer proprement.
    pub arret_propre: bool,
    /// Un moteur à un seul thread au lieu d'un thread par cœur.
    pub un_seul_thread: bool,
}

impl Default for Reglages {
    fn default() -> Self {
        Reglages {
            adresse: IpAddr::from(Ipv4Addr::LOCALHOST),
            annoncer: true,
            limiter: true,
            arret_propre: true,
            un_seul_thread: false,
        }
    }
}

/// `NOM serveur [PORT] [--max-clients N]` : le port et la limite de clients.
pub fn arguments() -> (u16, usize) {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let (mut port, mut max) = (1664, 64);
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--max-clients" {
            max = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(max);
            i += 2;
        } else {
            port = args[i].parse().unwrap_or(port);
            i += 1;
        }
    }
    (port, max)
}

/// La réponse du bar à une commande.
pub fn reponse(commande: &str) -> String {
    format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n")
}

/// Lance le bar avec ces réglages et cette session.
pub fn lancer<S, F>(reglages: Reglages, session: S) -> ExitCode
where
    S: Fn(TcpStream, SocketAddr, watch::Receiver<bool>) -> F + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let moteur = if reglages.un_seul_thread {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    };
    let resultat = moteur.and_then(|m| m.block_on(accueillir(reglages, Arc::new(session))));
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(erreur) => {
            eprintln!("erreur : {erreur}");
            ExitCode::FAILURE
        }
    }
}

async fn accueillir<S, F>(reglages: Reglages, session: Arc<S>) -> std::io::Result<()>
where
    S: Fn(TcpStream, SocketAddr, watch::Receiver<bool>) -> F + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let (port, max) = arguments();
    let ecoute = TcpListener::bind((reglages.adresse, port)).await?;
    let port = ecoute.local_addr()?.port();
    println!("Le bar est ouvert sur {}:{port}", reglages.adresse);
    let places = Arc::new(Semaphore::new(if reglages.limiter {
        max
    } else {
        usize::MAX >> 4
    }));
    let (fermeture, signal) = watch::channel(false);
    let mut sessions = JoinSet::new();
    let ctrl_c = async {
        if reglages.arret_propre {
            let _ = tokio::signal::ctrl_c().await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            _ = &mut ctrl_c => break,
            accepte = ecoute.accept() => {
                let Ok((service, adresse)) = accepte else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                match Arc::clone(&places).try_acquire_owned() {
                    Ok(place) => {
                        if reglages.annoncer {
                            println!("Client connecté : {adresse}");
                        }
                        let session = Arc::clone(&session);
                        let mut signal = signal.clone();
                        sessions.spawn(async move {
                            // À la fermeture du bar, la session est lâchée
                            // avec sa socket, même si elle ne guette pas le
                            // signal elle-même.
                            let guet = signal.clone();
                            tokio::select! {
                                _ = session(service, adresse, guet) => {}
                                _ = signal.changed() => {}
                            }
                            println!("Client parti : {adresse}");
                            drop(place);
                        });
                    }
                    Err(_) => {
                        sessions.spawn(async move {
                            let mut service = service;
                            let _ = service.write_all(COMPLET).await;
                        });
                    }
                }
            }
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
    drop(ecoute);
    let _ = fermeture.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        while sessions.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}

/// Retire de `recus` la prochaine commande entière (`\n` et `\r` final
/// ôtés), pour un programme qui lit lui-même par morceaux ; `None` tant
/// qu'aucune ligne n'est complète, `Some(Err(()))` si ce n'est pas de l'UTF-8.
pub fn extraire_commande(recus: &mut Vec<u8>) -> Option<Result<String, ()>> {
    let fin = recus.iter().position(|&o| o == b'\n')?;
    let mut ligne: Vec<u8> = recus.drain(..=fin).collect();
    ligne.pop();
    if ligne.last() == Some(&b'\r') {
        ligne.pop();
    }
    Some(String::from_utf8(ligne).map_err(|_| ()))
}

/// Lit une commande (au plus LONGUEUR_MAX octets, `\r` final retiré) ;
/// `Ok(None)` à la fin du flux ou sur un bout de ligne final.
pub async fn lire_commande(
    lecteur: &mut (impl AsyncBufRead + Unpin),
) -> std::io::Result<Option<String>> {
    let mut octets = Vec::new();
    let lus = lecteur
        .take(LONGUEUR_MAX)
        .read_until(b'\n', &mut octets)
        .await?;
    match octets.pop() {
        None => return Ok(None),
        Some(b'\n') => {}
        Some(_) if lus as u64 == LONGUEUR_MAX => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "trop long",
            ));
        }
        Some(_) => return Ok(None),
    }
    if octets.last() == Some(&b'\r') {
        octets.pop();
    }
    String::from_utf8(octets)
        .map(Some)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "pas de l'UTF-8"))
}

/// Envoie la réponse à une commande.
pub async fn repondre(ecriture: &mut OwnedWriteHalf, commande: &str) -> std::io::Result<()> {
    ecriture.write_all(reponse(commande).as_bytes()).await
}

/// La session juste : une commande, une réponse, jusqu'à « fin », la fin du
/// flux, une erreur ou la fermeture du bar.
pub async fn session_juste(
    service: TcpStream,
    adresse: SocketAddr,
    mut fermeture: watch::Receiver<bool>,
) {
    let (lecture, mut ecriture) = service.into_split();
    let mut lecteur = BufReader::new(lecture);
    loop {
        let commande = tokio::select! {
            commande = lire_commande(&mut lecteur) => commande,
            _ = fermeture.changed() => return,
        };
        match commande {
            Ok(Some(commande)) => {
                if repondre(&mut ecriture, &commande).await.is_err() || commande == "fin" {
                    return;
                }
            }
            Ok(None) => return,
            Err(erreur) => {
                eprintln!("erreur avec {adresse} : {erreur}");
                return;
            }
        }
    }
}
