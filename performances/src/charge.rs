//! Le moteur de l'outil de charge.
//!
//! Dix mille clients ne font pas dix mille threads : chaque thread de
//! l'outil mène des milliers de connexions non bloquantes et attend leurs
//! événements avec `mio` (epoll sous Linux). Chaque client est un petit
//! automate : connexion, envoi d'une commande, attente de sa réponse
//! (vérifiée octet par octet), commande suivante… puis, au bar, la fermeture
//! du serveur après « fin ».
//!
//! Deux précautions rendent la mesure honnête :
//! - la **montée en charge** : au plus [`ARRIVEES_MAX`] clients sont « en
//!   train d'arriver » (connexion lancée, première réponse pas encore
//!   reçue). Sans elle, des milliers de SYN déborderaient la file d'attente
//!   de `listen` ; le noyau les jetterait et chaque client perdrait une
//!   seconde à retransmettre : on mesurerait le délai de retransmission de
//!   TCP, pas le serveur.
//! - le **rendez-vous** (par défaut) : un client servi une première fois
//!   attend que tous les autres l'aient été avant de continuer. Le serveur
//!   tient alors vraiment N connexions à la fois, chacune déjà servie.

use std::io::{self, ErrorKind, IsTerminal, Read, Write};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token, Waker};

use crate::mesure::{Latences, Rapport};
use crate::systeme;

/// Clients en train d'arriver à la fois, tous threads confondus. Moins que
/// la file d'attente de `listen` des serveurs mesurés (128 au moins).
pub const ARRIVEES_MAX: usize = 64;

/// Une réponse plus longue que cela sans `\n` n'est pas une réponse du bar.
const LIGNE_MAX: usize = 4096;

/// Diagnostics gardés en entier ; les suivants ne sont que comptés.
const DIAGNOSTICS_MAX: usize = 5;

/// Le jeton du réveil : un thread qui ouvre le rendez-vous réveille les autres.
const REVEIL: Token = Token(usize::MAX);

/// Le protocole parlé par les clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Le bar des TP12 et TP13 : réponse `vous m'avez demandé : … bien reçu
    /// 5 / 5`, puis fermeture par le serveur après `fin`.
    Bar,
    /// Un serveur d'écho : chaque ligne revient telle quelle ; le client
    /// ferme après sa dernière ligne.
    Echo,
}

impl Mode {
    pub fn nom(self) -> &'static str {
        match self {
            Mode::Bar => "bar",
            Mode::Echo => "echo",
        }
    }

    /// La réponse attendue à une commande (sans son `\n`), `\n` compris.
    pub fn reponse(self, commande: &str) -> String {
        match self {
            Mode::Bar => format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n"),
            Mode::Echo => format!("{commande}\n"),
        }
    }
}

/// La commande numéro `rang` (à partir de 0) du client `client` : la
/// dernière est toujours « fin ». Des accents, pour vérifier que l'UTF-8
/// traverse le serveur intact.
pub fn commande(client: usize, rang: usize, total: usize) -> String {
    if rang + 1 == total {
        "fin".to_string()
    } else {
        format!("café n°{rang} pour la table {client}")
    }
}

/// Ce qu'on demande à l'outil.
#[derive(Clone, Debug)]
pub struct Reglages {
    pub adresse: SocketAddr,
    /// Clients simultanés.
    pub clients: usize,
    /// Commandes par visite, « fin » comprise (au moins 1).
    pub commandes: usize,
    /// Visites de chaque client : une connexion par visite, l'une après
    /// l'autre (1 : une seule connexion par client).
    pub visites: usize,
    pub mode: Mode,
    /// Durée maximale : au-delà, l'outil s'arrête et le dit.
    pub delai: Duration,
    /// Threads de l'outil (chacun avec sa boucle d'événements).
    pub fils: usize,
    /// Chaque client servi une fois attend tous les autres avant de continuer.
    pub rendez_vous: bool,
    /// Barre de progression sur la sortie d'erreur, si c'est un terminal.
    pub barre: bool,
}

/// Ce que les threads partagent : des compteurs, et de quoi se réveiller.
struct Commun {
    clients: usize,
    /// Réponses justes, pour la barre de progression.
    reponses: AtomicU64,
    /// Clients servis en ce moment, et le plus grand nombre atteint.
    servis: AtomicUsize,
    pic: AtomicUsize,
    /// Clients arrivés au rendez-vous : servis une fois, ou tombés avant.
    arrives: AtomicUsize,
    rendez_vous_ouvert: AtomicBool,
    reveils: Vec<Waker>,
}

