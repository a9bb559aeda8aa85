//! Un serveur HTTP/1.1 de fichiers statiques, écrit avec `std::net` seulement.
//!
//! C'est un exemple du cours autant qu'un outil : il montre la structure
//! classique d'un serveur TCP « un fil d'exécution par connexion ».
//!
//! - Un fil dédié attend les connexions (`accept`) et confie chacune à un
//!   nouveau fil ([`boucle_d_acceptation`]).
//! - Chaque fil lit une requête, envoie une réponse puis ferme la connexion
//!   (module `connexion`).
//! - Le chemin demandé est décodé et vérifié pour ne jamais sortir du dossier
//!   servi (module `chemin`).
//!
//! Ce serveur est fait pour la machine locale : il écoute par défaut sur
//! 127.0.0.1, l'adresse de bouclage, injoignable depuis le réseau.

mod chemin;
mod connexion;
mod reponse;
mod requete;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use anyhow::Context;

/// Crochet appelé avant de servir une page HTML, pour reconstruire le livre si
/// ses sources ont changé. S'il échoue, le serveur répond par une page
/// d'erreur 500 qui affiche le message, et continue de tourner.
pub type Reconstruction = Box<dyn Fn() -> anyhow::Result<()> + Send + Sync>;

/// Au-delà de ce nombre de connexions simultanées, les nouvelles reçoivent
/// aussitôt une réponse 503 : un fil par connexion coûte de la mémoire (une
/// pile par fil), on ne laisse pas un client en ouvrir des milliers.
const CONNEXIONS_MAX: usize = 64;

/// Délai accordé à la connexion qui sert à débloquer `accept` à l'arrêt.
const DELAI_REVEIL: Duration = Duration::from_secs(1);

/// Un serveur en marche. Le lâcher (`drop`) l'arrête proprement.
pub struct Serveur {
    adresse: SocketAddr,
    arret: Arc<AtomicBool>,
    boucle: Option<JoinHandle<()>>,
}

/// Ce que partagent tous les fils du serveur.
struct Contexte {
    /// Le dossier servi, sous forme canonique (absolu, liens résolus) : tout
    /// fichier servi doit se trouver dessous.
    racine: PathBuf,
    /// Le crochet de reconstruction, s'il y en a un.
    reconstruire: Option<Reconstruction>,
    /// Une reconstruction réécrit le dossier servi : elle prend ce verrou en
    /// écriture, et chaque envoi de fichier le prend en lecture, pour ne
    /// jamais envoyer un fichier à moitié réécrit.
    verrou: RwLock<()>,
    /// Nombre de connexions en cours de traitement.
    connexions: AtomicUsize,
}

impl Serveur {
    /// Ouvre une socket d'écoute sur `adresse` (port 0 : le système choisit un
    /// port libre) et sert les fichiers de `racine` dans un fil dédié.
    pub fn demarrer(
        adresse: SocketAddr,
        racine: PathBuf,
        reconstruire: Option<Reconstruction>,
    ) -> anyhow::Result<Serveur> {
        // `bind` réserve l'adresse et le port, puis met la socket en écoute :
        // le système accepte dès lors les connexions (la poignée de main TCP)
        // et les range dans une file d'attente, même avant notre `accept`.
        let ecoute = TcpListener::bind(adresse)
            .with_context(|| format!("impossible d'écouter sur {adresse}"))?;
        Self::sur_ecoute(ecoute, racine, reconstruire)
    }

    /// Comme [`Serveur::demarrer`], avec une socket d'écoute déjà ouverte :
    /// on peut ainsi réserver le port (et signaler qu'il est pris) avant de
    /// préparer le dossier à servir.
    pub fn sur_ecoute(
        ecoute: TcpListener,
        racine: PathBuf,
        reconstruire: Option<Reconstruction>,
    ) -> anyhow::Result<Serveur> {
        let racine = racine
            .canonicalize()
            .with_context(|| format!("dossier à servir introuvable : {}", racine.display()))?;
        let adresse = ecoute
            .local_addr()
            .context("impossible de lire l'adresse d'écoute")?;
        let contexte = Arc::new(Contexte {
            racine,
            reconstruire,
            verrou: RwLock::new(()),
            connexions: AtomicUsize::new(0),
        });
        let arret = Arc::new(AtomicBool::new(false));
        let arret_boucle = Arc::clone(&arret);
        let boucle = thread::Builder::new()
            .name("livre-accept".into())
            .spawn(move || boucle_d_acceptation(&ecoute, &contexte, &arret_boucle))
            .context("impossible de lancer le fil d'acceptation")?;
        Ok(Serveur {
            adresse,
            arret,
            boucle: Some(boucle),
        })
    }

