//! Le réseau côté correcteur : ports, connexions et lectures, toujours
//! bornés dans le temps et toujours vers la boucle locale (127.0.0.1).

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

use crate::processus::Programme;
use crate::verrou_de_port::{self, Reservation};

/// L'adresse de toutes les connexions du correcteur.
pub const BOUCLE_LOCALE: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// Pause entre deux tentatives de connexion vers un serveur qui démarre.
const PAUSE_RELANCE: Duration = Duration::from_millis(10);

/// Ports déjà donnés par ce processus : deux tests parallèles n'ont jamais le même.
static PORTS_DONNES: Mutex<Option<HashSet<u16>>> = Mutex::new(None);

/// Au-delà de ce nombre de tirages, les verrous des autres processus sont ignorés.
const ESSAIS_SOUS_VERROU: u32 = 1_000;

/// Au-delà de ce nombre de tirages sans port libre, la machine n'en a plus à
/// donner (ou ce processus les a tous pris) : le test s'arrête en le disant.
const ESSAIS_MAX: u32 = 100_000;

/// Un port libre à donner en argument à un serveur d'étudiant.
///
/// Le port est tiré au hasard **sous** la plage éphémère du noyau
/// (`/proc/sys/net/ipv4/ip_local_port_range`) : les connexions sortantes des
/// tests prennent leur port dans cette plage, jamais dans la nôtre, et ne
/// peuvent donc pas le voler entre notre vérification et le `bind` du
/// serveur. La vérification se fait sans SO_REUSEADDR, sur toutes les
/// interfaces : un port encore en TIME_WAIT est écarté. Un verrou par port
/// (`verrou_de_port`) empêche deux processus de test de tirer le même.
pub fn port_libre() -> u16 {
    let (bas, haut) = (
        20_000u32,
        plage_ephemere().0.saturating_sub(1).max(20_001) as u32,
    );
    let hasard = RandomState::new();
    for essai in 0..ESSAIS_MAX {
        let port = (bas + (hasard.hash_one(essai) % u64::from(haut - bas)) as u32) as u16;
        let mut donnes = PORTS_DONNES.lock().unwrap_or_else(|e| e.into_inner());
        let donnes = donnes.get_or_insert_with(HashSet::new);
        if donnes.contains(&port) {
            continue;
        }
        // Un autre processus de test a pu tirer ce port : le verrou tranche,
        // et il passe AVANT la vérification, qui occupe le port un instant
        // (bind) : elle ne doit jamais toucher un port déjà donné ailleurs,
        // où un serveur est peut-être en train de s'attacher (vu : « Address
        // already in use » chez le serveur de référence du TP13).
        // Borné : un programme hostile qui verrouillerait tous les ports ne
        // fait pas tourner le correcteur en rond, il perd seulement l'arbitrage.
        let reservation = if essai < ESSAIS_SOUS_VERROU {
            verrou_de_port::reserver(port)
        } else {
            Reservation::Impossible
        };
        if reservation == Reservation::PriseAilleurs {
            continue;
        }
        if !port_disponible(port) {
            if reservation == Reservation::Obtenue {
                verrou_de_port::relacher(port);
            }
            continue;
        }
        donnes.insert(port);
        return port;
    }
    panic!(
        "aucun port libre entre {bas} et {haut} après {ESSAIS_MAX} tirages : la machine n'en a \
         plus à donner (trop de sockets ouvertes ?)"
    )
}

fn port_disponible(port: u16) -> bool {
    // Sans lancement pendant la sonde : un enfant en garderait une copie,
    // attachée au port que l'on va donner (voir `lancement`).
    crate::lancement::sans_lancement(|| {
        let Ok(socket) = Socket::new(Domain::IPV4, Type::STREAM, None) else {
            return false;
        };
        socket
            .bind(&SocketAddr::from((Ipv4Addr::UNSPECIFIED, port)).into())
            .is_ok()
    })
}

/// La plage des ports éphémères du noyau (valeurs Linux par défaut si illisible).
pub fn plage_ephemere() -> (u16, u16) {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|texte| {
            let mut nombres = texte.split_whitespace().map(|n| n.parse().ok());
            Some((nombres.next()??, nombres.next()??))
        })
        .unwrap_or((32768, 60999))
}

/// Un port de la boucle locale où personne n'écoute, réservé tant que la
/// socket rendue vit : elle est attachée (`bind`) mais pas en écoute, donc
/// une connexion vers ce port est refusée par le noyau, et aucun autre
/// programme ne peut s'y installer entre-temps.
pub fn port_sans_serveur() -> io::Result<(Socket, u16)> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&SocketAddr::from((BOUCLE_LOCALE, 0)).into())?;
    let port = socket
        .local_addr()?
        .as_socket()
        .map(|a| a.port())
        .ok_or_else(|| io::Error::other("adresse locale inattendue"))?;
    Ok((socket, port))
}