impl Commun {
    fn servi(&self) {
        let servis = self.servis.fetch_add(1, Ordering::Relaxed) + 1;
        self.pic.fetch_max(servis, Ordering::Relaxed);
    }

    fn parti(&self) {
        self.servis.fetch_sub(1, Ordering::Relaxed);
    }

    /// Un client de plus au rendez-vous ; le dernier l'ouvre et réveille
    /// tous les threads (ceux qui dorment dans poll()).
    fn arrive(&self) {
        if self.arrives.fetch_add(1, Ordering::AcqRel) + 1 == self.clients {
            self.rendez_vous_ouvert.store(true, Ordering::Release);
            for reveil in &self.reveils {
                // Un réveil raté n'est pas grave : le thread se réveillera à
                // son prochain événement ou à l'échéance.
                let _ = reveil.wake();
            }
        }
    }

    fn ouvert(&self) -> bool {
        self.rendez_vous_ouvert.load(Ordering::Acquire)
    }
}

/// Lance la charge et rend son bilan. Une erreur ici (pas assez de
/// descripteurs, thread impossible) empêche la mesure ; les erreurs des
/// clients, elles, sont comptées dans le bilan.
pub fn lancer(reglages: &Reglages) -> Result<Rapport> {
    if reglages.clients == 0
        || reglages.commandes == 0
        || reglages.visites == 0
        || reglages.fils == 0
    {
        bail!("il faut au moins un client, une visite, une commande et un thread");
    }
    let descripteurs = systeme::relever_limite_descripteurs()
        .context("impossible de lire ou de relever la limite de descripteurs")?;
    // Un descripteur par client, plus ceux de l'outil (epoll, réveils,
    // sorties standard) : une marge large.
    let besoin = reglages.clients as u64 + 64;
    if besoin > descripteurs.apres {
        bail!(
            "{} clients demandent environ {besoin} descripteurs, mais la limite est {} \
             (ulimit -n) : réduisez --clients ou augmentez la limite dure",
            reglages.clients,
            descripteurs.apres
        );
    }
    let fils = reglages.fils.min(reglages.clients);
    let mut scrutateurs = Vec::new();
    let mut reveils = Vec::new();
    for _ in 0..fils {
        let poll = Poll::new().context("impossible de créer une instance epoll")?;
        reveils.push(Waker::new(poll.registry(), REVEIL).context("impossible de créer un réveil")?);
        scrutateurs.push(poll);
    }
    let commun = Commun {
        clients: reglages.clients,
        reponses: AtomicU64::new(0),
        servis: AtomicUsize::new(0),
        pic: AtomicUsize::new(0),
        arrives: AtomicUsize::new(0),
        rendez_vous_ouvert: AtomicBool::new(!reglages.rendez_vous),
        reveils,
    };
    let bilans = Mutex::new(Vec::new());
    let processeur_au_debut = systeme::temps_processeur();
    let debut = Instant::now();
    let echeance = debut + reglages.delai;
    let barre = barre(reglages);
    thread::scope(|portee| -> Result<()> {
        let mut threads = Vec::new();
        for (rang, poll) in scrutateurs.into_iter().enumerate() {
            let (commun, bilans) = (&commun, &bilans);
            // Le thread `rang` mène les clients rang, rang + fils, rang + 2 × fils…
            let numeros = (rang..reglages.clients).step_by(fils);
            let fil = Fil::new(poll, reglages, commun, ARRIVEES_MAX.div_ceil(fils));
            let lance = thread::Builder::new()
                .name(format!("charge {rang}"))
                .spawn_scoped(portee, move || {
                    let bilan = fil.mener(numeros, echeance);
                    bilans.lock().unwrap_or_else(|e| e.into_inner()).push(bilan);
                })
                .context("impossible de lancer un thread de l'outil")?;
            threads.push(lance);
        }
        // Le thread principal ne fait que tenir la barre à jour. Il ne
        // mesure pas la durée : il ne voit la fin qu'à son réveil suivant ;
        // chaque thread de charge note lui-même l'instant où il a fini.
        while !threads.iter().all(|t| t.is_finished()) {
            barre.set_position(commun.reponses.load(Ordering::Relaxed));
            thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    })?;
    let processeur = systeme::temps_processeur().saturating_sub(processeur_au_debut);
    barre.finish_and_clear();

    let mut total = Bilan::default();
    for bilan in bilans.into_inner().unwrap_or_else(|e| e.into_inner()) {
        total.fusionner(bilan);
    }
    let duree = total.fin.unwrap_or_else(Instant::now) - debut;
    Ok(Rapport {
        mode: reglages.mode.nom(),
        adresse: reglages.adresse.to_string(),
        clients: reglages.clients,
        commandes: reglages.commandes,
        visites: reglages.visites,
        rendez_vous: reglages.rendez_vous,
        reponses: total.latences.len() as u64,
        erreurs: total.erreurs,
        diagnostics: total.diagnostics,
        inacheves: total.inacheves,
        delai_depasse: total.inacheves > 0,
        duree,
        processeur,
        latences: Latences::calculer(&mut total.latences),
        pic: commun.pic.load(Ordering::Relaxed),
        descripteurs,
    })
}

/// La barre de progression : seulement sur un terminal (jamais dans un
/// fichier ou un tube), et seulement si on la demande.
fn barre(reglages: &Reglages) -> ProgressBar {
    let total = (reglages.clients * reglages.visites * reglages.commandes) as u64;
    if !reglages.barre || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let barre = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {human_pos}/{human_len} réponses · {per_sec}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    barre.set_style(style);
    barre
}

/// Ce qu'un thread rapporte.
#[derive(Default)]
struct Bilan {
    /// Une latence par réponse juste, en nanosecondes.
    latences: Vec<u64>,
    erreurs: usize,
    diagnostics: Vec<String>,
    inacheves: usize,
    /// L'instant où le thread a fini (le plus tardif, après fusion).
    fin: Option<Instant>,
}

impl Bilan {
    fn echec(&mut self, diagnostic: String) {
        self.erreurs += 1;
        if self.diagnostics.len() < DIAGNOSTICS_MAX {
            self.diagnostics.push(diagnostic);
        }
    }

    fn fusionner(&mut self, autre: Bilan) {
        self.latences.extend(autre.latences);
        self.erreurs += autre.erreurs;
        for diagnostic in autre.diagnostics {
            if self.diagnostics.len() < DIAGNOSTICS_MAX {
                self.diagnostics.push(diagnostic);
            }
        }
        self.inacheves += autre.inacheves;
        self.fin = self.fin.max(autre.fin);
    }
}

// ANCHOR: etats
/// Où en est un client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Etat {
    /// connect() lancé, la poignée de main n'est pas finie.
    Connexion,
    /// Une commande est en cours d'écriture.
    Envoi,
    /// La commande est partie ; on lit sa réponse.
    Reponse,
    /// Servi une fois ; attend que tous les autres le soient.
    RendezVous,
    /// « fin » a eu sa réponse ; on attend que le serveur ferme.
    FinDeFlux,
}
// ANCHOR_END: etats

