//! TCP transporte un flux d'octets, pas des messages.
//!
//! Cet exemple accompagne le TP09 (client et serveur TCP). Il rejoue, sur une
//! seule machine et en quelques millisecondes, les trois situations qui font
//! échouer un programme écrit avec « une lecture = un message » :
//!
//! 1. deux messages écrits d'un seul coup arrivent **collés** dans une seule
//!    lecture, et la lecture suivante ne trouve plus que la fin du flux ;
//! 2. les mêmes octets, lus avec **un seul** `BufReader` et `read_line`,
//!    redonnent bien les deux messages, chacun à sa place ;
//! 3. un message envoyé **en morceaux** n'est rendu qu'en partie par une
//!    lecture unique ; `read_line` attend, elle, la suite jusqu'au `\n`.
//!
//! Tout se passe sur la boucle locale (127.0.0.1), sur un port choisi par le
//! système (port 0) : l'exemple ne gêne aucun autre programme et peut tourner
//! plusieurs fois en même temps. Chaque lecture a un délai maximal : il ne
//! peut pas rester bloqué.
//!
//! Lancement : `cargo run -p exemples --bin exemple-messages-colles`

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};

/// Délai maximal accordé à chaque lecture et à chaque écriture.
///
/// Sans lui, une lecture qui n'obtient jamais de données bloquerait
/// l'exemple pour toujours ; avec lui, elle échoue proprement.
const DELAI_MAX: Duration = Duration::from_secs(5);

/// Taille des morceaux envoyés dans le cas 3.
const TAILLE_MORCEAU: usize = 8;

/// Pause entre deux morceaux dans le cas 3 : largement de quoi laisser le
/// lecteur se réveiller avant que le morceau suivant n'arrive.
const PAUSE_ENTRE_MORCEAUX: Duration = Duration::from_millis(50);

fn main() -> Result<()> {
    cas_1_une_seule_lecture()?;
    println!();
    cas_2_lecture_par_ligne()?;
    println!();
    cas_3_message_en_morceaux()?;
    Ok(())
}

/// Une connexion TCP toute prête sur la boucle locale : l'extrémité qui
/// écrit, l'extrémité qui lit, et le port d'écoute (pour écrire les messages
/// du TP avec un vrai numéro).
struct Connexion {
    ecrivain: TcpStream,
    lecteur: TcpStream,
    port: u16,
}

/// Ouvre une connexion entre deux sockets du même processus.
///
/// Pas besoin de thread ici : `connect` revient dès que le noyau a mené la
/// poignée de main à son terme (SYN, SYN-ACK, ACK). La connexion attend alors
/// dans la file des connexions établies de la socket d'écoute (celle dont
/// `listen` a fixé la taille), et `accept` la retire aussitôt de cette file.
fn ouvrir_connexion() -> Result<Connexion> {
    // Port 0 : le système choisit un port libre. On relit ensuite le port
    // réellement attribué avec `local_addr`.
    let ecoute = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .context("impossible d'ouvrir une socket d'écoute sur 127.0.0.1")?;
    let adresse = ecoute
        .local_addr()
        .context("impossible de relire l'adresse de la socket d'écoute")?;

    let ecrivain = TcpStream::connect(adresse)
        .with_context(|| format!("impossible de se connecter à {adresse}"))?;
    let (lecteur, _adresse_du_client) = ecoute
        .accept()
        .context("impossible d'accepter la connexion")?;

    lecteur
        .set_read_timeout(Some(DELAI_MAX))
        .context("impossible de régler le délai de lecture")?;
    ecrivain
        .set_write_timeout(Some(DELAI_MAX))
        .context("impossible de régler le délai d'écriture")?;

    // La socket d'écoute n'est plus utile : elle est fermée ici, en sortant de
    // la fonction. La connexion, elle, vit dans `ecrivain` et `lecteur`.
    Ok(Connexion {
        ecrivain,
        lecteur,
        port: adresse.port(),
    })
}

/// Les deux lignes que le client du TP09 envoie au serveur.
fn deux_messages_du_client(port: u16) -> String {
    format!(
        "Bonjour Serveur {port}, nous sommes donc dans la phase de transfert\n\
         Serveur {port}, je vous dis au revoir\n"
    )
}

