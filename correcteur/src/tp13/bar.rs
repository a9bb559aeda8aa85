//! Le banc d'essai du TP13 : le serveur testé, les clients que joue le
//! correcteur, et l'explication d'un silence par ce que fait le serveur à
//! cet instant (l'appel système où son unique thread est bloqué).

use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_DEMARRAGE, DELAI_REPONSE, Etape, statut_en_clair};
use crate::processus::Programme;
use crate::reseau::{self, Lecteur};

use super::sondes::{self, Extremite};

/// Marque provisoire d'un silence total, remplacée par une explication
/// établie au moment même du constat.
const SILENCE: &str = "\u{0}silence";

pub(super) const INDICE_BLOQUANT: &str = "dans une boucle d'événements, un seul appel bloquant fige tout \
     le serveur : chaque socket acceptée doit être non bloquante (mio::net::TcpListener::accept \
     la rend ainsi ; TcpStream::from_std exige une socket déjà passée en set_nonblocking(true)), \
     et chaque read, write ou accept s'arrête sur WouldBlock.";

const INDICE_EVENEMENT_PERDU: &str = "epoll (par mio) ne signale que les changements : après un \
     événement, lisez (ou acceptez) jusqu'à WouldBlock, sinon ce qui reste dans le noyau ne sera \
     plus jamais signalé. Vérifiez aussi que la socket du client est enregistrée (register) avec \
     Interest::READABLE.";

/// Le serveur testé, qui écoute sur `port`.
pub(super) struct Bar {
    pub programme: Programme,
    pub port: u16,
    /// Les clients joués jusqu'ici : leur nom et leur adresse, pour dire à
    /// qui appartient une socket du serveur.
    presents: Vec<(String, SocketAddr)>,
}

/// Un client joué par le correcteur.
pub(super) struct Client {
    pub nom: String,
    pub adresse: SocketAddr,
    pub lecteur: Lecteur,
}

impl Bar {
    /// Lance le serveur sur un port libre (avec d'éventuelles options) et
    /// attend qu'il écoute, sans s'y connecter.
    pub fn ouvrir(etape: &Etape, binaire: &Path, options: &[&str]) -> Result<Bar, Diagnostic> {
        let port = reseau::port_libre();
        let port_texte = port.to_string();
        let mut args = vec!["serveur", port_texte.as_str()];
        args.extend_from_slice(options);
        let mut programme = etape.lancer(binaire, "serveur", &args)?;
        etape.attendre_ecoute(&mut programme, port)?;
        Ok(Bar {
            programme,
            port,
            presents: Vec::new(),
        })
    }

    pub fn pid(&self) -> u32 {
        self.programme.pid()
    }

    /// Un client se connecte (le noyau du serveur finit la poignée de main,
    /// que le programme ait appelé accept() ou non).
    pub fn entrer(&mut self, etape: &Etape, nom: impl Into<String>) -> Result<Client, Diagnostic> {
        let nom = nom.into();
        let flux =
            reseau::connecter(self.port, &mut self.programme, DELAI_DEMARRAGE).map_err(|e| {
                let attendu = format!("de laisser entrer le {nom} sur le port {}", self.port);
                etape.injoignable(e, &self.programme, &attendu)
            })?;
        self.accueilli(etape, nom, flux)
    }

    /// Un client se connecte, en une seule tentative qui doit aboutir avant
    /// `limite` : quand mille clients frappent, une connexion qui traîne
    /// signale une file d'attente de listen() pleine.
    pub fn entrer_avant(
        &mut self,
        etape: &Etape,
        nom: impl Into<String>,
        limite: Instant,
    ) -> Result<Client, Diagnostic> {
        let nom = nom.into();
        let adresse_du_bar = SocketAddr::from((reseau::BOUCLE_LOCALE, self.port));
        let reste = limite.saturating_duration_since(Instant::now());
        let flux = TcpStream::connect_timeout(&adresse_du_bar, reste.max(Duration::from_millis(1)))
            .map_err(|e| {
                let d = etape.echec_de(
                    &self.programme,
                    format!(
                        "Le {nom} n'a pas pu se connecter à temps ({e}), après {} autres \
                         clients : la file d'attente de listen() déborde, le serveur \
                         n'accepte pas assez vite.",
                        self.presents.len()
                    ),
                );
                self.expliquer_le_blocage(d)
            })?;
        self.accueilli(etape, nom, flux)
    }