/// Un client et sa connexion.
struct Client {
    flux: TcpStream,
    numero: usize,
    etat: Etat,
    /// Rang de la visite en cours (à partir de 0).
    visite: usize,
    /// Rang de la commande en cours dans la visite (à partir de 0).
    rang: usize,
    commande: String,
    envoi: Vec<u8>,
    envoye: usize,
    attendu: Vec<u8>,
    recu: Vec<u8>,
    depart: Instant,
    /// Cette connexion a reçu au moins une réponse (elle compte dans le pic).
    servi: bool,
    /// Le client a reçu sa toute première réponse (il est au rendez-vous).
    arrive: bool,
}

/// Ce qu'un pas de l'automate laisse au thread.
enum Issue {
    /// Le client attend un événement (lecture, écriture, rendez-vous).
    Attend,
    /// Le client a fini, sans faute.
    Fini,
}

/// Un thread de l'outil : sa boucle d'événements et ses clients.
struct Fil<'a> {
    poll: Poll,
    reglages: &'a Reglages,
    commun: &'a Commun,
    /// Les clients, indexés par leur jeton mio ; None une fois partis.
    clients: Vec<Option<Client>>,
    en_route: usize,
    en_arrivee: usize,
    arrivees_max: usize,
    au_rendez_vous: Vec<usize>,
    bilan: Bilan,
}

impl<'a> Fil<'a> {
    fn new(poll: Poll, reglages: &'a Reglages, commun: &'a Commun, arrivees_max: usize) -> Self {
        Fil {
            poll,
            reglages,
            commun,
            clients: Vec::new(),
            en_route: 0,
            en_arrivee: 0,
            arrivees_max,
            au_rendez_vous: Vec::new(),
            bilan: Bilan::default(),
        }
    }

