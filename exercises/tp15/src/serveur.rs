//! L'accueil du bar : une tâche accepte les clients et confie chacun à une
//! tâche à lui ; un sémaphore compte les places ; Ctrl+C ferme le bar
//! proprement.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp15`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, unused_mut, dead_code)]

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
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
/// La tâche d'accueil (fournie) : accepte, donne une place ou refuse, et
/// s'arrête sur Ctrl+C.
async fn accueillir(port: u16, max_clients: usize) -> Result<()> {
    let ecoute = ouvrir(port).await?;
    // Une place par client servi : try_acquire_owned en prend une s'il en
    // reste ; elle se rend d'elle-même quand elle est lâchée (drop).
    let places = Arc::new(Semaphore::new(max_clients));
    // Le signal de fermeture, que chaque session surveille.
    let (fermeture, signal) = watch::channel(false);
    // Les tâches lancées, pour les attendre à la fermeture.
    let mut sessions = JoinSet::new();
    // Ctrl+C : le futur est créé une fois, hors de la boucle, pour rester
    // abonné au signal d'un tour à l'autre.
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        // select! attend plusieurs choses à la fois et suit la première prête.
        tokio::select! {
            arret = &mut ctrl_c => {
                arret.context("impossible d'attendre Ctrl+C")?;
                break;
            }
            accepte = ecoute.accept() => match accepte {
                Ok((service, adresse)) => match Arc::clone(&places).try_acquire_owned() {
                    Ok(place) => lancer_session(&mut sessions, service, adresse, place, &signal),
                    Err(_) => {
                        sessions.spawn(refuser(service, adresse));
                    }
                },
                Err(erreur) => {
                    eprintln!("erreur : impossible d'accepter une connexion : {erreur}");
                    tokio::time::sleep(PAUSE_APRES_ECHEC).await;
                }
            },
            // Les tâches finies sont récoltées au fil de l'eau.
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
    fermer(ecoute, fermeture, sessions).await;
    Ok(())
}
// ANCHOR_END: accueillir

/// Étape 1 : la socket d'écoute sur 127.0.0.1:port, et l'annonce.
async fn ouvrir(port: u16) -> Result<TcpListener> {
    // TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await crée la socket,
    // l'attache et la met en écoute (non bloquante, avec SO_REUSEADDR).
    // Annoncez ensuite le port réellement attaché (local_addr) :
    // « Le bar est ouvert sur 127.0.0.1:PORT (N clients au plus à la fois) ».
    todo!("Étape 1 : attacher la socket d'écoute à 127.0.0.1:port et annoncer l'ouverture")
}

/// Étape 2 : un client a une place. Annoncez-le (« Client connecté :
/// IP:PORT »), puis lancez sa tâche dans `sessions` : elle sert le client
/// (`session::servir`) et lâche la place quand elle a fini.
fn lancer_session(
    sessions: &mut JoinSet<()>,
    service: TcpStream,
    adresse: SocketAddr,
    place: OwnedSemaphorePermit,
    signal: &watch::Receiver<bool>,
) {
    todo!("Étape 2 : annoncer le client et le servir dans une tâche à lui (sessions.spawn)")
}

/// Étape 4 : pas de place. Écrivez le message d'excuse (COMPLET) ; la
/// socket se ferme en sortant de la fonction.
async fn refuser(mut service: TcpStream, adresse: SocketAddr) {
    todo!("Étape 4 : envoyer « bar complet, revenez plus tard » et fermer")
}

/// Étape 5 : l'arrêt propre après Ctrl+C. Fermez la socket d'écoute (plus
/// personne n'entre), prévenez les sessions (`fermeture.send(true)`),
/// attendez-les au plus DELAI_DE_FERMETURE (tokio::time::timeout), puis
/// rendez la main : le programme se termine avec le code 0.
async fn fermer(ecoute: TcpListener, fermeture: watch::Sender<bool>, mut sessions: JoinSet<()>) {
    todo!("Étape 5 : fermer le bar proprement après Ctrl+C")
}
