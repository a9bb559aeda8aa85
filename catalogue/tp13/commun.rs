//! Ce que les solutions fausses du TP13 font correctement : lire leurs
//! arguments, écouter sur 127.0.0.1, et servir le bar avec une boucle
//! d'événements juste. Chaque programme du catalogue remplace une seule
//! pièce de cette boucle (une méthode du trait [`Variante`]) par sa
//! version fautive : son fichier ne contient que son erreur.
//!
//! (Chaque programme n'utilise qu'une partie de ce module.)
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

/// Longueur maximale d'une commande, `\n` compris.
const LONGUEUR_MAX: usize = 1024;
/// Ce que reçoit un client de trop.
pub const COMPLET: &[u8] = b"bar complet, revenez plus tard\n";
const ECOUTE: Token = Token(0);

/// Le délai d'inactivité (`--inactivite S`), en secondes ; 300 par défaut.
static INACTIVITE: AtomicU64 = AtomicU64::new(300);

/// Le délai après lequel un client muet est congédié.
pub fn inactivite() -> Duration {
    Duration::from_secs(INACTIVITE.load(Ordering::Relaxed))
}

/// `NOM serveur [PORT] [--max-clients N] [--inactivite S]` : le port et la
/// limite de clients ; le délai d'inactivité est retenu ([`inactivite`]).
pub fn arguments() -> (u16, usize) {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let (mut port, mut max) = (1664, 64);
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--max-clients" {
            max = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(max);
            i += 2;
        } else if args[i] == "--inactivite" {
            if let Some(s) = args.get(i + 1).and_then(|n| n.parse().ok()) {
                INACTIVITE.store(s, Ordering::Relaxed);
            }
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

/// Une connexion de la boucle d'événements et ses deux tampons.
pub struct Connexion {
    pub flux: TcpStream,
    pub adresse: SocketAddr,
    entree: Vec<u8>,
    pub sortie: Vec<u8>,
    /// Plus rien à lire : « fin », fin du flux ou commande invalide.
    finir: bool,
    /// Connexion cassée : à fermer sans attendre.
    casse: bool,
    /// Marquée partie sans être retirée de la table (une des variantes).
    pub partie: bool,
    interets: Interest,
    /// Le dernier événement de cette socket.
    derniere_activite: Instant,
}

/// Le serveur : la boucle, la socket d'écoute et la table des connexions.
pub struct Bar {
    pub poll: Poll,
    pub ecoute: TcpListener,
    pub connexions: HashMap<Token, Connexion>,
    prochain: usize,
    max: usize,
}

/// Les pièces de la boucle qu'une solution fausse peut remplacer. Les
/// méthodes par défaut sont justes.
pub trait Variante {
    /// La socket d'écoute : 127.0.0.1, SO_REUSEADDR (TcpListener::bind le règle).
    fn ecoute(&self, port: u16) -> io::Result<std::net::TcpListener> {
        std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
    }

    /// La ligne entière « fin », et elle seule, termine la session.
    fn est_la_fin(&self, commande: &str) -> bool {
        commande == "fin"
    }

    /// Longueur maximale d'une commande, `\n` compris.
    fn longueur_max(&self) -> usize {
        LONGUEUR_MAX
    }

    /// Le nombre de clients servis à la fois, d'après `--max-clients`.
    fn max_clients(&self, demande: usize) -> usize {
        demande
    }

    /// Le délai d'inactivité, d'après `--inactivite` (`None` : jamais).
    fn inactivite(&self) -> Option<Duration> {
        Some(inactivite())
    }

    /// Afficher chaque commande reçue (ce que le TP13 interdit).
    fn afficher_les_commandes(&self) -> bool {
        false
    }

    /// Délai de poll() : aucun, le thread dort jusqu'au prochain événement.
    fn delai(&self) -> Option<Duration> {
        None
    }

    /// La socket d'écoute est prête : accepter jusqu'à WouldBlock.
    fn sur_ecoute(&self, bar: &mut Bar) {
        while accepter_un(self, bar) {}
    }

    /// Un accept() ; mio rend une socket de service non bloquante.
    fn accepter(&self, ecoute: &TcpListener) -> io::Result<(TcpStream, SocketAddr)> {
        ecoute.accept()
    }

    /// Envoie ce que le noyau veut bien prendre, garde le reste.
    fn envoyer(&self, connexion: &mut Connexion) -> io::Result<()> {
        envoyer(connexion)
    }

    /// Au-delà de ce nombre d'octets de réponses en attente, on cesse de
    /// lire le client (contre-pression).
    fn sortie_max(&self) -> usize {
        64 * 1024
    }

    /// Après une pause de contre-pression, reprendre la lecture aussitôt que
    /// la sortie s'est vidée : epoll ne signalera plus ce qui est déjà arrivé.
    fn reprendre_apres_pause(&self) -> bool {
        true
    }

    /// Le jeton d'un nouveau client : un compteur qui ne fait que croître.
    fn jeton(&self, bar: &mut Bar) -> Token {
        let jeton = Token(bar.prochain);
        bar.prochain += 1;
        jeton
    }

    /// Le client part : retirer sa connexion, ne plus la surveiller, la fermer.
    fn fermer(&self, bar: &mut Bar, jeton: Token) {
        if let Some(mut connexion) = bar.connexions.remove(&jeton) {
            let _ = bar.poll.registry().deregister(&mut connexion.flux);
            println!("Client parti : {}", connexion.adresse);
        }
    }
}

/// Ouvre le bar et le sert avec la variante donnée.
pub fn lancer(variante: impl Variante) -> io::Result<()> {
    let (port, max) = arguments();
    let max = variante.max_clients(max);
    let ecoute = variante.ecoute(port)?;
    ecoute.set_nonblocking(true)?;
    let mut ecoute = TcpListener::from_std(ecoute);
    let poll = Poll::new()?;
    poll.registry()
        .register(&mut ecoute, ECOUTE, Interest::READABLE)?;
    println!("Le bar est ouvert sur 127.0.0.1:{port}");
    let mut bar = Bar {
        poll,
        ecoute,
        connexions: HashMap::new(),
        prochain: 1,
        max,
    };
    let mut evenements = Events::with_capacity(1024);
    loop {
        let congedier = congedier_les_inactifs(&variante, &mut bar);
        let delai = variante.delai().into_iter().chain(congedier).min();
        match bar.poll.poll(&mut evenements, delai) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            resultat => resultat?,
        }
        for evenement in evenements.iter() {
            match evenement.token() {
                ECOUTE => variante.sur_ecoute(&mut bar),
                jeton => servir(&variante, &mut bar, jeton),
            }
        }
    }
}

