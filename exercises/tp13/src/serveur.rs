//! La boucle d'événements du bar : un seul thread surveille la socket
//! d'écoute et toutes les sockets de service, et ne touche qu'à celles que
//! le noyau déclare prêtes.
//!
//! Complétez les fonctions dans l'ordre des étapes, en remplaçant chaque
//! `todo!()`. Après chaque étape : `cargo test -p tp13`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, unused_mut, dead_code)]

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use socket2::{Domain, Protocol, Socket, Type};

use crate::connexion::{Connexion, Suite};

/// Connexions établies que le noyau garde en attente d'un accept(). Une
/// boucle d'événements accepte vite, mais mille clients peuvent frapper en
/// même temps : le noyau réduit la valeur à `net.core.somaxconn` si besoin.
const BACKLOG: i32 = 1024;

/// Ce que reçoit un client quand toutes les places sont prises.
const COMPLET: &[u8] = b"bar complet, revenez plus tard\n";

/// Le jeton de la socket d'écoute ; ceux des clients commencent à 1.
const ECOUTE: Token = Token(0);

/// Nombre d'événements qu'un appel à poll() peut rendre d'un coup. Au-delà,
/// les suivants attendent simplement le tour de boucle suivant.
const EVENEMENTS: usize = 1024;

/// Après un accept() raté faute de ressources (plus de descripteurs libres),
/// délai avant de réessayer. Le thread ne dort pas : il continue de servir
/// les clients présents, et poll() rend la main au plus tard après ce délai.
const NOUVEL_ESSAI: Duration = Duration::from_millis(100);

/// Tout l'état du serveur, possédé par l'unique thread : ni `Arc` ni `Mutex`.
struct Bar {
    poll: Poll,
    ecoute: TcpListener,
    connexions: HashMap<Token, Connexion>,
    /// Le prochain jeton à donner. Un jeton n'est jamais réutilisé : un
    /// événement en retard pour un client parti ne peut pas viser son successeur.
    prochain: usize,
    max_clients: usize,
    /// Vrai si le dernier accept() a échoué faute de ressources : des clients
    /// attendent peut-être encore dans la file, sans nouvel événement à venir.
    accept_a_reprendre: bool,
    /// Le silence au-delà duquel un client est congédié (`--inactivite`).
    inactivite: Duration,
}

// ANCHOR: lancer
/// Ouvre le bar et le sert pour toujours.
pub fn lancer(port: u16, max_clients: usize, inactivite: Duration) -> Result<()> {
    // Étape 1 : la socket d'écoute, non bloquante.
    let mut ecoute = ouvrir_ecoute(port)?;
    let port = ecoute
        .local_addr()
        .context("impossible de lire l'adresse de la socket d'écoute")?
        .port();
    // Poll::new() crée l'instance epoll du noyau (epoll_create1) ; register
    // lui confie la socket d'écoute (epoll_ctl) sous le jeton ECOUTE.
    let poll = Poll::new().context("impossible de créer l'instance epoll")?;
    poll.registry()
        .register(&mut ecoute, ECOUTE, Interest::READABLE)
        .context("impossible de surveiller la socket d'écoute")?;
    println!("Le bar est ouvert sur 127.0.0.1:{port} ({max_clients} clients au plus à la fois)");

    let mut bar = Bar {
        poll,
        ecoute,
        connexions: HashMap::new(),
        prochain: 1,
        max_clients,
        accept_a_reprendre: false,
        inactivite,
    };
    bar.boucler()
}
// ANCHOR_END: lancer

// ANCHOR: ouvrir_ecoute
/// Étape 1 : socket, SO_REUSEADDR, bind sur 127.0.0.1, listen, comme au
/// TP12 (avec `BACKLOG`), puis une ligne de plus :
/// `socket.set_nonblocking(true)`. Sans elle, un accept() appelé quand
/// personne n'attend bloquerait le seul thread du serveur.
///
/// Pour finir, `TcpListener::from_std(socket.into())` : la socket passe à
/// mio, qui exige qu'elle soit déjà non bloquante.
fn ouvrir_ecoute(port: u16) -> Result<TcpListener> {
    todo!(
        "Étape 1 : créer la socket d'écoute non bloquante (socket, bind, listen, set_nonblocking)"
    )
}
// ANCHOR_END: ouvrir_ecoute

impl Bar {
    // ANCHOR: boucler
    /// Étape 2 : la boucle d'événements, sans fin.
    ///
    /// - créez une seule fois `Events::with_capacity(EVENEMENTS)` ;
    /// - à chaque tour, `self.poll.poll(&mut evenements, delai)` endort le
    ///   thread jusqu'à ce qu'une socket surveillée soit prête, ou que le
    ///   délai expire. Avant chaque attente, `self.congedier_les_inactifs()`
    ///   (fournie) ferme les clients muets depuis trop longtemps et rend le
    ///   temps qui reste avant le prochain (`None` : aucun client) ; si
    ///   `self.accept_a_reprendre`, le délai est au plus `NOUVEL_ESSAI`, et
    ///   après l'attente, appelez `self.accepter()`. Le plus petit des deux
    ///   (ou `None` s'il n'y en a aucun : attendre sans limite, sans
    ///   consommer de processeur) ;
    /// - une erreur `Interrupted` (un signal) : on attend de nouveau ; une
    ///   autre erreur termine le serveur (`return Err(…).context(…)`) ;
    /// - pour chaque événement : jeton `ECOUTE` → `self.accepter()`, autre
    ///   jeton → `self.servir(jeton)`.
    fn boucler(&mut self) -> Result<()> {
        todo!("Étape 2 : la boucle d'événements (poll, puis un traitement par événement)")
    }
    // ANCHOR_END: boucler

