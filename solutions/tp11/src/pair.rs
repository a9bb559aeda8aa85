//! Le pair du TP11 : une socket UDP attachée à un port connu, un pair connu
//! d'avance, et deux fils pour écouter à la fois le clavier et la socket.

use std::fmt;
use std::io::{self, BufRead};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::mpsc;
use std::thread;

use anyhow::{Context, Result, bail};
use socket2::{Domain, Protocol, Socket, Type};

/// La plus grande charge utile d'un datagramme UDP : 65 507 octets sur IPv4
/// (65 535 moins l'en-tête IP, 20, et l'en-tête UDP, 8), 65 527 sur IPv6 (dont
/// l'en-tête n'est pas compté dans les 65 535). Un tampon plus petit
/// tronquerait en silence les datagrammes plus longs.
const TAILLE_MAX: usize = 65_527;

/// La ligne qui termine la conversation, qu'elle soit tapée ou reçue.
const MOT_DE_FIN: &[u8] = b"fin";

/// Pourquoi la conversation s'arrête.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fin {
    /// « fin » a été tapé (et envoyé au pair).
    Tapee,
    /// Le pair a envoyé « fin ».
    Recue,
    /// L'entrée standard est finie (Ctrl+D au clavier, fichier épuisé).
    EntreeEpuisee,
}

impl fmt::Display for Fin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fin::Tapee => "Vous avez mis fin à la conversation.",
            Fin::Recue => "Le pair a mis fin à la conversation.",
            Fin::EntreeEpuisee => "Fin de l'entrée standard : conversation terminée.",
        })
    }
}

// ANCHOR: deroule
/// Le scénario du pair, étape par étape.
pub fn lancer(port_local: u16, hote_distant: &str, port_distant: u16) -> Result<()> {
    // Étape 1 : les adresses du pair, connues avant tout échange (mode
    // symétrique). Elles décident de la famille de notre socket.
    let adresses = adresses_du_pair(hote_distant, port_distant)?;

    // Étape 2 : la socket UDP, de la famille du pair, attachée au port que le
    // pair connaît.
    let (socket, pair) = ouvrir(port_local, &adresses)?;
    let locale = socket
        .local_addr()
        .context("impossible de lire l'adresse de la socket")?;
    println!("Pair attaché à {locale}, en conversation avec {pair} (« fin » pour terminer)");

    // Deux attentes bloquantes à mener en même temps : une ligne au clavier
    // (read_line) et un datagramme sur la socket (recv_from). Chacune a son
    // fil ; le premier qui finit le signale à main par un canal.
    let (signal, premiere_fin) = mpsc::channel();
    let socket_de_reception = socket
        .try_clone()
        .context("impossible de dupliquer la socket")?;
    let signal_de_reception = signal.clone();
    // Étape 3 : chaque ligne tapée part en un datagramme.
    thread::spawn(move || signal.send(envoyer_les_lignes(&socket, pair)));
    // Étape 4 : chaque datagramme du pair s'affiche dès son arrivée.
    thread::spawn(move || signal_de_reception.send(recevoir(&socket_de_reception, pair)));

    // Étape 5 : la première fin venue termine tout. Quand main rend la main,
    // le processus s'arrête, et l'autre fil avec lui, même bloqué.
    let fin = premiere_fin
        .recv()
        .context("les deux fils se sont arrêtés sans rien dire")??;
    println!("{fin}");
    Ok(())
}
// ANCHOR_END: deroule

// ANCHOR: etapes
/// Étape 1 : résout `hote` en adresses (getaddrinfo), et les garde toutes,
/// dans l'ordre où la résolution les rend. `::1` est une réponse aussi
/// valable que `127.0.0.1`, et `localhost` peut donner les deux : on
/// n'écarte aucune famille ici, c'est l'étape 2 qui choisit.
fn adresses_du_pair(hote: &str, port: u16) -> Result<Vec<SocketAddr>> {
    let adresses: Vec<SocketAddr> = (hote, port)
        .to_socket_addrs()
        .with_context(|| format!("impossible de résoudre le nom « {hote} »"))?
        .collect();
    if adresses.is_empty() {
        bail!("« {hote} » ne donne aucune adresse");
    }
    Ok(adresses)
}

