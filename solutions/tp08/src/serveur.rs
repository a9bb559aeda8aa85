//! Le serveur du TP08 : une socket locale, des clients servis l'un après
//! l'autre, un octet chacun.

use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::UnixStream;
use std::path::Path;

use anyhow::{Context, Result, bail};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use socket2::{Domain, SockAddr, Socket, Type};

use crate::lisible;

/// Connexions établies que le noyau garde en attente d'un accept().
const BACKLOG: i32 = 5;

// ANCHOR: deroule
/// Le scénario du serveur, étape par étape.
pub fn lancer(chemin: &Path) -> Result<()> {
    // Étape 1 : libérer le chemin, puis créer la socket d'écoute
    // (socket, bind, listen).
    liberer_le_chemin(chemin)?;
    let ecoute = ouvrir_ecoute(chemin)?;
    println!("Le serveur attend des clients sur {}", chemin.display());

    // Étape 2 : prévoir la sortie de la boucle sans fin (sur SIGINT ou
    // SIGTERM, supprimer le fichier de la socket et finir avec le code 0),
    // puis attendre les clients, bloqué dans accept().
    arreter_sur_signal(chemin)?;
    loop {
        let mut service = accepter(&ecoute)?;

        // Étape 3 : servir ce client, puis fermer sa socket de service
        // (serveur itératif : un client à la fois). Un client qui part sans
        // rien envoyer n'arrête pas le serveur : on le signale et on passe
        // au suivant.
        if let Err(erreur) = servir(&mut service) {
            eprintln!("erreur avec un client : {erreur:#}");
        }
        fermer(service);
    }
}
// ANCHOR_END: deroule

// ANCHOR: liberer
/// Étape 1 (a) : `bind` crée le fichier de la socket, et échoue si le chemin
/// existe déjà (« Address already in use »). Après un arrêt brutal (kill -9,
/// plantage), l'ancien fichier est resté : il faut le supprimer. Mais
/// seulement si c'est une socket : un serveur ne détruit jamais un fichier
/// de l'utilisateur qui se trouverait là.
fn liberer_le_chemin(chemin: &Path) -> Result<()> {
    // symlink_metadata ne suit pas les liens symboliques : on juge le
    // fichier qui est à ce chemin, pas celui vers lequel il pointerait.
    let nature = match std::fs::symlink_metadata(chemin) {
        Ok(meta) => meta.file_type(),
        // Rien à ce chemin : il est libre.
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(e).with_context(|| format!("impossible d'examiner {}", chemin.display()));
        }
    };
    if !nature.is_socket() {
        bail!(
            "{} existe déjà et n'est pas une socket : le serveur refuse de le supprimer \
             (choisissez un autre chemin)",
            chemin.display()
        );
    }
    // Une socket est là. Si un serveur l'écoute encore, la connexion réussit :
    // supprimer son fichier le rendrait injoignable. Sinon (connexion
    // refusée), ce n'est qu'un reste : on peut l'effacer.
    if UnixStream::connect(chemin).is_ok() {
        bail!("un serveur écoute déjà sur {}", chemin.display());
    }
    std::fs::remove_file(chemin).with_context(|| {
        format!(
            "impossible de supprimer l'ancienne socket {}",
            chemin.display()
        )
    })?;
    println!("Ancienne socket supprimée : {}", chemin.display());
    Ok(())
}
// ANCHOR_END: liberer

// ANCHOR: ecoute
/// Étape 1 (b) : les étapes de Berkeley, une à une, avec socket2.
fn ouvrir_ecoute(chemin: &Path) -> Result<Socket> {
    // socket(AF_UNIX, SOCK_STREAM, 0) : une socket locale en mode flux. Pas
    // de protocole à choisir (None) : les octets ne quittent pas le noyau.
    let socket =
        Socket::new(Domain::UNIX, Type::STREAM, None).context("impossible de créer la socket")?;
    // sockaddr_un : la famille AF_UNIX et un chemin de fichier, de 107
    // octets au plus (sun_path en compte 108, avec le zéro final).
    let adresse = SockAddr::unix(chemin).with_context(|| {
        format!(
            "chemin de socket invalide (trop long ?) : {}",
            chemin.display()
        )
    })?;
    // bind : le noyau crée le fichier, de type socket (« s » dans ls -l).
    socket
        .bind(&adresse)
        .with_context(|| format!("impossible d'attacher la socket à {}", chemin.display()))?;
    // listen : la socket devient passive ; le noyau range les connexions
    // qui arrivent dans une file d'au plus BACKLOG places.
    socket
        .listen(BACKLOG)
        .context("impossible de mettre la socket en écoute")?;
    Ok(socket)
}
// ANCHOR_END: ecoute

