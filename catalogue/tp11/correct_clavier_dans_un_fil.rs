//! Variante correcte : deux fils inversés (le fil principal reçoit, un fil lit le clavier et envoie), qui se préviennent par un canal ; read_line sans lines().
//!
//! Le fil principal attend la socket avec un délai court : entre deux
//! attentes, il regarde si le fil du clavier a annoncé la fin (« fin » tapée
//! ou fin de l'entrée).

mod commun;

use std::io::{self, BufRead};
use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::Context;

fn clavier(socket: UdpSocket, pair: SocketAddr, fini: mpsc::Sender<()>) {
    let mut entree = io::stdin().lock();
    let mut ligne = String::new();
    loop {
        ligne.clear();
        match entree.read_line(&mut ligne) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let texte = ligne.strip_suffix('\n').unwrap_or(&ligne);
        if let Err(e) = socket.send_to(texte.as_bytes(), pair) {
            eprintln!("erreur : envoi impossible : {e}");
            break;
        }
        if texte == "fin" {
            break;
        }
    }
    let _ = fini.send(());
}

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (socket, pair) = commun::ouvrir(port_local, &adresses)
        .with_context(|| format!("impossible de s'attacher au port {port_local}"))?;
    socket.set_read_timeout(Some(Duration::from_millis(50)))?;
    let (fini, attente_de_fin) = mpsc::channel();
    let envoi = socket.try_clone()?;
    thread::spawn(move || clavier(envoi, pair, fini));
    let mut tampon = vec![0u8; 65_507];
    loop {
        if attente_de_fin.try_recv().is_ok() {
            return Ok(());
        }
        let (taille, expediteur) = match socket.recv_from(&mut tampon) {
            Ok(recu) => recu,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(e) => return Err(e).context("réception impossible"),
        };
        if expediteur != pair {
            eprintln!(
                "avertissement : datagramme de {expediteur} ignoré (ce n'est pas le pair {pair})"
            );
            continue;
        }
        let octets = tampon[..taille]
            .strip_suffix(b"\n")
            .unwrap_or(&tampon[..taille]);
        let message = String::from_utf8_lossy(octets);
        println!("<< {}", en_notation_circonflexe(&message));
        if message == "fin" {
            return Ok(());
        }
    }
}

/// Les caractères de contrôle en notation « circonflexe », comme `cat -v` :
/// ESC s'écrit `^[`, DEL `^?` (ceux de U+0080 à U+009F, `\u{85}`). Une
/// autre écriture que le corrigé ; aucun n'atteint le terminal tel quel.
fn en_notation_circonflexe(texte: &str) -> String {
    let mut sur = String::new();
    for c in texte.chars() {
        match u32::from(c) {
            code @ 0..=0x1f => {
                sur.push('^');
                sur.push(char::from(b'@' + code as u8));
            }
            0x7f => sur.push_str("^?"),
            _ if c.is_control() => sur.extend(c.escape_default()),
            _ => sur.push(c),
        }
    }
    sur
}