/// Étape 2 : pour chaque adresse du pair, dans l'ordre, une socket UDP de
/// **sa** famille, attachée à la boucle locale de cette famille
/// (`127.0.0.1` ou `::1`) au port `port_local`. La première qui s'attache
/// sert à toute la conversation, avec l'adresse du pair qui l'a choisie.
///
/// Pourquoi la famille du pair : une socket AF_INET n'a que des adresses
/// IPv4, et son `sendto` vers `::1` échoue (EAFNOSUPPORT) ; une socket
/// AF_INET6 attachée à `::1` n'a pas d'adresse IPv4 : un pair IPv4 ne peut
/// pas lui écrire à `127.0.0.1`, ni la reconnaître comme expéditeur.
///
/// En mode symétrique, le `bind` est obligatoire : le pair envoie ses
/// datagrammes à ce port-là, et il ne reconnaît les nôtres qu'à leur port de
/// départ. Sans `bind`, le noyau choisirait au premier envoi un port
/// éphémère que personne ne connaît.
fn ouvrir(port_local: u16, adresses: &[SocketAddr]) -> Result<(UdpSocket, SocketAddr)> {
    let mut absente = None;
    for &pair in adresses {
        // La boucle locale suffit au TP (les deux pairs sont sur la même
        // machine) ; pour parler à une autre machine, on prendrait 0.0.0.0
        // ou ::.
        let locale = match pair {
            SocketAddr::V4(_) => SocketAddr::from((Ipv4Addr::LOCALHOST, port_local)),
            SocketAddr::V6(_) => SocketAddr::from((Ipv6Addr::LOCALHOST, port_local)),
        };
        // socket(AF_INET ou AF_INET6, SOCK_DGRAM, IPPROTO_UDP) : une socket
        // sans connexion, qui envoie et reçoit des datagrammes entiers. Si
        // le noyau ne connaît pas la famille (IPv6 désactivé : EAFNOSUPPORT),
        // l'adresse suivante du pair aura peut-être plus de chance.
        let socket = match Socket::new(Domain::for_address(pair), Type::DGRAM, Some(Protocol::UDP))
        {
            Ok(socket) => socket,
            Err(e) => {
                absente = Some(format!("pas de socket pour {locale} : {e}"));
                continue;
            }
        };
        // Pas de SO_REUSEADDR : UDP n'a pas d'état TIME_WAIT, et l'option
        // laisserait un second programme s'attacher au même port que nous.
        match socket.bind(&locale.into()) {
            Ok(()) => return Ok((socket.into(), pair)),
            // EADDRNOTAVAIL : la famille existe, mais pas sa boucle locale
            // (::1 retiré de lo). On passe, là encore, à l'adresse suivante.
            Err(e) if e.kind() == io::ErrorKind::AddrNotAvailable => {
                absente = Some(format!("pas de boucle locale {locale} : {e}"));
            }
            // Toute autre erreur (le port est pris : EADDRINUSE) arrête tout :
            // le pair nous attend à ce port-là, pas ailleurs.
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("impossible d'attacher la socket à {locale} (port déjà pris ?)")
                });
            }
        }
    }
    bail!(
        "aucune adresse du pair n'est utilisable sur cette machine ({})",
        absente.unwrap_or_default()
    )
}