// ANCHOR: signaux
/// Étape 2 : SIGINT (Ctrl+C) et SIGTERM (`kill`) tuent un programme sans
/// lui laisser rien faire : le fichier de la socket resterait. On les
/// intercepte pour le supprimer avant de partir.
///
/// Un gestionnaire de signal ne peut presque rien faire sans risque (ni
/// allouer, ni prendre un verrou). `signal-hook` en installe un minimal, qui
/// se contente de réveiller un itérateur ; un fil dédié attend sur cet
/// itérateur et fait le vrai travail.
///
/// Pourquoi ce fil termine-t-il lui-même le processus ? Le fil principal
/// passe sa vie bloqué dans accept(), ou dans read() face à un client muet.
/// Le réveiller demanderait une connexion à soi-même ou des sockets non
/// bloquantes. exit() est plus simple : le noyau ferme alors tous les
/// descripteurs, ceux des sockets compris. Seul le fichier, qui n'est pas
/// un descripteur, doit être supprimé à la main.
fn arreter_sur_signal(chemin: &Path) -> Result<()> {
    let mut signaux =
        Signals::new([SIGINT, SIGTERM]).context("impossible d'intercepter SIGINT et SIGTERM")?;
    let chemin = chemin.to_path_buf();
    std::thread::spawn(move || {
        // forever() bloque jusqu'au prochain signal : le premier suffit.
        if let Some(signal) = signaux.forever().next() {
            let nom = if signal == SIGINT {
                "SIGINT"
            } else {
                "SIGTERM"
            };
            match std::fs::remove_file(&chemin) {
                Ok(()) => println!("{nom} reçu : socket supprimée, arrêt du serveur."),
                // Quelqu'un l'a déjà supprimée (rm) : il n'y a plus rien à faire.
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => {
                    eprintln!(
                        "erreur : impossible de supprimer {} : {e}",
                        chemin.display()
                    );
                    std::process::exit(1);
                }
            }
            std::process::exit(0);
        }
    });
    Ok(())
}
// ANCHOR_END: signaux

// ANCHOR: service
/// Étape 2 (suite) : accept() bloque jusqu'au prochain client, et rend une
/// **nouvelle** socket, dite de service, propre à ce client. L'adresse du
/// client est vide (il n'a pas appelé bind) : on l'ignore. La socket2
/// devient un UnixStream de la bibliothèque standard (même descripteur).
fn accepter(ecoute: &Socket) -> Result<UnixStream> {
    let (service, _adresse) = ecoute.accept().context("impossible d'accepter un client")?;
    Ok(service.into())
}

/// Étape 3 : lit un octet, renvoie le suivant.
fn servir(service: &mut UnixStream) -> Result<()> {
    let mut octet = [0u8; 1];
    // read_exact insiste jusqu'à avoir l'octet ; si le client ferme avant
    // (read rend 0, la fin de flux), c'est une erreur UnexpectedEof.
    service
        .read_exact(&mut octet)
        .context("le client est parti sans envoyer d'octet")?;
    println!("Le serveur a lu : {}", lisible(octet[0]));
    // 255 + 1 déborde : en Rust, un débordement panique (en mode debug).
    // wrapping_add repart de 0, comme le ch++ d'un unsigned char en C.
    let suivant = octet[0].wrapping_add(1);
    service
        .write_all(&[suivant])
        .context("impossible de répondre au client")?;
    println!("Le serveur écrit : {}", lisible(suivant));
    Ok(())
}

/// Étape 3 (fin) : close(2) rend le descripteur au processus (le prochain accept
/// reprendra le même numéro) et le client lit la fin de flux. Sans lui,
/// chaque client laisserait un descripteur ouvert, jusqu'à la limite du
/// processus (ulimit -n) : accept échouerait alors avec « Too many open files ».
fn fermer(service: UnixStream) {
    drop(service);
}
// ANCHOR_END: service