/// Pourquoi on n'a pas pu joindre un programme.
#[derive(Debug)]
pub enum Injoignable {
    /// Le programme s'est arrêté avant d'être prêt.
    Arrete(std::process::ExitStatus),
    /// Il tourne encore, mais rien n'est venu dans le délai ; la dernière
    /// erreur système rencontrée, s'il y en a une.
    Delai(Option<io::Error>),
}

/// Se connecte à 127.0.0.1:`port`, en relançant tant que le serveur démarre
/// (connexion refusée), au plus `delai`. Échoue tout de suite si le
/// programme s'est arrêté : un `todo!()` ne coûte pas un délai d'attente.
pub fn connecter(
    port: u16,
    programme: &mut Programme,
    delai: Duration,
) -> Result<TcpStream, Injoignable> {
    let limite = Instant::now() + delai;
    let adresse = SocketAddr::from((BOUCLE_LOCALE, port));
    loop {
        if let Some(statut) = programme.statut() {
            return Err(Injoignable::Arrete(statut));
        }
        let erreur = match TcpStream::connect_timeout(&adresse, Duration::from_millis(500)) {
            Ok(flux) => {
                crate::echange::connexion_etablie(&flux, &programme.role);
                return Ok(flux);
            }
            Err(e) => e,
        };
        if Instant::now() >= limite {
            return Err(Injoignable::Delai(Some(erreur)));
        }
        thread::sleep(PAUSE_RELANCE);
    }
}

/// Attend qu'une socket TCP soit en écoute sur `port` (lu dans la table
/// des sockets du système), **sans** s'y connecter : pour un serveur qui
/// ne sert qu'un client, une connexion de sonde volerait la place du vrai.
pub fn attendre_ecoute(
    port: u16,
    programme: &mut Programme,
    delai: Duration,
) -> Result<(), Injoignable> {
    let limite = Instant::now() + delai;
    loop {
        if en_ecoute(port) {
            return Ok(());
        }
        if let Some(statut) = programme.statut() {
            return Err(Injoignable::Arrete(statut));
        }
        if Instant::now() >= limite {
            return Err(Injoignable::Delai(None));
        }
        thread::sleep(PAUSE_RELANCE);
    }
}

/// Vrai si une socket TCP écoute sur ce port local (la table des sockets
/// du système, voir [`crate::table_des_sockets`]).
fn en_ecoute(port: u16) -> bool {
    crate::table_des_sockets::tcp_en_ecoute(port).pris()
}

/// Le serveur de référence du correcteur, pour tester un client d'étudiant :
/// il écoute sur 127.0.0.1, sur un port choisi par le noyau.
pub struct ServeurDeReference {
    ecoute: TcpListener,
}

impl ServeurDeReference {
    pub fn ouvrir() -> io::Result<ServeurDeReference> {
        ServeurDeReference::ouvrir_sur(IpAddr::V4(BOUCLE_LOCALE))
    }

