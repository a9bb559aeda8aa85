//! Une connexion du bar et sa machine à états.
//!
//! Au TP12, chaque client avait un thread, et l'état de sa session vivait
//! dans la pile de ce thread : « je suis dans la boucle, j'attends la ligne
//! suivante ». Ici, un seul thread sert tout le monde et ne doit jamais
//! attendre un client en particulier ; l'état de chaque session est donc
//! rangé dans une structure, avec ses deux tampons, et la connexion avance
//! par petits pas chaque fois que le noyau dit sa socket prête.
//!
//! Complétez les fonctions de l'étape 3, en remplaçant chaque
//! `todo!()`. Puis : `cargo test -p tp13`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, unused_mut, dead_code)]

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

// ANCHOR: etat
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
// ANCHOR_END: etat

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
    /// (Cette fonction est fournie.)
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
    /// ce que le noyau n'ait plus rien. En boucle :
    ///
    /// - `self.repondre()` ; puis, si l'état n'est plus `Ouverte` ou si la
    ///   connexion est en pause (`self.en_pause()`), c'est fini ;
    /// - un `read` dans un tableau local de `MORCEAU` octets :
    ///   - `Ok(0)` : fin du flux, l'état passe à `Finir` ;
    ///   - `Ok(n)` : ajoutez les `n` octets à `self.entree` ;
    ///   - `WouldBlock` : le noyau n'a plus rien, c'est fini pour cette fois.
    ///     Lire jusque-là est obligatoire : epoll ne signalera pas de nouveau
    ///     des octets déjà arrivés ;
    ///   - `Interrupted` : recommencez ;
    ///   - une autre erreur (connexion réinitialisée) : affichez
    ///     `erreur avec ADRESSE : …`, l'état passe à `Fermer`.
    fn lire_et_repondre(&mut self) {
        todo!("Étape 3 : lire jusqu'à WouldBlock et répondre aux commandes reçues")
    }

    /// Étape 3 : chaque commande entière de `self.entree` devient une réponse
    /// dans `self.sortie`, tant que l'état est `Ouverte` et que la connexion
    /// n'est pas en pause.
    ///
    /// - cherchez le `\n` dans les `LONGUEUR_MAX` premiers octets seulement ;
    ///   pas de `\n` alors qu'il y en a déjà `LONGUEUR_MAX` :
    ///   `self.abandonner("commande de plus de … octets …")` ; pas de `\n`
    ///   sinon : la commande n'est pas encore arrivée en entier ;
    /// - retirez le `\n`, et un `\r` juste avant ;
    /// - `std::str::from_utf8` : si ce n'est pas de l'UTF-8, `abandonner` ;
    /// - ajoutez `DEBUT_DE_REPONSE`, la commande et `FIN_DE_REPONSE` à
    ///   `self.sortie` ; la commande `fin` fait passer l'état à `Finir` ;
    /// - à la fin, retirez d'un coup les commandes traitées du début de
    ///   `self.entree` (`drain(..n)`).
    fn repondre(&mut self) {
        todo!("Étape 3 : transformer les lignes entières du tampon d'entrée en réponses")
    }

    /// Une faute du client termine sa session, et seulement la sienne : les
    /// réponses déjà dues partent, rien de plus n'est lu. (Fournie.)
    fn abandonner(&mut self, raison: String) {
        eprintln!("erreur avec {} : {raison}", self.adresse);
        self.etat = Etat::Finir;
    }
    // ANCHOR_END: lire_et_repondre

    // ANCHOR: envoyer
    /// Étape 3 (suite) : confie au noyau tout ce qu'il veut bien prendre de
    /// `self.sortie`. Tant qu'il reste des octets, `self.flux.write(…)` :
    ///
    /// - `Ok(n)` : **seuls** les `n` premiers octets sont partis ; retirez-les
    ///   (`drain(..n)`) et recommencez avec le reste ;
    /// - `WouldBlock` : le tampon d'émission de la socket est plein (le
    ///   client ne lit pas assez vite) ; le reste attendra l'événement
    ///   WRITABLE, c'est fini pour cette fois ;
    /// - `Interrupted` : recommencez ;
    /// - `Ok(0)` ou une autre erreur (le client est parti) : affichez
    ///   `erreur avec ADRESSE : …`, l'état passe à `Fermer`.
    fn envoyer(&mut self) {
        todo!("Étape 3 : envoyer ce que le noyau accepte, garder le reste")
    }

    /// Étape 3 (fin) : ce qu'il faut surveiller désormais.
    ///
    /// - état `Fermer` : `Suite::Fermer` ;
    /// - `Interest::READABLE` si l'état est `Ouverte` et la connexion pas en
    ///   pause ;
    /// - `Interest::WRITABLE` seulement s'il reste à envoyer : une socket au
    ///   tampon d'émission libre est presque toujours prête en écriture, s'y
    ///   abonner sans rien à écrire réveillerait la boucle pour rien ;
    /// - les deux : `READABLE | WRITABLE` ; ni l'un ni l'autre : la session
    ///   est finie, `Suite::Fermer`.
    fn suite(&self) -> Suite {
        todo!("Étape 3 : dire ce qu'il faut surveiller (READABLE, WRITABLE) ou fermer")
    }
    // ANCHOR_END: envoyer

    /// Change ce qu'epoll surveille (epoll_ctl MOD), seulement si ça change :
    /// un appel système de moins à chaque événement. (Fournie.)
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
