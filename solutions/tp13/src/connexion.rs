//! Une connexion du bar et sa machine à états.
//!
//! Au TP12, chaque client avait un thread, et l'état de sa session vivait
//! dans la pile de ce thread : « je suis dans la boucle, j'attends la ligne
//! suivante ». Ici, un seul thread sert tout le monde et ne doit jamais
//! attendre un client en particulier ; l'état de chaque session est donc
//! rangé dans une structure, avec ses deux tampons, et la connexion avance
//! par petits pas chaque fois que le noyau dit sa socket prête.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::time::Instant;

use mio::net::TcpStream;
use mio::{Interest, Registry, Token};

/// Longueur maximale d'une commande, `\n` compris (comme au TP12).
const LONGUEUR_MAX: usize = 1024;

/// Taille d'une lecture : ce que read() peut rendre d'un coup.
const MORCEAU: usize = 4096;

/// La contre-pression : au-delà de 64 Kio de réponses que le client n'a pas
/// encore prises, on cesse de lire ses commandes. Elles attendent alors dans
/// le noyau ; quand son tampon de réception est plein, TCP ferme la fenêtre
/// et c'est le write() **du client** qui bloque. La mémoire du serveur reste
/// bornée, quel que soit le nombre de commandes envoyées.
const SORTIE_MAX: usize = 64 * 1024;

const DEBUT_DE_REPONSE: &[u8] = "vous m'avez demandé : ".as_bytes();
const FIN_DE_REPONSE: &[u8] = " bien reçu 5 / 5\n".as_bytes();

/// Où en est la session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Etat {
    /// On lit les commandes et on y répond (sauf pendant une pause de
    /// contre-pression : voir [`Connexion::en_pause`]).
    Ouverte,
    /// Plus rien à lire : « fin » reçue, fin du flux, ou commande invalide.
    /// On finit d'envoyer les réponses dues, puis on ferme.
    Finir,
    /// La connexion est cassée (réinitialisée…) : on ferme sans attendre.
    Fermer,
}

/// Ce que la boucle doit faire de la connexion après l'avoir fait avancer.
pub enum Suite {
    /// La surveiller pour ces événements-là.
    Attendre(Interest),
    /// La fermer : la session est finie.
    Fermer,
}

/// Une session : la socket, l'adresse du client, ses deux tampons et son état.
pub struct Connexion {
    pub flux: TcpStream,
    pub adresse: SocketAddr,
    /// Octets reçus qui ne forment pas encore une commande entière.
    entree: Vec<u8>,
    /// Réponses prêtes que le noyau n'a pas encore acceptées.
    sortie: Vec<u8>,
    etat: Etat,
    /// Ce qu'epoll surveille en ce moment pour cette socket.
    interets: Interest,
    /// Le dernier événement de cette socket : un client muet depuis trop
    /// longtemps est congédié.
    pub derniere_activite: Instant,
}

impl Connexion {
    pub fn new(flux: TcpStream, adresse: SocketAddr, interets: Interest) -> Connexion {
        Connexion {
            flux,
            adresse,
            entree: Vec::new(),
            sortie: Vec::new(),
            etat: Etat::Ouverte,
            interets,
            derniere_activite: Instant::now(),
        }
    }

    // ANCHOR: avancer
    /// Fait avancer la session autant que possible **sans jamais bloquer** :
    /// lire et répondre, puis envoyer. Rend ce qu'il faut attendre ensuite.
    pub fn avancer(&mut self) -> Suite {
        loop {
            self.lire_et_repondre();
            let pleine = self.en_pause();
            self.envoyer();
            // La lecture s'était arrêtée sur un tampon de sortie plein, et
            // l'envoi vient d'y faire de la place : on la reprend tout de
            // suite. Des commandes attendent peut-être déjà dans le noyau, et
            // epoll ne signale que les changements : il ne le redira pas.
            let reprendre = pleine && self.etat == Etat::Ouverte && !self.en_pause();
            if !reprendre {
                return self.suite();
            }
        }
    }
    // ANCHOR_END: avancer

    /// Vrai si la lecture est suspendue : trop de réponses attendent le client.
    fn en_pause(&self) -> bool {
        self.sortie.len() >= SORTIE_MAX
    }

    // ANCHOR: lire_et_repondre
    /// Étape 3 : répond aux commandes déjà reçues, puis lit la suite, jusqu'à
    /// ce que le noyau n'ait plus rien (WouldBlock). Lire jusque-là est
    /// obligatoire : epoll ne signalera pas de nouveau des octets déjà là.
    fn lire_et_repondre(&mut self) {
        let mut morceau = [0u8; MORCEAU];
        loop {
            self.repondre();
            if self.etat != Etat::Ouverte || self.en_pause() {
                return;
            }
            match self.flux.read(&mut morceau) {
                // Fin du flux : le client n'enverra plus rien. Un bout de
                // ligne sans « \n » resté dans `entree` n'est pas une commande.
                Ok(0) => {
                    self.etat = Etat::Finir;
                    return;
                }
                Ok(n) => self.entree.extend_from_slice(&morceau[..n]),
                // Le noyau n'a plus rien pour nous : on attendra un événement.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // Connexion réinitialisée (le client a disparu) : rien à sauver.
                Err(e) => {
                    eprintln!("erreur avec {} : erreur de lecture : {e}", self.adresse);
                    self.etat = Etat::Fermer;
                    return;
                }
            }
        }
    }