    /// La boucle du thread : lancer les clients au rythme de la montée en
    /// charge, attendre les événements, faire avancer chaque automate.
    fn mener(mut self, numeros: impl Iterator<Item = usize>, echeance: Instant) -> Bilan {
        let mut numeros = numeros.peekable();
        let mut evenements = Events::with_capacity(1024);
        loop {
            while self.en_arrivee < self.arrivees_max {
                match numeros.next() {
                    Some(numero) => self.connecter(numero),
                    None => break,
                }
            }
            if self.commun.ouvert() && !self.au_rendez_vous.is_empty() {
                for jeton in std::mem::take(&mut self.au_rendez_vous) {
                    self.relancer(jeton);
                }
            }
            if self.en_route == 0 && numeros.peek().is_none() {
                break;
            }
            let reste = echeance.saturating_duration_since(Instant::now());
            if reste.is_zero() {
                break;
            }
            match self.poll.poll(&mut evenements, Some(reste)) {
                Ok(()) => {}
                // Un signal a interrompu epoll_wait : on recommence.
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.bilan.echec(format!("epoll_wait a échoué : {e}"));
                    break;
                }
            }
            for evenement in evenements.iter() {
                if evenement.token() != REVEIL {
                    self.avancer(evenement.token().0);
                }
            }
        }
        // Délai dépassé : les clients encore là n'ont pas fini. Ceux qui
        // n'ont même pas été lancés comptent aussi.
        self.bilan.inacheves = self.clients.iter().flatten().count() + numeros.count();
        self.bilan.fin = Some(Instant::now());
        self.bilan
    }

    /// Lance la connexion d'un client, sans attendre qu'elle aboutisse.
    fn connecter(&mut self, numero: usize) {
        let jeton = self.clients.len();
        self.clients.push(None);
        let flux = match self.ouvrir(jeton) {
            Ok(flux) => flux,
            Err(e) => {
                self.bilan
                    .echec(format!("client {numero} : connect() impossible : {e}"));
                self.commun.arrive();
                return;
            }
        };
        self.clients[jeton] = Some(Client {
            flux,
            numero,
            etat: Etat::Connexion,
            visite: 0,
            rang: 0,
            commande: String::new(),
            envoi: Vec::new(),
            envoye: 0,
            attendu: Vec::new(),
            recu: Vec::new(),
            depart: Instant::now(),
            servi: false,
            arrive: false,
        });
        self.en_route += 1;
        self.en_arrivee += 1;
    }

    /// Un connect() non bloquant vers le serveur, enregistré auprès d'epoll.
    fn ouvrir(&self, jeton: usize) -> io::Result<TcpStream> {
        let mut flux = TcpStream::connect(self.reglages.adresse)?;
        // Lecture et écriture : l'écriture possible signale la fin de la
        // poignée de main (ou son échec).
        self.poll.registry().register(
            &mut flux,
            Token(jeton),
            Interest::READABLE | Interest::WRITABLE,
        )?;
        Ok(flux)
    }

    /// Une visite finie, une autre commence : nouvelle connexion, même client.
    fn revisiter(&mut self, mut client: Client, jeton: usize) {
        if client.servi {
            self.commun.parti();
            client.servi = false;
        }
        match self.ouvrir(jeton) {
            Ok(flux) => {
                // L'ancienne connexion est fermée ici, en étant remplacée.
                client.flux = flux;
                client.visite += 1;
                client.rang = 0;
                client.recu.clear();
                client.etat = Etat::Connexion;
                self.clients[jeton] = Some(client);
            }
            Err(e) => {
                let diagnostic = client.faute(&format!("nouvelle visite impossible : {e}"));
                self.retirer(client, Some(diagnostic));
            }
        }
    }

    /// Un événement pour ce client : on fait avancer son automate autant
    /// que possible, jusqu'à ce qu'il doive attendre.
    fn avancer(&mut self, jeton: usize) {
        let Some(mut client) = self.clients.get_mut(jeton).and_then(Option::take) else {
            return;
        };
        match self.pas(&mut client, jeton) {
            Ok(Issue::Attend) => self.clients[jeton] = Some(client),
            Ok(Issue::Fini) if client.visite + 1 < self.reglages.visites => {
                self.revisiter(client, jeton)
            }
            Ok(Issue::Fini) => self.retirer(client, None),
            Err(diagnostic) => self.retirer(client, Some(diagnostic)),
        }
    }

    /// Le rendez-vous est ouvert : le client passe sa commande suivante.
    fn relancer(&mut self, jeton: usize) {
        if let Some(client) = self.clients[jeton].as_mut() {
            client.preparer(self.reglages);
            client.etat = Etat::Envoi;
        }
        self.avancer(jeton);
    }

    /// Un client s'en va : fermé (le descripteur est rendu, epoll l'oublie),
    /// compté comme fini ou en échec.
    fn retirer(&mut self, client: Client, diagnostic: Option<String>) {
        self.en_route -= 1;
        if client.servi {
            self.commun.parti();
        }
        if !client.arrive {
            // Tombé avant sa première réponse : il ne doit pas bloquer le
            // rendez-vous des autres.
            self.en_arrivee -= 1;
            self.commun.arrive();
        }
        if let Some(diagnostic) = diagnostic {
            self.bilan.echec(diagnostic);
        }
        drop(client);
    }

    /// L'automate d'un client. Rend quand il faut attendre un événement,
    /// quand le client a fini, ou le diagnostic d'une faute.
    fn pas(&mut self, client: &mut Client, jeton: usize) -> Result<Issue, String> {
        loop {
            match client.etat {
                Etat::Connexion => {
                    // Un connect() non bloquant rend la main tout de suite ;
                    // son résultat arrive plus tard, dans SO_ERROR.
                    if let Ok(Some(e)) | Err(e) = client.flux.take_error() {
                        return Err(client.faute(&format!("connexion impossible : {e}")));
                    }
                    match client.flux.peer_addr() {
                        // Sans serveur sur ce port, le noyau peut choisir ce
                        // même port comme port source : la socket se connecte
                        // à elle-même et « répond » ce qu'elle envoie.
                        Ok(pair) if client.flux.local_addr().is_ok_and(|moi| moi == pair) => {
                            return Err(client.faute(
                                "connectée à elle-même : aucun serveur n'écoute sur ce port",
                            ));
                        }
                        Ok(_) => {}
                        // Événement sans connexion établie : on attend encore.
                        Err(e) if e.kind() == ErrorKind::NotConnected => return Ok(Issue::Attend),
                        Err(e) => {
                            return Err(client.faute(&format!("connexion impossible : {e}")));
                        }
                    }
                    // Petites écritures, une réponse attendue à chaque fois :
                    // on ne laisse pas Nagle retenir une commande.
                    let _ = client.flux.set_nodelay(true);
                    client.preparer(self.reglages);
                    client.etat = Etat::Envoi;
                }
                Etat::Envoi => match client.flux.write(&client.envoi[client.envoye..]) {
                    Ok(0) => return Err(client.faute("le serveur n'accepte plus rien")),
                    Ok(n) => {
                        client.envoye += n;
                        if client.envoye == client.envoi.len() {
                            client.etat = Etat::Reponse;
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(Issue::Attend),
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => return Err(client.faute(&format!("envoi impossible : {e}"))),
                },
                Etat::Reponse => {
                    if !client.lire()? {
                        return Ok(Issue::Attend);
                    }
                    let Some(fin) = client.recu.iter().position(|&o| o == b'\n') else {
                        if client.recu.len() > LIGNE_MAX {
                            return Err(client.faute(&format!(
                                "plus de {LIGNE_MAX} octets reçus sans « \\n » : ce n'est pas \
                                 une réponse"
                            )));
                        }
                        continue;
                    };
                    self.verifier(client, fin)?;
                    if client.rang == self.reglages.commandes {
                        match self.reglages.mode {
                            // Après « fin », le bar ferme : on attend sa fin de flux.
                            Mode::Bar => client.etat = Etat::FinDeFlux,
                            // L'écho ne ferme pas de lui-même : c'est au client.
                            Mode::Echo => return Ok(Issue::Fini),
                        }
                    } else if !self.commun.ouvert() {
                        client.etat = Etat::RendezVous;
                        self.au_rendez_vous.push(jeton);
                        return Ok(Issue::Attend);
                    } else {
                        client.preparer(self.reglages);
                        client.etat = Etat::Envoi;
                    }
                }
                // Rien à faire avant l'ouverture du rendez-vous ; un octet
                // inattendu serait vu à la réponse suivante.
                Etat::RendezVous => return Ok(Issue::Attend),
                Etat::FinDeFlux => {
                    let mut tampon = [0; 512];
                    match client.flux.read(&mut tampon) {
                        // 0 octet : le serveur a fermé, la visite est finie.
                        Ok(0) => return Ok(Issue::Fini),
                        Ok(n) => {
                            return Err(client.faute(&format!(
                                "après la réponse à « fin », le serveur devait fermer ; il a \
                                 encore envoyé {:?}",
                                String::from_utf8_lossy(&tampon[..n])
                            )));
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(Issue::Attend),
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(e) => {
                            return Err(client.faute(&format!(
                                "après « fin », la connexion devait se fermer normalement : {e}"
                            )));
                        }
                    }
                }
            }
        }
    }

    /// Compare la ligne reçue (jusqu'à l'octet `fin` compris) à la réponse
    /// attendue, octet pour octet, et compte la latence si elle est juste.
    fn verifier(&mut self, client: &mut Client, fin: usize) -> Result<(), String> {
        let ligne = &client.recu[..=fin];
        if ligne != client.attendu.as_slice() {
            let mut diagnostic = client.faute(&format!(
                "réponse fausse\n    attendu : {:?}\n    reçu    : {:?}",
                String::from_utf8_lossy(&client.attendu),
                String::from_utf8_lossy(ligne)
            ));
            if ligne.starts_with(b"bar complet") {
                diagnostic += "\n    Indice : le serveur refuse des clients ; augmentez son \
                               --max-clients au-delà du nombre de clients de la charge.";
            }
            return Err(diagnostic);
        }
        if client.recu.len() > fin + 1 {
            return Err(client.faute(&format!(
                "une seule ligne était attendue ; le serveur a envoyé en plus {:?}",
                String::from_utf8_lossy(&client.recu[fin + 1..])
            )));
        }
        let latence = client.depart.elapsed();
        self.bilan
            .latences
            .push(u64::try_from(latence.as_nanos()).unwrap_or(u64::MAX));
        self.commun.reponses.fetch_add(1, Ordering::Relaxed);
        client.recu.clear();
        client.rang += 1;
        if !client.servi {
            client.servi = true;
            self.commun.servi();
        }
        if !client.arrive {
            client.arrive = true;
            self.en_arrivee -= 1;
            self.commun.arrive();
        }
        Ok(())
    }
}

impl Client {
    /// Prépare la commande de rang `self.rang` et démarre son chronomètre.
    fn preparer(&mut self, reglages: &Reglages) {
        self.commande = commande(self.numero, self.rang, reglages.commandes);
        self.envoi = format!("{}\n", self.commande).into_bytes();
        self.envoye = 0;
        self.attendu = reglages.mode.reponse(&self.commande).into_bytes();
        self.depart = Instant::now();
    }

    /// Lit tout ce qui est disponible. Rend `false` s'il faut attendre ;
    /// une fin de flux avant la réponse est une faute.
    fn lire(&mut self) -> Result<bool, String> {
        let mut tampon = [0; 4096];
        loop {
            match self.flux.read(&mut tampon) {
                Ok(0) => {
                    return Err(self.faute(&format!(
                        "le serveur a fermé la connexion sans répondre (reçu avant la \
                         fermeture : {:?})",
                        String::from_utf8_lossy(&self.recu)
                    )));
                }
                Ok(n) => {
                    self.recu.extend_from_slice(&tampon[..n]);
                    return Ok(true);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(self.faute(&format!("lecture impossible : {e}"))),
            }
        }
    }

    /// Un diagnostic qui dit quel client, à quelle commande.
    fn faute(&self, quoi: &str) -> String {
        if self.etat == Etat::Connexion {
            format!("client {} : {quoi}", self.numero)
        } else {
            format!(
                "client {}, commande {} « {} » : {quoi}",
                self.numero,
                self.rang + 1,
                self.commande
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_derniere_commande_est_fin() {
        assert_eq!(commande(3, 0, 2), "café n°0 pour la table 3");
        assert_eq!(commande(3, 1, 2), "fin");
        assert_eq!(commande(0, 0, 1), "fin");
    }

    #[test]
    fn reponses_attendues() {
        assert_eq!(
            Mode::Bar.reponse("fin"),
            "vous m'avez demandé : fin bien reçu 5 / 5\n"
        );
        assert_eq!(Mode::Echo.reponse("café"), "café\n");
    }
}