    /// Un client aux tampons de socket réduits à `taille` octets (posés
    /// avant connect, ils fixent la fenêtre annoncée au serveur) : il
    /// remplit vite les tampons du noyau quand il cesse de lire.
    pub fn entrer_a_l_etroit(
        &mut self,
        etape: &Etape,
        nom: &str,
        taille: usize,
    ) -> Result<Client, Diagnostic> {
        let adresse_du_bar = SocketAddr::from((reseau::BOUCLE_LOCALE, self.port));
        let connexion = || -> std::io::Result<TcpStream> {
            let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
            socket.set_recv_buffer_size(taille)?;
            socket.set_send_buffer_size(taille)?;
            socket.connect_timeout(&adresse_du_bar.into(), DELAI_DEMARRAGE)?;
            Ok(socket.into())
        };
        let flux = connexion().map_err(|e| {
            etape.echec_de(
                &self.programme,
                format!(
                    "Le {nom} n'a pas pu se connecter au port {} : {e}.",
                    self.port
                ),
            )
        })?;
        self.accueilli(etape, nom.to_string(), flux)
    }

    /// Un client connecté est noté parmi les présents.
    fn accueilli(
        &mut self,
        etape: &Etape,
        nom: String,
        flux: TcpStream,
    ) -> Result<Client, Diagnostic> {
        let adresse = flux.local_addr().map_err(|e| {
            etape.echec(format!(
                "Le correcteur n'a pas pu lire l'adresse de son {nom} : {e}."
            ))
        })?;
        self.presents.push((nom.clone(), adresse));
        Ok(Client {
            nom,
            adresse,
            lecteur: Lecteur::new(flux),
        })
    }

    /// Envoie des octets pour un client, d'un bloc.
    pub fn envoyer(
        &mut self,
        etape: &Etape,
        qui: &mut Client,
        octets: &[u8],
    ) -> Result<(), Diagnostic> {
        reseau::envoyer(qui.lecteur.flux(), octets).map_err(|e| {
            let d = etape.echec_de(
                &self.programme,
                format!("Le {} n'a pas pu écrire sur sa connexion : {e}.", qui.nom),
            );
            self.constat(d, &qui.nom)
        })
    }

    /// Un client commande (une ligne) puis lit la réponse, qui doit être exacte.
    pub fn commander(
        &mut self,
        etape: &Etape,
        qui: &mut Client,
        commande: &str,
        situation: &str,
    ) -> Result<(), Diagnostic> {
        self.envoyer(etape, qui, format!("{commande}\n").as_bytes())?;
        self.reponse(etape, qui, commande, situation)
    }

    /// Lit la réponse à `commande`. Un silence est expliqué par la
    /// `situation` (« alors que le client n°1 se tait ») et par ce que fait
    /// le serveur à cet instant.
    pub fn reponse(
        &mut self,
        etape: &Etape,
        qui: &mut Client,
        commande: &str,
        situation: &str,
    ) -> Result<(), Diagnostic> {
        let attendue = crate::tp12::reponse(commande);
        etape
            .lire_ligne(
                &mut qui.lecteur,
                &self.programme,
                attendue.as_bytes(),
                SILENCE,
            )
            .map_err(|mut d| {
                if d.explication == SILENCE {
                    d.explication = format!(
                        "Le {} a commandé « {commande} » et n'a reçu aucune réponse en {} s{situation}.",
                        qui.nom,
                        DELAI_REPONSE.as_secs()
                    );
                    d = self.expliquer_le_blocage(d);
                    d = self.reste_dans_la_file(d, qui);
                }
                self.constat(d, &qui.nom)
            })
    }

    /// Combien des `n` premiers clients entrés le serveur a notés dans son
    /// journal (« Client connecté : … »).
    pub fn acceptes_parmi_les_premiers(&self, n: usize) -> usize {
        self.presents
            .iter()
            .take(n)
            .filter(|(_, adresse)| {
                self.programme
                    .attendre_lignes(&[&crate::tp12::arrivee(*adresse)], Duration::ZERO)
                    .is_ok()
            })
            .count()
    }

    /// Complète un diagnostic de silence par l'appel système où le thread
    /// principal du serveur est bloqué en ce moment (`/proc/PID/syscall`).
    pub fn expliquer_le_blocage(&self, d: Diagnostic) -> Diagnostic {
        let nom_du_client = |pair: SocketAddr| {
            self.presents
                .iter()
                .find(|(_, adresse)| *adresse == pair)
                .map(|(nom, _)| nom.clone())
        };
        match blocage(self.pid(), nom_du_client) {
            Some(blocage) => blocage.expliquer(d),
            None => d,
        }
    }

