//! L'accueil du bar : une tâche accepte les clients et confie chacun à une
//! tâche à lui ; un sémaphore compte les places ; Ctrl+C ferme le bar
//! proprement.
//!
//! Tout tourne sur le moteur d'exécution de tokio : quelques threads (un
//! par cœur) qui exécutent les tâches prêtes, et, en dessous, la même
//! boucle d'événements qu'au TP13 (epoll, par mio). Une tâche qui attend
//! (`.await`) rend son thread aux autres ; le noyau la réveille quand sa
//! socket est prête.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::session;

/// Ce que reçoit un client quand toutes les places sont prises.
const COMPLET: &[u8] = b"bar complet, revenez plus tard\n";

/// Après un accept() raté faute de ressources (plus de descripteurs), délai
/// avant de réessayer : sans lui, la tâche d'accueil tournerait à vide.
const PAUSE_APRES_ECHEC: Duration = Duration::from_millis(50);

/// Temps laissé aux sessions en cours pour se terminer après Ctrl+C.
const DELAI_DE_FERMETURE: Duration = Duration::from_secs(5);

/// Crée le moteur d'exécution et y ouvre le bar, jusqu'à Ctrl+C.
pub fn lancer(port: u16, max_clients: usize) -> Result<()> {
    // Un thread par cœur, chacun avec sa file de tâches ; `enable_all`
    // branche le réacteur (epoll) et les minuteries.
    let moteur = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("impossible de créer le moteur d'exécution tokio")?;
    moteur.block_on(accueillir(port, max_clients))
}

// ANCHOR: accueillir
/// La tâche d'accueil : accepte, donne une place ou refuse, et s'arrête
/// proprement sur Ctrl+C.
async fn accueillir(port: u16, max_clients: usize) -> Result<()> {
    // Étape 1 : la socket d'écoute. tokio la crée non bloquante, avec
    // SO_REUSEADDR (le bar redémarre aussitôt malgré les TIME_WAIT).
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .with_context(|| {
            format!(
                "impossible d'attacher la socket au port {port} (déjà pris par un autre programme ?)"
            )
        })?;
    let port = ecoute
        .local_addr()
        .context("impossible de lire l'adresse de la socket d'écoute")?
        .port();
    println!("Le bar est ouvert sur 127.0.0.1:{port} ({max_clients} clients au plus à la fois)");

    // Une place par client servi (étape 4). Un sémaphore est un compteur
    // partagé : try_acquire_owned prend une place s'il en reste, et la place
    // se rend d'elle-même quand elle est lâchée (drop), à la fin de la tâche.
    let places = Arc::new(Semaphore::new(max_clients));
    // Le signal de fermeture (étape 5), que chaque session surveille.
    let (fermeture, signal) = watch::channel(false);
    // Les tâches lancées, pour les attendre à la fermeture.
    let mut sessions = JoinSet::new();
    // Ctrl+C (étape 5). Le futur est créé une fois, hors de la boucle : il
    // reste abonné au signal d'un tour à l'autre. Un ctrl_c() neuf à chaque
    // tour ne verrait pas un Ctrl+C arrivé entre deux tours.
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);

    loop {
        // select! attend plusieurs choses à la fois et suit la première
        // prête : c'est le poll() du TP13, écrit par le compilateur.
        tokio::select! {
            arret = &mut ctrl_c => {
                arret.context("impossible d'attendre Ctrl+C")?;
                break;
            }
            accepte = ecoute.accept() => match accepte {
                // Étape 2 : un client, qui a une place.
                Ok((service, adresse)) => match Arc::clone(&places).try_acquire_owned() {
                    Ok(place) => {
                        println!("Client connecté : {adresse}");
                        // Une tâche par client. Elle possède sa
                        // socket et sa place ; la tâche d'accueil retourne
                        // aussitôt attendre le suivant.
                        let signal = signal.clone();
                        sessions.spawn(async move {
                            session::servir(service, adresse, signal).await;
                            drop(place);
                        });
                    }
                    // Étape 4 : pas de place. Le refus s'écrit dans sa
                    // propre petite tâche : un client lent à lire ne retient
                    // pas l'accueil.
                    Err(_) => {
                        sessions.spawn(refuser(service, adresse));
                    }
                },
                Err(erreur) => {
                    eprintln!("erreur : impossible d'accepter une connexion : {erreur}");
                    tokio::time::sleep(PAUSE_APRES_ECHEC).await;
                }
            },
            // Les tâches finies sont récoltées au fil de l'eau : le JoinSet
            // ne garde pas leurs résultats indéfiniment.
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
    fermer(ecoute, fermeture, sessions).await;
    Ok(())
}
// ANCHOR_END: accueillir

// ANCHOR: fermer
/// Étape 5 : l'arrêt propre. Plus personne n'entre (la socket d'écoute est
/// fermée : un nouveau client est refusé par le noyau), chaque session
/// finit la commande en cours et ferme, puis le programme se termine.
async fn fermer(ecoute: TcpListener, fermeture: watch::Sender<bool>, mut sessions: JoinSet<()>) {
    drop(ecoute);
    println!("Le bar ferme : {} session(s) en cours.", sessions.len());
    // Toutes les sessions voient le signal à leur prochain .await sur lui.
    let _ = fermeture.send(true);
    let attente = async { while sessions.join_next().await.is_some() {} };
    if tokio::time::timeout(DELAI_DE_FERMETURE, attente)
        .await
        .is_err()
    {
        eprintln!("erreur : des sessions ne se sont pas terminées à temps, elles sont coupées");
        sessions.abort_all();
    }
    println!("Le bar est fermé.");
}
// ANCHOR_END: fermer

/// Étape 4 : le message d'excuse, puis la fermeture (en sortant).
async fn refuser(mut service: TcpStream, adresse: SocketAddr) {
    println!("Bar complet, client refusé : {adresse}");
    if let Err(erreur) = service.write_all(COMPLET).await {
        eprintln!("erreur avec {adresse} : {erreur}");
    }
}