/// Écrit les deux messages d'un seul `write_all`, puis ferme la connexion.
fn ecrire_deux_messages_et_fermer(mut ecrivain: TcpStream, port: u16) -> Result<()> {
    // ANCHOR: ecriture_d_un_bloc
    let deux_messages = deux_messages_du_client(port);
    // Un seul appel pour les deux messages : le noyau range ces octets à la
    // suite dans le tampon d'émission et les expédie comme il l'entend, ici
    // dans un seul segment TCP. Rien, sur le fil, ne sépare les deux messages.
    ecrivain
        .write_all(deux_messages.as_bytes())
        .context("échec de l'envoi des deux messages")?;
    // ANCHOR_END: ecriture_d_un_bloc
    println!(
        "  écrivain : write_all de 2 messages ({} octets) en un seul appel, puis fermeture",
        deux_messages.len()
    );
    // Lâcher le `TcpStream` ferme la socket : le noyau envoie les octets
    // restants, puis signale la fin du flux à l'autre extrémité (segment FIN).
    drop(ecrivain);
    Ok(())
}

/// Cas 1 : une lecture unique, prise à tort pour « un message ».
fn cas_1_une_seule_lecture() -> Result<()> {
    println!("Cas 1 — deux messages, une seule écriture, puis des lectures « une par message »");
    let Connexion {
        ecrivain,
        mut lecteur,
        port,
    } = ouvrir_connexion()?;
    ecrire_deux_messages_et_fermer(ecrivain, port)?;

    // Le lecteur d'un vrai programme ne lit pas à l'instant même où l'autre
    // écrit : il faisait autre chose (afficher, calculer…). Cette petite
    // pause le simule et laisse aux octets le temps d'arriver.
    thread::sleep(Duration::from_millis(100));

    // ANCHOR: une_lecture
    // Un tampon de 1024 octets et UN appel à `read`, en croyant recevoir
    // « le premier message ». `read` rend simplement tout ce que le noyau a
    // déjà reçu, dans la limite du tampon : ici, les deux messages d'un coup.
    let mut tampon = [0u8; 1024];
    let n = lecteur
        .read(&mut tampon)
        .context("échec de la première lecture")?;
    let recu = String::from_utf8_lossy(&tampon[..n]);
    println!("  lecteur  : read() n° 1 → {n} octets : {recu:?}");

    // La lecture suivante devait rendre « le second message ». Mais tout a
    // déjà été consommé et l'écrivain a fermé : `read` renvoie 0, ce qui
    // signifie « fin du flux » (EOF), et non « message vide ».
    let n = lecteur
        .read(&mut tampon)
        .context("échec de la seconde lecture")?;
    // ANCHOR_END: une_lecture
    if n == 0 {
        println!("  lecteur  : read() n° 2 → 0 octet : fin du flux, l'écrivain a fermé");
    } else {
        let suite = String::from_utf8_lossy(&tampon[..n]);
        println!("  lecteur  : read() n° 2 → {n} octets : {suite:?}");
    }
    println!("  Bilan : les deux messages sont arrivés collés dans une seule lecture ;");
    println!("          la lecture suivante ne trouve plus que la fin du flux.");
    Ok(())
}