    /// Le client `qui`, resté sans réponse, n'a jamais été accepté (aucun
    /// « Client connecté » pour lui dans le journal) alors que le serveur
    /// dort en attendant des événements : arrivé juste après un autre, il
    /// attend toujours dans la file de listen(). Des clients arrivés
    /// ensemble ne sont pas tous acceptés (R7).
    fn reste_dans_la_file(&self, mut d: Diagnostic, qui: &Client) -> Diagnostic {
        let accepte = self
            .programme
            .attendre_lignes(&[&crate::tp12::arrivee(qui.adresse)], Duration::ZERO)
            .is_ok();
        let dort = sondes::appel_bloque(self.pid()).is_some_and(|a| a.attend_des_evenements);
        if accepte || !dort {
            return d;
        }
        d.explication.push_str(&format!(
            "\nLe serveur n'a pas accepté le {} (aucun « {} » dans son journal) : sa \
             connexion, établie par le noyau, attend encore dans la file d'attente de listen().",
            qui.nom,
            crate::tp12::arrivee(qui.adresse)
        ));
        d.regle = None;
        d.enfreint("R7").indice(
            "un événement sur la socket d'écoute peut annoncer plusieurs clients, arrivés \
             ensemble : appelez accept() en boucle jusqu'à WouldBlock.",
        )
    }

    /// Si le serveur s'est arrêté, c'est la vraie nouvelle : elle remplace
    /// l'explication du diagnostic.
    pub fn constat(&mut self, mut diagnostic: Diagnostic, nom: &str) -> Diagnostic {
        if let Some(statut) = self.programme.attendre_fin(Duration::from_millis(200)) {
            diagnostic.explication = format!(
                "Le serveur s'est arrêté ({}) : le {nom} n'a pas été servi.",
                statut_en_clair(statut)
            );
            diagnostic.sortie = self.programme.dernieres_lignes();
        }
        diagnostic
    }
}

/// Ce que fait le serveur au moment d'un silence : la phrase qui le dit,
/// l'indice qui va avec, et la règle enfreinte quand cette observation en
/// montre une.
pub(crate) struct Blocage {
    explication: String,
    indice: &'static str,
    regle: Option<&'static str>,
}

impl Blocage {
    /// Ajoute l'observation à un diagnostic de silence ; la règle qu'elle
    /// montre remplace celle de l'étape (sauf devant un `todo!()`).
    pub(crate) fn expliquer(self, mut d: Diagnostic) -> Diagnostic {
        d.explication.push('\n');
        d.explication.push_str(&self.explication);
        if let Some(regle) = self.regle {
            d.regle = None;
            d = d.enfreint(regle);
        }
        d.indice(self.indice)
    }
}

/// L'appel système où le thread principal du serveur `pid` est bloqué en
/// ce moment (`/proc/PID/syscall`), s'il y en a un. `nom_du_client` nomme
/// le client d'une socket de service (« client A »).
///
/// Bloqué dans read(), write() ou accept() sur une socket sans O_NONBLOCK,
/// le serveur montre le mode de cette socket, que le chapitre exige non
/// bloquant (R1 pour la socket d'écoute, R2 pour une socket de service),
/// quelle que soit l'étape qui en voit l'effet.
pub(crate) fn blocage(
    pid: u32,
    nom_du_client: impl Fn(SocketAddr) -> Option<String>,
) -> Option<Blocage> {
    let appel = sondes::appel_bloque(pid)?;
    if appel.attend_des_evenements {
        return Some(Blocage {
            explication: format!(
                "Au même moment, le serveur dort dans {}() : il attend des événements, et \
                 aucun ne l'a réveillé pour cette commande.",
                appel.nom
            ),
            indice: INDICE_EVENEMENT_PERDU,
            regle: None,
        });
    }
    let socket = match appel.inode.and_then(sondes::pair_de_socket) {
        None => String::new(),
        Some(pair) if pair.port() == 0 => ", la socket d'écoute".to_string(),
        Some(pair) => match nom_du_client(pair) {
            Some(nom) => format!(", la socket de service du {nom}"),
            None => format!(", la socket de service d'un client ({pair})"),
        },
    };
    let bloquante = appel.descripteur.and_then(|fd| {
        sondes::sockets_bloquantes(pid)
            .ok()?
            .into_iter()
            .find(|s| s.descripteur == fd)
    });
    let (mode, regle) = match bloquante {
        Some(s) => {
            let regle = match s.extremite {
                Extremite::Ecoute => Some("R1"),
                Extremite::Service(_) => Some("R2"),
                Extremite::Inconnue => None,
            };
            (format!(", en mode bloquant ({})", s.lu_dans), regle)
        }
        None => (String::new(), None),
    };
    let sur = appel
        .descripteur
        .map(|fd| format!(" sur son descripteur {fd}{socket}{mode}"))
        .unwrap_or_default();
    Some(Blocage {
        explication: format!(
            "Au même moment, le seul thread du serveur est bloqué dans {}(){sur} : tant que \
             cet appel attend, plus personne n'est servi.",
            appel.nom
        ),
        indice: INDICE_BLOQUANT,
        regle,
    })
}
