//! Cinq cents entiers sur une connexion TCP : lecture courte, `read_exact`
//! et ordre des octets.
//!
//! L'émetteur envoie un message binaire : un en-tête de 4 octets qui annonce
//! le nombre d'entiers (500), puis les 500 entiers, chacun sur 4 octets
//! signés, en gros-boutiste (l'ordre « réseau »). Le premier vaut
//! `0x1234abcd`, pour voir ce que donnerait une lecture dans le mauvais
//! ordre.
//!
//! Pour rendre visible ce que le réseau peut faire, l'émetteur coupe son
//! envoi en deux (1024 octets, une pause, puis le reste). Le récepteur
//! montre alors :
//! 1. qu'un `read` unique avec un tampon de 2000 octets peut en rendre moins :
//!    une partie seulement des entiers ;
//! 2. que `read_exact` sur la suite complète le message, quel que soit le
//!    découpage ;
//! 3. que les 4 octets du premier entier, lus dans le mauvais ordre, donnent
//!    un tout autre nombre.
//!
//! Lancement : `cargo run -p exemples --bin exemple-cinq-cents-entiers`

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

/// Nombre d'entiers du message.
const NOMBRE: usize = 500;
/// Taille d'un entier sur le fil : 4 octets, quelle que soit la machine.
const TAILLE_ENTIER: usize = 4;
/// Taille du premier morceau envoyé (en-tête compris).
const PREMIER_MORCEAU: usize = 1024;
/// Délai maximal de chaque lecture.
const DELAI_MAX: Duration = Duration::from_secs(5);

/// Les entiers à envoyer : le premier est reconnaissable, les autres
/// alternent positifs et négatifs.
fn entiers() -> Vec<i32> {
    let mut valeurs = vec![0x1234_abcd];
    valeurs.extend((1..NOMBRE as i32).map(|i| if i % 2 == 0 { i * 1000 } else { -i }));
    valeurs
}

// ANCHOR: encoder
/// Fabrique le message : en-tête (nombre d'entiers, u32), puis les entiers
/// (i32), tous en gros-boutiste. `to_be_bytes` est le `htonl` de Rust.
fn encoder(valeurs: &[i32]) -> Vec<u8> {
    let mut message = Vec::with_capacity(4 + valeurs.len() * TAILLE_ENTIER);
    message.extend_from_slice(&(valeurs.len() as u32).to_be_bytes());
    for valeur in valeurs {
        message.extend_from_slice(&valeur.to_be_bytes());
    }
    message
}
// ANCHOR_END: encoder

fn main() -> Result<()> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("impossible d'ouvrir une socket d'écoute sur 127.0.0.1")?;
    let adresse = ecoute.local_addr().context("adresse illisible")?;

    let emetteur = thread::spawn(move || -> Result<()> {
        let mut flux = TcpStream::connect(adresse)
            .with_context(|| format!("connexion à {adresse} impossible"))?;
        flux.set_nodelay(true)
            .context("impossible de désactiver l'algorithme de Nagle")?;
        let message = encoder(&entiers());
        // Deux envois séparés d'une pause : ce que ferait un réseau lent ou
        // un tampon d'émission presque plein.
        flux.write_all(&message[..PREMIER_MORCEAU])
            .context("échec du premier envoi")?;
        thread::sleep(Duration::from_millis(200));
        flux.write_all(&message[PREMIER_MORCEAU..])
            .context("échec du second envoi")?;
        Ok(())
    });

    let (mut flux, _) = ecoute.accept().context("échec de accept")?;
    flux.set_read_timeout(Some(DELAI_MAX))
        .context("impossible de régler le délai de lecture")?;
    let valeurs = recevoir(&mut flux)?;
    emetteur
        .join()
        .map_err(|_| anyhow!("le thread émetteur a paniqué"))??;

    if valeurs != entiers() {
        bail!("les entiers reçus diffèrent des entiers envoyés");
    }
    println!("   Bilan : les {NOMBRE} entiers reçus sont bien ceux envoyés.");
    Ok(())
}

/// Le récepteur : en-tête, lecture unique (trop courte), puis `read_exact`.
fn recevoir(flux: &mut TcpStream) -> Result<Vec<i32>> {
    // ANCHOR: recevoir
    // 1. L'en-tête a une taille fixe : read_exact lit exactement 4 octets.
    let mut entete = [0u8; 4];
    flux.read_exact(&mut entete).context("en-tête incomplet")?;
    let nombre = u32::from_be_bytes(entete) as usize;
    println!(
        "1. en-tête : {nombre} entiers annoncés, soit {} octets",
        nombre * TAILLE_ENTIER
    );

    // 2. Un seul read, comme le recv(dS, message, sizeof(message), 0) du
    //    cours : il rend ce qui est déjà arrivé, pas forcément tout.
    let mut corps = vec![0u8; nombre * TAILLE_ENTIER];
    let n = flux.read(&mut corps).context("échec de la lecture")?;
    println!(
        "2. read unique → {n} octets sur {} : {} entiers complets seulement",
        corps.len(),
        n / TAILLE_ENTIER
    );

    // 3. Le reste : read_exact rappelle read jusqu'à remplir le tampon.
    flux.read_exact(&mut corps[n..])
        .context("message incomplet : l'émetteur a fermé trop tôt")?;
    println!("3. read_exact(reste) → les {} octets sont là", corps.len());
    // ANCHOR_END: recevoir

    // ANCHOR: decoder
    let valeurs: Vec<i32> = corps
        .chunks_exact(TAILLE_ENTIER)
        .map(|octets| i32::from_be_bytes([octets[0], octets[1], octets[2], octets[3]]))
        .collect();
    let premier = &corps[..TAILLE_ENTIER];
    let a_l_envers = i32::from_le_bytes([premier[0], premier[1], premier[2], premier[3]]);
    println!("4. octets du premier entier : {premier:02x?}");
    println!(
        "   lus en gros-boutiste (ordre réseau) : {:#010x}",
        valeurs[0]
    );
    println!("   lus en petit-boutiste (à tort)      : {a_l_envers:#010x}");
    // ANCHOR_END: decoder
    Ok(valeurs)
}