/// Cas 2 : les mêmes octets, découpés correctement grâce au délimiteur `\n`.
fn cas_2_lecture_par_ligne() -> Result<()> {
    println!("Cas 2 — les mêmes octets, lus ligne par ligne avec un seul BufReader");
    let Connexion {
        ecrivain,
        lecteur,
        port,
    } = ouvrir_connexion()?;
    ecrire_deux_messages_et_fermer(ecrivain, port)?;
    thread::sleep(Duration::from_millis(100));

    // ANCHOR: lecture_par_ligne
    // UN `BufReader` pour toute la connexion. Son premier `read` sur la socket
    // peut ramener plus d'une ligne : il garde le surplus dans son tampon et
    // le sert à l'appel suivant. Le recréer à chaque ligne jetterait ce
    // surplus, et avec lui le début de la ligne suivante.
    let mut lignes = BufReader::new(lecteur);
    for numero in 1..=3 {
        let mut ligne = String::new();
        // `read_line` lit jusqu'au `\n` inclus, en redemandant des octets au
        // noyau autant de fois qu'il le faut. Elle renvoie 0 à la fin du flux.
        let n = lignes
            .read_line(&mut ligne)
            .with_context(|| format!("échec de la lecture de la ligne {numero}"))?;
        if n == 0 {
            println!("  lecteur  : read_line n° {numero} → 0 octet : fin du flux");
            break;
        }
        println!("  lecteur  : read_line n° {numero} → {ligne:?}");
    }
    // ANCHOR_END: lecture_par_ligne
    println!("  Bilan : chaque message est rendu à part, car chacun se termine par '\\n'.");
    Ok(())
}

/// Cas 3 : un message qui arrive en plusieurs morceaux.
fn cas_3_message_en_morceaux() -> Result<()> {
    println!("Cas 3 — une ligne envoyée en morceaux de {TAILLE_MORCEAU} octets, séparés de pauses");
    let Connexion {
        mut ecrivain,
        mut lecteur,
        port,
    } = ouvrir_connexion()?;
    let bienvenue =
        format!("Bonjour Client, je suis le serveur {port}, la connexion est établie\n");

    // L'écrivain travaille dans son propre thread, pendant que le fil
    // principal lit : c'est ainsi que les morceaux arrivent « au compte-gouttes ».
    let a_envoyer = bienvenue.clone();
    let fil_ecrivain = thread::spawn(move || -> Result<()> {
        // Désactiver l'algorithme de Nagle : sinon le noyau pourrait
        // regrouper ces petits envois en un seul segment.
        ecrivain
            .set_nodelay(true)
            .context("impossible de désactiver l'algorithme de Nagle")?;
        // ANCHOR: ecriture_en_morceaux
        for morceau in a_envoyer.as_bytes().chunks(TAILLE_MORCEAU) {
            ecrivain
                .write_all(morceau)
                .context("échec de l'envoi d'un morceau")?;
            thread::sleep(PAUSE_ENTRE_MORCEAUX);
        }
        // ANCHOR_END: ecriture_en_morceaux
        Ok(())
    });

    // ANCHOR: lecture_d_un_fragment
    // `read` bloque tant que rien n'est arrivé, puis revient dès que des
    // octets sont là, sans attendre « la fin du message » : il n'en connaît
    // aucune. Il rend donc le premier morceau, et lui seul.
    let mut tampon = [0u8; 1024];
    let n = lecteur
        .read(&mut tampon)
        .context("échec de la lecture unique")?;
    // `from_utf8_lossy`, car un fragment peut couper un caractère en deux :
    // « é » occupe deux octets en UTF-8, qui peuvent arriver séparément.
    let fragment = String::from_utf8_lossy(&tampon[..n]).into_owned();
    println!("  lecteur  : read() n° 1 → {n} octets : {fragment:?}");
    // ANCHOR_END: lecture_d_un_fragment

    // La suite de la ligne, lue cette fois avec `read_line`, qui attend
    // jusqu'au `\n` quel que soit le nombre de morceaux.
    let mut reste = String::new();
    BufReader::new(&lecteur)
        .read_line(&mut reste)
        .context("échec de la lecture du reste de la ligne")?;
    println!("  lecteur  : read_line  → {reste:?}");

    fil_ecrivain
        .join()
        .map_err(|_| anyhow!("le thread écrivain a paniqué"))??;

    if n < bienvenue.len() {
        println!(
            "  Bilan : la lecture unique n'a rendu qu'un fragment ({n} octets sur {}) ;",
            bienvenue.len()
        );
    } else {
        println!(
            "  Bilan : cette fois, la ligne entière était déjà arrivée (machine très chargée ?) ;"
        );
    }
    if format!("{fragment}{reste}") == bienvenue {
        println!("          fragment + reste = la ligne complète, reconstituée par read_line.");
    } else {
        println!("          fragment + reste ne redonnent pas la ligne envoyée !");
    }
    Ok(())
}