    /// L'adresse effectivement écoutée (avec le vrai port si on a demandé 0).
    pub fn adresse_locale(&self) -> SocketAddr {
        self.adresse
    }

    /// Bloque jusqu'à l'arrêt du serveur, c'est-à-dire, pour l'exécutable,
    /// jusqu'à ce que l'utilisateur l'interrompe (Ctrl+C).
    pub fn attendre(mut self) {
        if let Some(boucle) = self.boucle.take() {
            let _ = boucle.join();
        }
    }
}

impl Drop for Serveur {
    /// Arrête le serveur : on lève le drapeau d'arrêt, puis on se connecte à
    /// soi-même, car le fil d'acceptation est bloqué dans `accept` et ne
    /// regardera le drapeau qu'une fois réveillé par une connexion. Les
    /// connexions en cours finissent seules (leurs délais les bornent).
    fn drop(&mut self) {
        let Some(boucle) = self.boucle.take() else {
            return;
        };
        self.arret.store(true, Ordering::SeqCst);
        if TcpStream::connect_timeout(&adresse_de_reveil(self.adresse), DELAI_REVEIL).is_ok() {
            let _ = boucle.join();
        }
        // Sinon (cas improbable), on n'attend pas le fil : mieux vaut le
        // laisser bloqué dans `accept` que bloquer le programme.
    }
}

/// L'adresse à laquelle se connecter pour réveiller `accept` : si le serveur
/// écoute sur « toutes les interfaces » (0.0.0.0 ou ::), on passe par la
/// boucle locale.
fn adresse_de_reveil(adresse: SocketAddr) -> SocketAddr {
    let ip = match adresse.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, adresse.port())
}

/// La boucle du fil d'acceptation.
///
/// `accept` (appelé par l'itérateur `incoming`) bloque tant que la file des
/// connexions établies est vide, puis en retire une et renvoie une nouvelle
/// socket, propre à ce client ; la socket d'écoute, elle, reste disponible
/// pour les suivants. On confie chaque connexion à un nouveau fil : ainsi un
/// client lent (ou muet) n'empêche pas les autres d'être servis.
fn boucle_d_acceptation(ecoute: &TcpListener, contexte: &Arc<Contexte>, arret: &AtomicBool) {
    for entrant in ecoute.incoming() {
        if arret.load(Ordering::SeqCst) {
            break;
        }
        match entrant {
            Ok(flux) => confier_a_un_fil(flux, contexte),
            // Erreurs passagères (client parti avant `accept`, plus de
            // descripteurs de fichiers libres…) : on souffle et on continue.
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Lance un fil pour servir `flux`, ou refuse la connexion (503) si trop de
/// connexions sont déjà en cours.
fn confier_a_un_fil(flux: TcpStream, contexte: &Arc<Contexte>) {
    let garde = Occupation::prendre(contexte);
    if garde.nombre > CONNEXIONS_MAX {
        connexion::refuser_surcharge(flux);
        return;
    }
    let contexte = Arc::clone(contexte);
    // Si le système refuse un nouveau fil, la connexion (déplacée dans la
    // fermeture) est lâchée avec elle : le client voit la connexion se fermer.
    let _ = thread::Builder::new()
        .name("livre-connexion".into())
        .spawn(move || {
            let _garde = garde;
            connexion::servir(flux, &contexte);
        });
}

/// Compte une connexion en cours, et la décompte quand on la lâche (même si
/// le fil qui la sert panique).
struct Occupation {
    contexte: Arc<Contexte>,
    nombre: usize,
}

impl Occupation {
    /// Compte une connexion de plus et retient le nouveau total.
    fn prendre(contexte: &Arc<Contexte>) -> Self {
        let nombre = contexte.connexions.fetch_add(1, Ordering::SeqCst) + 1;
        Self {
            contexte: Arc::clone(contexte),
            nombre,
        }
    }
}

impl Drop for Occupation {
    fn drop(&mut self) {
        self.contexte.connexions.fetch_sub(1, Ordering::SeqCst);
    }
}
