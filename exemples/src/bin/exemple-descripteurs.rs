//! Une socket est un descripteur, comme un fichier ouvert.
//!
//! Cet exemple accompagne le chapitre « Qu'est-ce qu'une socket ? ». Il crée
//! trois sockets du domaine Internet (TCP, UDP, puis RAW) et affiche le
//! numéro de descripteur que le noyau rend pour chacune. Il montre ensuite
//! ce que Linux en dit dans `/proc/self/fd`, puis crée une socket locale
//! (`AF_UNIX`) nommée par un fichier, pour voir ce fichier sur le disque.
//!
//! La socket RAW n'est permise qu'à root (plus exactement, aux processus qui
//! ont la capacité `CAP_NET_RAW`). Pour un utilisateur ordinaire, sa création
//! échoue : l'exemple affiche l'erreur et continue.
//!
//! Rien n'est envoyé sur le réseau : les sockets sont créées, examinées,
//! puis fermées.
//!
//! Lancement : `cargo run -p exemples --bin exemple-descripteurs`

use std::fs;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::UnixListener;
use std::path::PathBuf;

use anyhow::{Context, Result};
use socket2::{Domain, Protocol, Socket, Type};

fn main() -> Result<()> {
    println!("1. Trois sockets du domaine Internet (AF_INET)");
    // ANCHOR: trois_sockets
    // socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) : une socket TCP.
    let tcp = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))
        .context("impossible de créer la socket TCP")?;
    println!("  socket TCP : descripteur {}", tcp.as_raw_fd());

    // socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) : une socket UDP.
    let udp = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))
        .context("impossible de créer la socket UDP")?;
    println!("  socket UDP : descripteur {}", udp.as_raw_fd());

    // socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) : une socket RAW, celle dont
    // se sert `ping`. Le noyau la refuse aux utilisateurs ordinaires : ce
    // n'est pas un bug du programme, c'est une erreur à afficher.
    let raw = match Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::ICMPV4)) {
        Ok(socket) => {
            println!("  socket RAW : descripteur {}", socket.as_raw_fd());
            Some(socket)
        }
        Err(erreur) => {
            println!("  socket RAW : refusée — {erreur}");
            if erreur.kind() == io::ErrorKind::PermissionDenied {
                println!("               il faut être root (capacité CAP_NET_RAW)");
            }
            None
        }
    };
    // ANCHOR_END: trois_sockets
    if raw.is_some() {
        println!("               (ce programme tourne avec les droits de root)");
    }

    println!();
    println!("2. Ce que le noyau en dit, dans /proc/self/fd");
    // ANCHOR: proc_self_fd
    // Chaque descripteur ouvert apparaît dans /proc/self/fd comme un lien
    // symbolique. Pour une socket, la cible n'est pas un chemin mais
    // « socket:[N] », où N est le numéro d'i-nœud de la socket.
    let mut descripteurs = vec![tcp.as_raw_fd(), udp.as_raw_fd()];
    descripteurs.extend(raw.as_ref().map(Socket::as_raw_fd));
    for fd in [0, 1, 2].into_iter().chain(descripteurs) {
        println!("  {fd} → {}", cible_du_descripteur(fd));
    }
    // ANCHOR_END: proc_self_fd

    println!();
    println!("3. Une socket locale (AF_UNIX), nommée par un fichier");
    socket_locale()?;

    // Les sockets sont fermées ici, quand `tcp`, `udp` et `raw` sortent de
    // la portée : Rust appelle close() sur chaque descripteur.
    Ok(())
}

/// La cible du lien `/proc/self/fd/<fd>`, ou la raison pour laquelle on
/// ne peut pas la lire (hors de Linux, par exemple).
fn cible_du_descripteur(fd: RawFd) -> String {
    match fs::read_link(format!("/proc/self/fd/{fd}")) {
        Ok(cible) => cible.display().to_string(),
        Err(erreur) => format!("illisible ({erreur})"),
    }
}

/// Crée une socket `AF_UNIX` attachée à un fichier du dossier temporaire,
/// montre ce fichier, puis le supprime.
fn socket_locale() -> Result<()> {
    // Un nom propre à ce processus : deux exemples lancés en même temps ne
    // se gênent pas.
    let chemin: PathBuf =
        std::env::temp_dir().join(format!("exemple-descripteurs-{}.sock", std::process::id()));
    // ANCHOR: socket_fichier
    // bind() sur un chemin crée un fichier spécial de type « socket ».
    let ecoute = UnixListener::bind(&chemin)
        .with_context(|| format!("impossible d'attacher la socket à {}", chemin.display()))?;
    let genre = fs::symlink_metadata(&chemin)
        .with_context(|| format!("impossible d'examiner {}", chemin.display()))?
        .file_type();
    println!("  fichier   : {}", chemin.display());
    println!("  est une socket ? {}", genre.is_socket());
    println!("  descripteur {}", ecoute.as_raw_fd());
    // Fermer la socket ne supprime pas le fichier : c'est le rôle de
    // unlink(), ici `remove_file`. Sans lui, le prochain bind() sur ce
    // chemin échouerait (« Address already in use »).
    drop(ecoute);
    fs::remove_file(&chemin)
        .with_context(|| format!("impossible de supprimer {}", chemin.display()))?;
    // ANCHOR_END: socket_fichier
    println!("  fichier supprimé après la fermeture");
    Ok(())
}