    /// Étape 3 : transforme chaque commande entière de `entree` en réponse
    /// dans `sortie`, tant que la connexion est ouverte et pas en pause.
    fn repondre(&mut self) {
        let mut lus = 0;
        while self.etat == Etat::Ouverte && !self.en_pause() {
            let reste = &self.entree[lus..];
            // On ne cherche le « \n » que dans les LONGUEUR_MAX premiers
            // octets : une ligne plus longue n'est pas une commande.
            let Some(fin) = reste.iter().take(LONGUEUR_MAX).position(|&o| o == b'\n') else {
                if reste.len() >= LONGUEUR_MAX {
                    self.abandonner(format!(
                        "commande de plus de {LONGUEUR_MAX} octets sans « \\n », session arrêtée"
                    ));
                }
                break;
            };
            let mut commande = &reste[..fin];
            lus += fin + 1;
            // Un client lancé avec `nc -C` termine ses lignes par « \r\n ».
            if let [debut @ .., b'\r'] = commande {
                commande = debut;
            }
            let Ok(texte) = std::str::from_utf8(commande) else {
                self.abandonner(
                    "le client a envoyé des octets qui ne sont pas de l'UTF-8, session arrêtée"
                        .to_string(),
                );
                break;
            };
            // La réponse est préparée, pas envoyée : c'est envoyer() qui
            // la confiera au noyau, quand il pourra la prendre.
            self.sortie.extend_from_slice(DEBUT_DE_REPONSE);
            self.sortie.extend_from_slice(texte.as_bytes());
            self.sortie.extend_from_slice(FIN_DE_REPONSE);
            if texte == "fin" {
                self.etat = Etat::Finir;
            }
        }
        // Les commandes traitées quittent le tampon d'un seul coup.
        self.entree.drain(..lus);
    }

    /// Une faute du client termine sa session, et seulement la sienne : les
    /// réponses déjà dues partent, rien de plus n'est lu.
    fn abandonner(&mut self, raison: String) {
        eprintln!("erreur avec {} : {raison}", self.adresse);
        self.etat = Etat::Finir;
    }
    // ANCHOR_END: lire_et_repondre

    // ANCHOR: envoyer
    /// Étape 3 (suite) : confie au noyau tout ce qu'il veut bien prendre de `sortie`.
    /// write() peut n'accepter qu'une partie des octets (le tampon d'émission
    /// de la socket se remplit quand le client ne lit pas) : on retire du
    /// tampon ce qui est parti, et le reste attend l'événement WRITABLE.
    fn envoyer(&mut self) {
        while !self.sortie.is_empty() {
            match self.flux.write(&self.sortie) {
                Ok(0) => {
                    eprintln!(
                        "erreur avec {} : la connexion n'accepte plus rien",
                        self.adresse
                    );
                    self.etat = Etat::Fermer;
                    return;
                }
                Ok(n) => {
                    self.sortie.drain(..n);
                }
                // Tampon d'émission plein : le reste partira plus tard.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // Le client est parti (EPIPE, ECONNRESET) : ses réponses sont perdues.
                Err(e) => {
                    eprintln!("erreur avec {} : erreur d'écriture : {e}", self.adresse);
                    self.etat = Etat::Fermer;
                    return;
                }
            }
        }
    }

    /// Étape 3 (fin) : ce qu'il faut surveiller désormais. READABLE tant qu'on
    /// accepte des commandes ; WRITABLE seulement s'il reste à envoyer (une
    /// socket au tampon d'émission libre est presque toujours « prête en
    /// écriture » : s'y abonner sans rien à écrire réveillerait la boucle
    /// pour rien). Ni l'un ni l'autre : la session est finie.
    fn suite(&self) -> Suite {
        if self.etat == Etat::Fermer {
            return Suite::Fermer;
        }
        let lire = (self.etat == Etat::Ouverte && !self.en_pause()).then_some(Interest::READABLE);
        let ecrire = (!self.sortie.is_empty()).then_some(Interest::WRITABLE);
        match lire.into_iter().chain(ecrire).reduce(|a, b| a | b) {
            Some(interets) => Suite::Attendre(interets),
            None => Suite::Fermer,
        }
    }
    // ANCHOR_END: envoyer

    /// Change ce qu'epoll surveille (epoll_ctl MOD), seulement si ça change :
    /// un appel système de moins à chaque événement.
    pub fn abonner(
        &mut self,
        registre: &Registry,
        jeton: Token,
        interets: Interest,
    ) -> io::Result<()> {
        if interets != self.interets {
            registre.reregister(&mut self.flux, jeton, interets)?;
            self.interets = interets;
        }
        Ok(())
    }
}