    // ANCHOR: accepter
    /// Étape 2 : accepte **tous** les clients qui attendent, en boucle :
    /// mio règle epoll pour ne signaler que les changements ; s'il reste des
    /// clients dans la file après un seul accept(), aucun événement ne le
    /// redira.
    ///
    /// `self.ecoute.accept()` rend `(flux, adresse)` → `self.accueillir` ;
    /// `WouldBlock` : la file est vide, `self.accept_a_reprendre = false` et
    /// c'est fini ; `Interrupted` ou `ConnectionAborted` : au suivant ; une
    /// autre erreur (EMFILE…) : affichez-la avec `eprintln!`, mettez
    /// `self.accept_a_reprendre = true` et arrêtez là. Jamais de `sleep` :
    /// tout le bar dormirait avec.
    fn accepter(&mut self) {
        todo!("Étape 2 : accepter tous les clients en attente, jusqu'à WouldBlock")
    }

    /// Étape 2 : un client de plus. Si `self.connexions` compte déjà
    /// `self.max_clients` clients, `refuser`. Sinon : un jeton neuf
    /// (`Token(self.prochain)`, puis `self.prochain += 1`), l'enregistrer
    /// (`self.poll.registry().register(&mut flux, jeton, Interest::READABLE)`,
    /// une erreur s'affiche et ce client est lâché), afficher
    /// `Client connecté : ADRESSE`, et ranger
    /// `Connexion::new(flux, adresse, Interest::READABLE)` dans la table.
    fn accueillir(&mut self, mut flux: TcpStream, adresse: SocketAddr) {
        todo!("Étape 2 : servir le nouveau client (register) ou le refuser")
    }
    // ANCHOR_END: accepter

    // ANCHOR: servir
    /// Une socket de service est prête : la connexion avance autant qu'elle
    /// le peut sans bloquer, puis dit ce qu'elle attend désormais.
    /// (Cette fonction est fournie.)
    fn servir(&mut self, jeton: Token) {
        // Le client a pu partir plus tôt dans ce même tour de boucle.
        let Some(connexion) = self.connexions.get_mut(&jeton) else {
            return;
        };
        connexion.derniere_activite = Instant::now();
        match connexion.avancer() {
            Suite::Attendre(interets) => {
                if let Err(e) = connexion.abonner(self.poll.registry(), jeton, interets) {
                    eprintln!(
                        "erreur : impossible de surveiller {} : {e}",
                        connexion.adresse
                    );
                    self.fermer(jeton);
                }
            }
            Suite::Fermer => self.fermer(jeton),
        }
    }
    // ANCHOR_END: servir

    // ANCHOR: congedier
    /// Ferme la connexion des clients muets depuis `self.inactivite`, et
    /// rend le temps qui reste avant le prochain à congédier (`None` : aucun
    /// client). C'est le délai à donner à poll() : le thread dort jusque-là
    /// au plus, sans tourner à vide. Sans ce délai, des clients qui se
    /// taisent garderaient leur place pour toujours. (Cette fonction est
    /// fournie.)
    fn congedier_les_inactifs(&mut self) -> Option<Duration> {
        let maintenant = Instant::now();
        let muets: Vec<Token> = self
            .connexions
            .iter()
            .filter(|(_, c)| maintenant.duration_since(c.derniere_activite) >= self.inactivite)
            .map(|(jeton, _)| *jeton)
            .collect();
        for jeton in muets {
            if let Some(connexion) = self.connexions.get(&jeton) {
                eprintln!(
                    "{} congédié : rien reçu depuis {} s",
                    connexion.adresse,
                    self.inactivite.as_secs()
                );
            }
            self.fermer(jeton);
        }
        self.connexions
            .values()
            .map(|c| {
                self.inactivite
                    .saturating_sub(maintenant.duration_since(c.derniere_activite))
            })
            .min()
    }
    // ANCHOR_END: congedier

    // ANCHOR: fermer
    /// Étape 4 : le client part. Retirez sa connexion de la table
    /// (`self.connexions.remove`), retirez sa socket de l'ensemble surveillé
    /// (`self.poll.registry().deregister(&mut connexion.flux)`, une erreur
    /// s'affiche), lâchez la connexion (`drop`) : c'est close(2), le
    /// descripteur est rendu. Enfin, affichez `Client parti : ADRESSE`.
    fn fermer(&mut self, jeton: Token) {
        todo!("Étape 4 : retirer la connexion, ne plus la surveiller, la fermer")
    }
    // ANCHOR_END: fermer
}

/// Étape 2 : le bar est complet. Affichez
/// `Bar complet, client refusé : ADRESSE`, puis envoyez `COMPLET` en un seul
/// `write` : la socket est neuve, ces 31 octets y tiennent. Si `write` en
/// prend moins, ou échoue, affichez-le ; n'attendez pas. La socket se ferme
/// en sortant de la fonction.
fn refuser(mut flux: TcpStream, adresse: SocketAddr) {
    todo!("Étape 2 : dire « bar complet » au client de trop, puis le fermer")
}