/// Un accept() ; rend `false` quand il n'y a plus personne (ou une erreur).
pub fn accepter_un(variante: &(impl Variante + ?Sized), bar: &mut Bar) -> bool {
    let (mut flux, adresse) = match variante.accepter(&bar.ecoute) {
        Ok(client) => client,
        Err(e) => return e.kind() == io::ErrorKind::Interrupted,
    };
    let presents = bar.connexions.values().filter(|c| !c.partie).count();
    if presents >= bar.max {
        let _ = flux.write(COMPLET);
        return true;
    }
    let jeton = variante.jeton(bar);
    if bar
        .poll
        .registry()
        .register(&mut flux, jeton, Interest::READABLE)
        .is_err()
    {
        return true;
    }
    println!("Client connecté : {adresse}");
    bar.connexions.insert(
        jeton,
        Connexion {
            flux,
            adresse,
            entree: Vec::new(),
            sortie: Vec::new(),
            finir: false,
            casse: false,
            partie: false,
            interets: Interest::READABLE,
            derniere_activite: Instant::now(),
        },
    );
    true
}

/// Ferme les clients muets depuis le délai d'inactivité ; rend le temps qui
/// reste avant le prochain (`None` : aucun client, ou pas de délai).
fn congedier_les_inactifs(variante: &impl Variante, bar: &mut Bar) -> Option<Duration> {
    let inactivite = variante.inactivite()?;
    let maintenant = Instant::now();
    let muets: Vec<Token> = bar
        .connexions
        .iter()
        .filter(|(_, c)| !c.partie && maintenant - c.derniere_activite >= inactivite)
        .map(|(jeton, _)| *jeton)
        .collect();
    for jeton in muets {
        variante.fermer(bar, jeton);
    }
    bar.connexions
        .values()
        .filter(|c| !c.partie)
        .map(|c| inactivite.saturating_sub(maintenant - c.derniere_activite))
        .min()
}

