//! La boucle d'événements du bar : un seul thread surveille la socket
//! d'écoute et toutes les sockets de service, et ne touche qu'à celles que
//! le noyau déclare prêtes.

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
/// TP12, puis le mode non bloquant : accept() rendra WouldBlock au lieu
/// d'attendre quand personne ne frappe.
fn ouvrir_ecoute(port: u16) -> Result<TcpListener> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))
        .context("impossible de créer la socket")?;
    socket
        .set_reuse_address(true)
        .context("impossible d'activer SO_REUSEADDR")?;
    let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    socket.bind(&adresse.into()).with_context(|| {
        format!(
            "impossible d'attacher la socket au port {port} (déjà pris par un autre programme ?)"
        )
    })?;
    socket
        .listen(BACKLOG)
        .context("impossible de mettre la socket en écoute")?;
    // Sans cette ligne, un accept() sans client en attente bloquerait le
    // seul thread du serveur : plus personne ne serait servi.
    socket
        .set_nonblocking(true)
        .context("impossible de passer la socket d'écoute en mode non bloquant")?;
    Ok(TcpListener::from_std(socket.into()))
}
// ANCHOR_END: ouvrir_ecoute

impl Bar {
    // ANCHOR: boucler
    /// Étape 2 : la boucle d'événements. poll() endort le thread jusqu'à ce
    /// qu'au moins une socket surveillée soit prête (epoll_wait) ; on ne
    /// traite alors que celles-là.
    fn boucler(&mut self) -> Result<()> {
        let mut evenements = Events::with_capacity(EVENEMENTS);
        loop {
            // None : pas de délai, le thread dort tant que rien n'arrive et
            // ne consomme aucun temps de processeur. Un délai n'est utile que
            // pour réessayer un accept() raté, ou pour congédier un muet.
            // Le délai : jusqu'au prochain client à congédier, ou jusqu'au
            // nouvel essai d'un accept() raté, le plus proche des deux.
            let congedier = self.congedier_les_inactifs();
            let delai = self
                .accept_a_reprendre
                .then_some(NOUVEL_ESSAI)
                .into_iter()
                .chain(congedier)
                .min();
            match self.poll.poll(&mut evenements, delai) {
                Ok(()) => {}
                // Un signal a interrompu l'attente : on attend de nouveau.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e).context("l'attente des événements (epoll_wait) a échoué"),
            }
            if self.accept_a_reprendre {
                self.accepter();
            }
            for evenement in evenements.iter() {
                match evenement.token() {
                    ECOUTE => self.accepter(),
                    jeton => self.servir(jeton),
                }
            }
        }
    }
    // ANCHOR_END: boucler

    // ANCHOR: accepter
    /// Étape 2 : accepte **tous** les clients qui attendent. epoll (par mio)
    /// ne signale que les changements : s'il reste des clients dans la file
    /// après un seul accept(), aucun nouvel événement ne viendra le dire.
    fn accepter(&mut self) {
        loop {
            match self.ecoute.accept() {
                Ok((flux, adresse)) => self.accueillir(flux, adresse),
                // La file est vide : tout le monde est entré.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.accept_a_reprendre = false;
                    return;
                }
                // Un signal, ou un client reparti avant qu'on l'accepte : au suivant.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted
                    ) => {}
                // Plus de descripteurs (EMFILE)… Les clients restent dans la
                // file ; on réessaiera dans NOUVEL_ESSAI, sans bloquer les autres.
                Err(e) => {
                    eprintln!("erreur : impossible d'accepter une connexion : {e}");
                    self.accept_a_reprendre = true;
                    return;
                }
            }
        }
    }

    /// Étape 2 : un client de plus est servi, ou refusé si le bar est plein.
    fn accueillir(&mut self, mut flux: TcpStream, adresse: SocketAddr) {
        if self.connexions.len() >= self.max_clients {
            refuser(flux, adresse);
            return;
        }
        let jeton = Token(self.prochain);
        self.prochain += 1;
        // Au début, on n'attend que ses commandes : rien à lui écrire encore.
        if let Err(e) = self
            .poll
            .registry()
            .register(&mut flux, jeton, Interest::READABLE)
        {
            eprintln!("erreur : impossible de surveiller {adresse} : {e}");
            return;
        }
        println!("Client connecté : {adresse}");
        self.connexions
            .insert(jeton, Connexion::new(flux, adresse, Interest::READABLE));
    }
    // ANCHOR_END: accepter

    // ANCHOR: servir
    /// Une socket de service est prête : la connexion avance autant qu'elle
    /// le peut sans bloquer, puis dit ce qu'elle attend désormais.
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
    /// Étape 4 : le client part. On retire sa socket de l'ensemble surveillé
    /// (epoll_ctl DEL), puis on la ferme (close) en la lâchant : le
    /// descripteur est rendu au système et la place libérée.
    fn fermer(&mut self, jeton: Token) {
        let Some(mut connexion) = self.connexions.remove(&jeton) else {
            return;
        };
        if let Err(e) = self.poll.registry().deregister(&mut connexion.flux) {
            eprintln!(
                "erreur : impossible de ne plus surveiller {} : {e}",
                connexion.adresse
            );
        }
        let adresse = connexion.adresse;
        drop(connexion);
        println!("Client parti : {adresse}");
    }
    // ANCHOR_END: fermer
}

// ANCHOR: refuser
/// Étape 2 : le message d'excuse, puis la fermeture. La socket est neuve,
/// son tampon d'émission vide : ces 31 octets y tiennent, write() les prend
/// d'un coup. S'il ne le pouvait pas, on n'attendrait pas pour autant : ce
/// client-là n'aurait simplement pas son excuse.
fn refuser(mut flux: TcpStream, adresse: SocketAddr) {
    println!("Bar complet, client refusé : {adresse}");
    match flux.write(COMPLET) {
        Ok(n) if n == COMPLET.len() => {}
        Ok(_) => eprintln!("erreur avec {adresse} : excuse envoyée en partie seulement"),
        Err(e) => eprintln!("erreur avec {adresse} : {e}"),
    }
}
// ANCHOR_END: refuser