/// Étape 3 : lit l'entrée standard ligne à ligne ; chaque ligne, sans sa fin
/// de ligne, part en **un** datagramme vers le pair. UDP garde les
/// frontières : un envoi, un datagramme, une réception. Pas besoin de `\n`.
fn envoyer_les_lignes(socket: &UdpSocket, pair: SocketAddr) -> Result<Fin> {
    let mut clavier = io::stdin().lock();
    let mut ligne = Vec::new();
    loop {
        ligne.clear();
        // read_until bloque jusqu'à une ligne complète ; 0 octet lu, c'est la
        // fin de l'entrée : une fin normale, pas une erreur.
        let lus = clavier
            .read_until(b'\n', &mut ligne)
            .context("impossible de lire l'entrée standard")?;
        if lus == 0 {
            return Ok(Fin::EntreeEpuisee);
        }
        let message = sans_fin_de_ligne(&ligne);
        // sendto n'attend pas le pair : le noyau émet le datagramme et
        // revient. Personne ne confirme la réception. On vérifie quand même
        // que le datagramme est parti entier.
        let envoyes = socket
            .send_to(message, pair)
            .with_context(|| format!("impossible d'envoyer un datagramme à {pair}"))?;
        if envoyes != message.len() {
            bail!(
                "datagramme tronqué : {envoyes} octets envoyés sur {}",
                message.len()
            );
        }
        if message == MOT_DE_FIN {
            return Ok(Fin::Tapee);
        }
    }
}

/// Étape 4 : attend les datagrammes et affiche ceux du pair, `<< MESSAGE`.
/// Les autres expéditeurs sont signalés sur la sortie d'erreur et ignorés.
fn recevoir(socket: &UdpSocket, pair: SocketAddr) -> Result<Fin> {
    let mut tampon = vec![0u8; TAILLE_MAX];
    loop {
        // recv_from bloque jusqu'au prochain datagramme, de qui que ce soit :
        // une socket UDP non connectée accepte tous les expéditeurs. Il rend
        // la taille du datagramme et l'adresse de celui qui l'a envoyé.
        let (taille, expediteur) = socket
            .recv_from(&mut tampon)
            .context("impossible de recevoir un datagramme")?;
        // Le mode symétrique : on sait qui est le pair, on vérifie l'adresse
        // entière (IP et port), pas seulement l'IP.
        if expediteur != pair {
            eprintln!(
                "avertissement : datagramme de {expediteur} ignoré (ce n'est pas le pair {pair})"
            );
            continue;
        }
        let message = sans_fin_de_ligne(&tampon[..taille]);
        // Le texte vient du réseau : des octets invalides sont remplacés (�)
        // plutôt que d'arrêter la conversation, et les caractères de
        // contrôle sont échappés avant d'atteindre le terminal.
        println!("<< {}", affichable(&String::from_utf8_lossy(message)));
        if message == MOT_DE_FIN {
            return Ok(Fin::Recue);
        }
    }
}
// ANCHOR_END: etapes

/// Retire la fin de ligne : `\n`, ou `\r\n` (terminal Windows, `nc -C`). Un
/// datagramme envoyé par `nc -u` en porte une ; les nôtres, non.
fn sans_fin_de_ligne(octets: &[u8]) -> &[u8] {
    let octets = octets.strip_suffix(b"\n").unwrap_or(octets);
    octets.strip_suffix(b"\r").unwrap_or(octets)
}

/// Le texte reçu, prêt pour le terminal : chaque caractère de contrôle
/// (`char::is_control` : U+0000 à U+001F, U+007F à U+009F) est remplacé par
/// son écriture échappée, `\u{1b}` pour ESC, `\n`, `\r`, `\t`…
///
/// Le pair, ou n'importe qui, peut envoyer n'importe quels octets. Écrits
/// tels quels, ESC et les suivants sont des ordres pour le terminal :
/// `ESC ] 0 ; … BEL` change le titre de la fenêtre, `ESC [ 2 J` efface
/// l'écran, un `\n` au milieu fabriquerait une fausse ligne `<< …`.
/// Échappés, ils se voient sans agir.
fn affichable(texte: &str) -> String {
    let mut sur = String::with_capacity(texte.len());
    for c in texte.chars() {
        if c.is_control() {
            sur.extend(c.escape_default());
        } else {
            sur.push(c);
        }
    }
    sur
}