/// Fait avancer une connexion prête, puis la réabonne ou la ferme.
fn servir(variante: &impl Variante, bar: &mut Bar, jeton: Token) {
    let max = variante.sortie_max();
    let Some(connexion) = bar.connexions.get_mut(&jeton) else {
        return;
    };
    if connexion.partie {
        return;
    }
    connexion.derniere_activite = Instant::now();
    loop {
        let pleine = lire_et_repondre(variante, connexion, max);
        if variante.envoyer(connexion).is_err() {
            connexion.casse = true;
        }
        let reprendre = variante.reprendre_apres_pause()
            && pleine
            && !connexion.finir
            && connexion.sortie.len() < max;
        if !reprendre || connexion.casse {
            break;
        }
    }
    let lire = (!connexion.finir && connexion.sortie.len() < max).then_some(Interest::READABLE);
    let ecrire = (!connexion.sortie.is_empty()).then_some(Interest::WRITABLE);
    match lire.into_iter().chain(ecrire).reduce(|a, b| a | b) {
        Some(interets) if !connexion.casse => {
            if interets != connexion.interets {
                let _ = bar
                    .poll
                    .registry()
                    .reregister(&mut connexion.flux, jeton, interets);
                connexion.interets = interets;
            }
        }
        _ => variante.fermer(bar, jeton),
    }
}

/// Répond aux commandes reçues et lit la suite jusqu'à WouldBlock ; rend
/// `true` si la lecture s'est arrêtée sur un tampon de sortie plein.
fn lire_et_repondre(variante: &impl Variante, connexion: &mut Connexion, max: usize) -> bool {
    let mut morceau = [0u8; 4096];
    loop {
        repondre(variante, connexion, max);
        if connexion.finir || connexion.casse || connexion.sortie.len() >= max {
            return connexion.sortie.len() >= max;
        }
        match connexion.flux.read(&mut morceau) {
            Ok(0) => connexion.finir = true,
            Ok(n) => connexion.entree.extend_from_slice(&morceau[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return false,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => connexion.casse = true,
        }
    }
}

/// Chaque ligne entière du tampon d'entrée devient une réponse.
fn repondre(variante: &impl Variante, connexion: &mut Connexion, max: usize) {
    let mut lus = 0;
    let longueur_max = variante.longueur_max();
    while !connexion.finir && connexion.sortie.len() < max {
        let reste = &connexion.entree[lus..];
        let Some(fin) = reste.iter().take(longueur_max).position(|&o| o == b'\n') else {
            connexion.finir = reste.len() >= longueur_max;
            break;
        };
        let ligne = reste[..fin].strip_suffix(b"\r").unwrap_or(&reste[..fin]);
        let commande = String::from_utf8(ligne.to_vec());
        lus += fin + 1;
        match commande {
            Ok(commande) => {
                if variante.afficher_les_commandes() {
                    println!("{} commande : {commande}", connexion.adresse);
                }
                connexion
                    .sortie
                    .extend_from_slice(reponse(&commande).as_bytes());
                connexion.finir = variante.est_la_fin(&commande);
            }
            Err(_) => connexion.finir = true,
        }
    }
    connexion.entree.drain(..lus);
}

/// Envoie ce que le noyau veut bien prendre ; le reste attend WRITABLE.
pub fn envoyer(connexion: &mut Connexion) -> io::Result<()> {
    while !connexion.sortie.is_empty() {
        match connexion.flux.write(&connexion.sortie) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                connexion.sortie.drain(..n);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
