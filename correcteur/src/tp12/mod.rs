//! TP12 — serveur concurrent : le bar.
//!
//! Le protocole (chapitre « TP12 » du livre) : chaque ligne que le client
//! envoie est une commande ; le serveur répond
//! `vous m'avez demandé : COMMANDE bien reçu 5 / 5\n`. Après « fin », il
//! répond puis ferme ; une fin de flux sans « fin » termine la session sans
//! bruit. Au-delà de `--max-clients N` clients servis à la fois, un nouveau
//! venu reçoit `bar complet, revenez plus tard\n` et est fermé.
//!
//! Le correcteur joue ici de nombreux clients à la fois : vingt qui
//! commandent en alternance, un qui se tait, un qui part brutalement, un qui
//! envoie n'importe quoi. Un serveur itératif, ou dont les exécutants
//! s'attendent les uns les autres, est démasqué dès le deuxième client.

mod bornes;
mod client;
mod epuisement;
mod serveur;

pub(crate) use serveur::{INDICE_BOUCLE_LOCALE, ecoute_sur_la_boucle_locale};

pub use bornes::{
    serveur_1_port_pris, serveur_4_inactivite, serveur_4_ligne_de_1024_octets,
    serveur_4_redemarrage,
};

pub use epuisement::serveur_4_descripteurs_epuises;

pub use client::{
    client_1_connexion, client_1_ipv6, client_1_sans_serveur, client_2_commandes, client_3_fin,
    client_3_fin_de_l_entree, croise_client_et_serveur,
};
pub use serveur::{
    serveur_1_ouverture, serveur_4_client_silencieux, serveur_4_commande_en_morceaux,
    serveur_4_descripteurs, serveur_4_fin_de_flux_sans_fin, serveur_4_ligne_trop_longue,
    serveur_4_reinitialisation, serveur_4_un_client, serveur_4_utf8_invalide,
    serveur_4_vingt_clients, serveur_5_limite_de_clients,
};

use std::cell::{Cell, RefCell};
use std::net::SocketAddr;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::etape::{Cote, Etape};

const TP: &str = "TP12";

/// Pause entre deux morceaux d'un message envoyé en plusieurs fois.
const PAUSE_ENTRE_MORCEAUX: Duration = Duration::from_millis(30);

/// Ce que reçoit un client de trop.
pub const COMPLET: &str = "bar complet, revenez plus tard\n";

/// La réponse du bar à une commande, avec son `\n`.
pub fn reponse(commande: &str) -> String {
    format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n")
}

/// La ligne du journal du serveur à l'arrivée d'un client.
pub fn arrivee(adresse: SocketAddr) -> String {
    format!("Client connecté : {adresse}")
}

/// La ligne du journal du serveur au départ d'un client.
pub fn depart(adresse: SocketAddr) -> String {
    format!("Client parti : {adresse}")
}

/// Nomme la règle que l'échec contredit, sauf quand le programme s'est
/// arrêté sur un `todo!()` (sa sortie le montre) : une étape pas encore
/// écrite n'enfreint rien. Pour les contrôles qui s'appliquent tels quels
/// aux TP13 et TP15, qui renomment ensuite la règle.
pub(crate) fn enfreint(d: Diagnostic, regle: &'static str) -> Diagnostic {
    d.enfreint_par_defaut(regle)
}

/// Ce qu'une sonde a vu d'un serveur muet, prêt à compléter le diagnostic.
pub(crate) type Constat = Box<dyn FnOnce(Diagnostic) -> Diagnostic>;

/// Une sonde : ce qu'elle voit du serveur `pid` au moment où il se tait.
pub(crate) type Sonde = fn(u32) -> Option<Constat>;

thread_local! {
    /// La sonde du TP qui reprend ces contrôles (le TP13 regarde où son
    /// unique thread est bloqué), et ce qu'elle a vu au dernier silence.
    static SONDE: Cell<Option<Sonde>> = const { Cell::new(None) };
    static CONSTAT: RefCell<Option<Constat>> = const { RefCell::new(None) };
}

/// Lance `controle` en appelant `sonde` sur le serveur chaque fois qu'il
/// laisse une commande sans réponse ; rend le résultat du contrôle et ce
/// que la sonde a vu au dernier de ces silences. Le serveur est arrêté
/// quand le contrôle rend son diagnostic : c'est pendant le silence qu'il
/// faut le regarder.
pub(crate) fn sous_la_sonde<R>(sonde: Sonde, controle: impl FnOnce() -> R) -> (R, Option<Constat>) {
    /// Retire la sonde, même si le contrôle panique.
    struct Retrait;
    impl Drop for Retrait {
        fn drop(&mut self) {
            SONDE.set(None);
            CONSTAT.take();
        }
    }
    let _retrait = Retrait;
    SONDE.set(Some(sonde));
    let resultat = controle();
    (resultat, CONSTAT.take())
}

/// Le serveur `pid` n'a pas répondu à temps : la sonde, s'il y en a une,
/// regarde ce qu'il fait à cet instant.
fn sonder_le_silence(pid: u32) {
    if let Some(sonde) = SONDE.get() {
        CONSTAT.set(sonde(pid));
    }
}

fn etape(cote: Cote, numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote,
        numero,
        nom,
    }
}

/// Attend, au plus `delai`, que le serveur qui écoute sur `port` ait lu
/// tout ce que le client `client` lui a envoyé : dans la table des sockets
/// (/proc/net/tcp), la socket du client n'a plus d'octets non acquittés
/// (ils sont arrivés) et celle du serveur n'a plus rien en file de
/// réception (il les a lus). On observe au lieu de dormir : deux envois
/// séparés par cette attente ne se recollent jamais en une seule lecture.
/// Sans table lisible (hors Linux), une courte pause en tient lieu.
pub(crate) fn attendre_lecture(port: u16, client: SocketAddr, delai: Duration) {
    let limite = std::time::Instant::now() + delai;
    let serveur = SocketAddr::from(([127, 0, 0, 1], port));
    loop {
        match files_d_attente(serveur, client) {
            Some((0, 0)) => return,
            None => {
                std::thread::sleep(PAUSE_ENTRE_MORCEAUX);
                return;
            }
            Some(_) if std::time::Instant::now() >= limite => return,
            Some(_) => std::thread::sleep(Duration::from_millis(1)),
        }
    }
}

/// (octets non acquittés du client, octets non lus du serveur) pour la
/// connexion `client` ↔ `serveur`, lus dans /proc/net/tcp.
pub(crate) fn files_d_attente(serveur: SocketAddr, client: SocketAddr) -> Option<(u64, u64)> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let hexa = |a: SocketAddr| match a.ip() {
        std::net::IpAddr::V4(ip) => {
            format!("{:08X}:{:04X}", u32::from_ne_bytes(ip.octets()), a.port())
        }
        std::net::IpAddr::V6(_) => String::new(),
    };
    let (s, c) = (hexa(serveur), hexa(client));
    // Champs : sl, adresse locale, adresse distante, état, tx_queue:rx_queue.
    let file = |local: &str, distante: &str, rang: usize| {
        table.lines().find_map(|ligne| {
            let champs: Vec<&str> = ligne.split_whitespace().collect();
            if champs.get(1) == Some(&local) && champs.get(2) == Some(&distante) {
                let (tx, rx) = champs.get(4)?.split_once(':')?;
                u64::from_str_radix([tx, rx][rang], 16).ok()
            } else {
                None
            }
        })
    };
    Some((file(&c, &s, 0)?, file(&s, &c, 1)?))
}