    /// Le serveur de référence sur la boucle locale IPv6 (`[::1]`) seulement,
    /// pour les étapes `client_1_ipv6`. Sur une machine (un conteneur) sans
    /// boucle locale IPv6, `None` : l'étape nommée `etape` le signale
    /// ([`crate::non_verifiable`]) et ne juge rien (un test ne peut pas se déclarer
    /// ignoré en cours de route).
    pub fn ouvrir_ipv6_ou_le_dire(etape: &str) -> Option<ServeurDeReference> {
        match ServeurDeReference::ouvrir_sur(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)) {
            Ok(reference) => Some(reference),
            Err(e) => {
                crate::non_verifiable::signaler(&format!(
                    "{etape} : non vérifiable sur cette machine, pas de boucle locale IPv6 \
                     (bind sur [::1] : {e})."
                ));
                None
            }
        }
    }

    /// Le serveur de référence sur une autre adresse de la boucle locale.
    fn ouvrir_sur(adresse: IpAddr) -> io::Result<ServeurDeReference> {
        let ecoute = TcpListener::bind((adresse, 0))?;
        // Non bloquant : on alterne essais d'accept et regards sur le client.
        ecoute.set_nonblocking(true)?;
        Ok(ServeurDeReference { ecoute })
    }

    pub fn port(&self) -> u16 {
        self.ecoute.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Attend la connexion du client testé, au plus `delai` ; échoue tout de
    /// suite si le client s'est arrêté sans se connecter.
    pub fn accepter(
        &self,
        client: &mut Programme,
        delai: Duration,
    ) -> Result<TcpStream, Injoignable> {
        let limite = Instant::now() + delai;
        loop {
            match self.ecoute.accept() {
                Ok((flux, _)) => {
                    crate::echange::connexion_acceptee(&flux, &client.role);
                    // La socket de service hérite du mode non bloquant : on le retire.
                    return flux
                        .set_nonblocking(false)
                        .map(|()| flux)
                        .map_err(|e| Injoignable::Delai(Some(e)));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(Injoignable::Delai(Some(e))),
            }
            if let Some(statut) = client.statut() {
                return Err(Injoignable::Arrete(statut));
            }
            if Instant::now() >= limite {
                return Err(Injoignable::Delai(None));
            }
            thread::sleep(PAUSE_RELANCE);
        }
    }
}

/// Pourquoi une lecture n'a pas donné ce qu'on attendait ; `recu` contient
/// ce qui est arrivé malgré tout.
#[derive(Debug)]
pub struct LectureIncomplete {
    pub recu: Vec<u8>,
    pub raison: Raison,
}

#[derive(Debug)]
pub enum Raison {
    /// Le pair a fermé (lecture de 0 octet).
    Fin,
    /// Rien de plus dans le délai.
    Delai,
    /// Erreur système (connexion réinitialisée…).
    Erreur(io::Error),
}

/// Un flux TCP lu par lignes, avec son tampon : les octets reçus au-delà
/// d'un `\n` restent pour la ligne suivante (c'est toute la leçon du TP09).
pub struct Lecteur {
    flux: TcpStream,
    tampon: Vec<u8>,
}

impl Lecteur {
    pub fn new(flux: TcpStream) -> Lecteur {
        Lecteur {
            flux,
            tampon: Vec::new(),
        }
    }

    /// La socket, pour écrire.
    pub fn flux(&mut self) -> &mut TcpStream {
        &mut self.flux
    }

    /// Lit jusqu'au prochain `\n` inclus, au plus `delai`.
    pub fn ligne(&mut self, delai: Duration) -> Result<Vec<u8>, LectureIncomplete> {
        let limite = Instant::now() + delai;
        loop {
            if let Some(fin) = self.tampon.iter().position(|&o| o == b'\n') {
                return Ok(self.tampon.drain(..=fin).collect());
            }
            if let Err(raison) = self.recevoir(limite) {
                self.noter_l_attente(&raison, delai);
                return Err(LectureIncomplete {
                    recu: std::mem::take(&mut self.tampon),
                    raison,
                });
            }
        }
    }

    /// Attend la fin de flux (le pair a fermé), au plus `delai`. Ce qui
    /// arrive avant la fin est rendu dans l'erreur s'il n'y a pas de fin.
    pub fn fin(&mut self, delai: Duration) -> Result<Vec<u8>, LectureIncomplete> {
        let limite = Instant::now() + delai;
        loop {
            match self.recevoir(limite) {
                Ok(()) => {}
                Err(Raison::Fin) => {
                    self.noter_l_attente(&Raison::Fin, delai);
                    return Ok(std::mem::take(&mut self.tampon));
                }
                Err(raison) => {
                    self.noter_l_attente(&raison, delai);
                    return Err(LectureIncomplete {
                        recu: std::mem::take(&mut self.tampon),
                        raison,
                    });
                }
            }
        }
    }

    /// Un `read` borné par `limite`, ajouté au tampon.
    fn recevoir(&mut self, limite: Instant) -> Result<(), Raison> {
        let reste = limite.saturating_duration_since(Instant::now());
        if reste.is_zero() {
            return Err(Raison::Delai);
        }
        // Délai de lecture : le read rend la main au plus tard à la limite.
        self.flux
            .set_read_timeout(Some(reste))
            .map_err(Raison::Erreur)?;
        let mut morceau = [0u8; 4096];
        match self.flux.read(&mut morceau) {
            Ok(0) => Err(Raison::Fin),
            Ok(n) => {
                crate::echange::recu(&self.flux, &morceau[..n]);
                self.tampon.extend_from_slice(&morceau[..n]);
                Ok(())
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Err(Raison::Delai)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(()),
            Err(e) => Err(Raison::Erreur(e)),
        }
    }

    /// Note dans l'échange pourquoi une attente s'est terminée sans ligne.
    fn noter_l_attente(&self, raison: &Raison, delai: Duration) {
        match raison {
            Raison::Fin => {
                crate::echange::fait(&self.flux, true, "fin de flux (le {role} a fermé)")
            }
            Raison::Delai => crate::echange::silence(&self.flux, delai),
            Raison::Erreur(e) => crate::echange::erreur(&self.flux, e),
        }
    }

    /// Rend la socket (pour en régler les options, SO_LINGER par exemple).
    pub fn into_flux(self) -> TcpStream {
        self.flux
    }
}

/// L'indice des étapes `client_1_ipv6` (TCP) : un client qui n'essaie que
/// les adresses IPv4 de l'hôte ne joint pas `::1`.
pub const INDICE_CLIENT_IPV6: &str = "TcpStream::connect((hote, port)) accepte « ::1 » comme \
     « 127.0.0.1 » ou un nom, et essaie chaque adresse obtenue, IPv4 ou IPv6 : n'en écartez \
     aucune (pas de filtre is_ipv4, pas de hote.parse::<Ipv4Addr>()).";

/// Envoie `octets` d'un coup, et le note dans l'échange de l'étape.
pub fn envoyer(flux: &mut TcpStream, octets: &[u8]) -> io::Result<()> {
    flux.write_all(octets)?;
    crate::echange::envoye(flux, octets);
    Ok(())
}

/// Ferme le sens correcteur → programme (`shutdown(Write)`) : le programme
/// lira la fin de flux. Noté dans l'échange.
pub fn fermer_ecriture(flux: &TcpStream) -> io::Result<()> {
    flux.shutdown(std::net::Shutdown::Write)?;
    crate::echange::fait(
        flux,
        false,
        "fin d'écriture (shutdown) : le {role} lira la fin de flux",
    );
    Ok(())
}

/// Envoie `octets` en morceaux de `taille` octets séparés d'une `pause` :
/// le pair reçoit un message en plusieurs fois, comme sur un vrai réseau.
/// `TCP_NODELAY` empêche le noyau de regrouper les morceaux (Nagle).
pub fn ecrire_en_morceaux(
    flux: &mut TcpStream,
    octets: &[u8],
    taille: usize,
    pause: Duration,
) -> io::Result<()> {
    flux.set_nodelay(true)?;
    for morceau in octets.chunks(taille.max(1)) {
        flux.write_all(morceau)?;
        flux.flush()?;
        crate::echange::envoye(flux, morceau);
        thread::sleep(pause);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_libre_sous_la_plage_ephemere_et_jamais_deux_fois() {
        let a = port_libre();
        let b = port_libre();
        assert_ne!(a, b);
        assert!(a >= 20_000 && a < plage_ephemere().0);
        TcpListener::bind((BOUCLE_LOCALE, a)).expect("le port donné doit être libre");
    }

    #[test]
    fn port_sans_serveur_refuse_les_connexions() {
        let (_reserve, port) = port_sans_serveur().expect("réservation");
        let erreur = TcpStream::connect((BOUCLE_LOCALE, port)).expect_err("personne n'écoute");
        assert_eq!(erreur.kind(), io::ErrorKind::ConnectionRefused);
    }

    #[test]
    fn lecteur_garde_le_reste_pour_la_ligne_suivante() {
        let ecoute = TcpListener::bind((BOUCLE_LOCALE, 0)).expect("bind");
        let port = ecoute.local_addr().expect("adresse").port();
        let mut ecrivain = TcpStream::connect((BOUCLE_LOCALE, port)).expect("connect");
        let (service, _) = ecoute.accept().expect("accept");
        ecrivain.write_all(b"un\ndeux\ntr").expect("écriture");
        let mut lecteur = Lecteur::new(service);
        let delai = Duration::from_secs(2);
        assert_eq!(lecteur.ligne(delai).expect("ligne 1"), b"un\n");
        assert_eq!(lecteur.ligne(delai).expect("ligne 2"), b"deux\n");
        drop(ecrivain);
        let incomplete = lecteur.ligne(delai).expect_err("pas de \\n final");
        assert_eq!(incomplete.recu, b"tr");
        assert!(matches!(incomplete.raison, Raison::Fin));
    }

    #[test]
    fn lecteur_borne_son_attente() {
        let ecoute = TcpListener::bind((BOUCLE_LOCALE, 0)).expect("bind");
        let port = ecoute.local_addr().expect("adresse").port();
        let _silencieux = TcpStream::connect((BOUCLE_LOCALE, port)).expect("connect");
        let (service, _) = ecoute.accept().expect("accept");
        let debut = Instant::now();
        let incomplete = Lecteur::new(service)
            .ligne(Duration::from_millis(100))
            .expect_err("rien n'arrive");
        assert!(matches!(incomplete.raison, Raison::Delai));
        assert!(debut.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn repere_une_socket_en_ecoute() {
        let ecoute = TcpListener::bind((BOUCLE_LOCALE, 0)).expect("bind");
        let port = ecoute.local_addr().expect("adresse").port();
        assert!(en_ecoute(port));
        drop(ecoute);
        assert!(!en_ecoute(port));
    }
}
