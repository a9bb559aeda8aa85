//! Règle enfreinte : R6 — un thread par client, comme au TP12.
//!
//! Erreur volontaire : un thread par client, l'architecture du TP12.
//!
//! Le bar fonctionne, mille clients compris : chacun a son thread, bloqué
//! dans read() sur sa socket. Mais ce n'est pas ce que demande le TP13 :
//! un seul thread, qui attend toutes les sockets à la fois.
//! Diagnostic attendu : `serveur_5_un_seul_thread`.

mod commun;

use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

fn main() -> std::io::Result<()> {
    let (port, max) = commun::arguments();
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
    println!("Le bar est ouvert sur 127.0.0.1:{port}");
    let presents = Arc::new(AtomicUsize::new(0));
    loop {
        let Ok((mut service, adresse)) = ecoute.accept() else {
            continue;
        };
        if presents.load(Ordering::SeqCst) >= max {
            let _ = service.write_all(commun::COMPLET);
            continue;
        }
        presents.fetch_add(1, Ordering::SeqCst);
        println!("Client connecté : {adresse}");
        let presents = Arc::clone(&presents);
        // L'erreur : un thread par client.
        thread::spawn(move || {
            let _ = commun::session_bloquante(service);
            println!("Client parti : {adresse}");
            presents.fetch_sub(1, Ordering::SeqCst);
        });
    }
}
