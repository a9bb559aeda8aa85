//! Les étapes du serveur : le correcteur joue les clients du bar, souvent
//! plusieurs à la fois.

use std::io::Write;
use std::net::{Shutdown, SocketAddr};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::etape::{Cote, DELAI_DEMARRAGE, DELAI_REPONSE, Etape, statut_en_clair};
use crate::processus::Programme;
use crate::reseau::{self, Lecteur, LectureIncomplete, Raison};
use crate::table_des_sockets::{self, Reponse};

use super::{COMPLET, PAUSE_ENTRE_MORCEAUX, arrivee, depart, enfreint, etape, reponse};

/// Nombre de clients connectés ensemble (serveur_4_vingt_clients).
const VINGT: usize = 20;
/// Nombre de sessions de serveur_4_descripteurs.
const SESSIONS: usize = 100;
/// Descripteurs de plus qu'au départ tolérés après ces sessions.
const DESCRIPTEURS_EN_TROP: usize = 5;
/// Taille de la ligne démesurée (serveur_4_ligne_trop_longue) : 1 Mio, sans `\n`.
const LIGNE_DEMESUREE: usize = 1 << 20;
/// Limite de clients donnée au serveur (serveur_5_limite_de_clients).
const LIMITE: usize = 3;
/// Pause entre deux essais, quand on attend qu'une place se libère.
const PAUSE_ESSAI: Duration = Duration::from_millis(20);

/// Marque provisoire d'un silence total, remplacée par une explication qui
/// dépend de ce que le serveur a écrit dans son journal.
const SILENCE: &str = "\u{0}silence";

/// Pourquoi une socket de service survit à sa session.
const INDICE_COPIE: &str = "une socket n'est fermée que quand la dernière valeur qui la possède \
     est lâchée : une copie (try_clone) gardée dans une liste la garde ouverte. Retirez-la au \
     départ du client.";

const INDICE_FIN: &str = "la commande « fin » (la ligne, sans son « \\n ») termine la session : \
     répondez-y comme aux autres, puis fermez la socket de service.";

pub(super) fn serveur(numero: u8, nom: &'static str) -> Etape {
    etape(Cote::Serveur, numero, nom)
}

/// Le serveur testé, qui écoute sur `port`.
pub(super) struct Bar {
    pub(super) programme: Programme,
    pub(super) port: u16,
}

/// Un client joué par le correcteur : « client n°3 ».
pub(super) struct Habitue {
    pub(super) nom: String,
    pub(super) adresse: SocketAddr,
    pub(super) lecteur: Lecteur,
}

impl Bar {
    /// Lance le serveur sur un port libre (avec d'éventuelles options) et
    /// attend qu'il écoute, sans s'y connecter.
    pub(super) fn ouvrir(
        etape: &Etape,
        binaire: &Path,
        options: &[&str],
    ) -> Result<Bar, Diagnostic> {
        let port = reseau::port_libre();
        let port_texte = port.to_string();
        let mut args = vec!["serveur", port_texte.as_str()];
        args.extend_from_slice(options);
        let mut programme = etape.lancer(binaire, "serveur", &args)?;
        etape.attendre_ecoute(&mut programme, port)?;
        Ok(Bar { programme, port })
    }

    /// Un client se connecte. La connexion s'établit dès que le noyau du
    /// serveur a fini la poignée de main, que le programme ait appelé
    /// accept() ou non.
    pub(super) fn entrer(
        &mut self,
        etape: &Etape,
        nom: impl Into<String>,
    ) -> Result<Habitue, Diagnostic> {
        let nom = nom.into();
        let flux =
            reseau::connecter(self.port, &mut self.programme, DELAI_DEMARRAGE).map_err(|e| {
                let attendu = format!("de laisser entrer le {nom} sur le port {}", self.port);
                etape.injoignable(e, &self.programme, &attendu)
            })?;
        let adresse = flux.local_addr().map_err(|e| {
            etape.echec(format!(
                "Le correcteur n'a pas pu lire l'adresse de son {nom} : {e}."
            ))
        })?;
        Ok(Habitue {
            nom,
            adresse,
            lecteur: Lecteur::new(flux),
        })
    }

    /// Envoie des octets pour un client, d'un bloc.
    pub(super) fn envoyer(
        &mut self,
        etape: &Etape,
        qui: &mut Habitue,
        octets: &[u8],
    ) -> Result<(), Diagnostic> {
        match reseau::envoyer(qui.lecteur.flux(), octets) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.constat(
                etape.echec_de(
                    &self.programme,
                    format!("Le {} n'a pas pu écrire sur sa connexion : {e}.", qui.nom),
                ),
                &qui.nom,
            )),
        }
    }

    /// Un client commande (une ligne) puis lit la réponse, qui doit être exacte.
    pub(super) fn commander(
        &mut self,
        etape: &Etape,
        qui: &mut Habitue,
        commande: &str,
    ) -> Result<(), Diagnostic> {
        self.envoyer(etape, qui, format!("{commande}\n").as_bytes())?;
        let silence = format!(
            "Le {} a commandé « {commande} » et n'a reçu aucune réponse en {} s.",
            qui.nom,
            DELAI_REPONSE.as_secs()
        );
        self.reponse(etape, qui, commande, &silence)
    }

    /// Lit la réponse à `commande` ; `silence` explique une absence totale de réponse.
    pub(super) fn reponse(
        &mut self,
        etape: &Etape,
        qui: &mut Habitue,
        commande: &str,
        silence: &str,
    ) -> Result<(), Diagnostic> {
        let attendue = reponse(commande);
        etape
            .lire_ligne(
                &mut qui.lecteur,
                &self.programme,
                attendue.as_bytes(),
                silence,
            )
            .map_err(|d| {
                if d.explication == silence {
                    super::sonder_le_silence(self.programme.pid());
                }
                self.constat(d, &qui.nom)
            })
    }

    /// Si le serveur s'est arrêté, c'est la vraie nouvelle : elle remplace
    /// l'explication du diagnostic.
    pub(super) fn constat(&mut self, mut diagnostic: Diagnostic, nom: &str) -> Diagnostic {
        if let Some(statut) = self.programme.attendre_fin(Duration::from_millis(200)) {
            diagnostic.explication = format!(
                "Le serveur s'est arrêté ({}) : le {nom} n'a pas été servi.",
                statut_en_clair(statut)
            );
            diagnostic.sortie = self.programme.dernieres_lignes();
        }
        diagnostic
    }

    /// Nomme la règle enfreinte, sauf quand le programme s'est arrêté sur
    /// un `todo!()` (une étape pas encore écrite n'enfreint rien) ou qu'une
    /// règle est déjà nommée, au plus près de l'observation.
    pub(super) fn regle(&self, d: Diagnostic, regle: &'static str) -> Diagnostic {
        if d.regle.is_some() || self.programme.erreurs().contains("not yet implemented") {
            d
        } else {
            d.regle(regle)
        }
    }

    /// La connexion de `qui`, que le serveur devait fermer, est restée
    /// ouverte (`ouverte`) alors que son journal note déjà le départ de ce
    /// client : la session est finie, mais une copie de la socket de
    /// service la garde ouverte (R10). Sinon, le diagnostic est rendu tel
    /// quel.
    pub(super) fn socket_gardee(&self, d: Diagnostic, qui: &Habitue, ouverte: bool) -> Diagnostic {
        let parti = self
            .programme
            .attendre_lignes(&[&depart(qui.adresse)], Duration::ZERO)
            .is_ok();
        if !(ouverte && parti) {
            return d;
        }
        let explication = format!(
            "{}\nPourtant, le serveur a noté le départ du {} (« {} ») : sa session est finie, \
             mais sa socket de service n'est pas fermée.",
            d.explication,
            qui.nom,
            depart(qui.adresse)
        );
        let mut d = self.regle(d, "R10").indice(INDICE_COPIE);
        d.explication = explication;
        d
    }

    /// Le serveur doit fermer la connexion de `qui`, sans rien ajouter.
    pub(super) fn fermeture(&self, etape: &Etape, qui: &mut Habitue) -> Result<(), Diagnostic> {
        etape
            .fin_de_flux(&mut qui.lecteur, &self.programme)
            .map_err(|d| {
                let ouverte = d.ecart.is_none() && d.explication.contains("n'a pas fermé");
                self.socket_gardee(d, qui, ouverte)
            })
    }

    /// `qui` dit « fin » : le serveur répond, puis ferme la connexion (R5).
    pub(super) fn dire_fin(&mut self, etape: &Etape, qui: &mut Habitue) -> Result<(), Diagnostic> {
        self.commander(etape, qui, "fin")
            .map_err(|d| self.regle(d, "R5").indice(INDICE_FIN))?;
        self.fermeture(etape, qui)
            .map_err(|d| self.regle(d, "R5").indice(INDICE_FIN))
    }

    /// Le serveur s'est-il arrêté ?
    pub(super) fn arrete(&mut self) -> bool {
        self.programme.statut().is_some()
    }

    /// Vérifie que le serveur tourne encore et sert un nouveau client.
    pub(super) fn sert_encore(&mut self, etape: &Etape, apres: &str) -> Result<(), Diagnostic> {
        let mut nouveau = self
            .entrer(etape, "client suivant")
            .map_err(|d| d.indice(format!("le serveur doit continuer après {apres}.")))?;
        self.commander(etape, &mut nouveau, "Un verre d'eau")
            .map_err(|d| d.indice(format!("le serveur doit continuer après {apres}.")))
    }
}

/// Lâche la connexion avec SO_LINGER à 0 : le noyau envoie un RST au lieu
/// d'un FIN, comme un client tué ou un câble arraché.
pub(super) fn partir_brutalement(qui: Habitue) {
    let socket = socket2::Socket::from(qui.lecteur.into_flux());
    let _ = socket.set_linger(Some(Duration::ZERO));
}

// ─── Étapes 1 et 4 : le bar ouvre, puis un client du début à la fin ────────

/// Étape 1 : le serveur écoute sur le port donné (ou l'annonce, puis
/// s'arrête sur le `todo!()` de l'étape 2 : la première étape du squelette
/// est faite, elle est acquise).
pub fn serveur_1_ouverture(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "le bar ouvre (écoute sur le port donné)");
    let port = reseau::port_libre();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    etape
        .ecoute_au_demarrage(&mut programme, port)
        .map_err(|d| {
            d.indice(
                "socket, set_reuse_address, bind sur 127.0.0.1 et le port reçu, listen ; puis \
                 annoncez le port réellement attaché (local_addr).",
            )
        })?;
    ecoute_sur_la_boucle_locale(&etape, &programme, port, INDICE_BOUCLE_LOCALE)
}

/// Pourquoi le bar n'écoute que sur la boucle locale (TP12, TP13).
pub(crate) const INDICE_BOUCLE_LOCALE: &str = "notre bar n'a ni authentification ni limite de \
     débit : attachez la socket à Ipv4Addr::LOCALHOST (127.0.0.1), pas à 0.0.0.0.";

/// La table des sockets du système (/proc/net/tcp) dit à quelle adresse le
/// serveur écoute : 127.0.0.1, pas 0.0.0.0 (toutes les interfaces). Un
/// programme déjà arrêté sur le `todo!()` de l'étape 2 n'y figure plus :
/// rien à juger. `indice` dit pourquoi, pour ce programme-là.
pub(crate) fn ecoute_sur_la_boucle_locale(
    etape: &Etape,
    programme: &Programme,
    port: u16,
    indice: &str,
) -> Result<(), Diagnostic> {
    match table_des_sockets::tcp_en_ecoute(port) {
        Reponse::Adresses(adresses) if !adresses.iter().all(|a| a.is_loopback()) => {
            let liste: Vec<String> = adresses.iter().map(|a| a.to_string()).collect();
            Err(etape
                .echec_de(
                    programme,
                    format!(
                        "Le {} écoute sur le port {port}, mais à l'adresse {} (table des \
                         sockets, /proc/net/tcp) : toutes les interfaces de la machine, pas \
                         seulement la boucle locale.",
                        programme.role,
                        liste.join(", ")
                    ),
                )
                .regle("R1")
                .indice(indice))
        }
        _ => Ok(()),
    }
}

/// Étape 4 : un client commande deux fois, puis « fin » ; le serveur répond
/// à chaque fois, ferme après « fin », note l'arrivée et le départ, et sert
/// encore le client suivant.
pub fn serveur_4_un_client(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "un client, de l'arrivée au départ");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut client = bar.entrer(&etape, "client")?;
    for commande in ["Je veux une bière ^^", "Un café crème, s'il vous plaît"] {
        bar.commander(&etape, &mut client, commande).map_err(|d| {
            bar.regle(d, "R4").indice(
                "chaque ligne reçue est une commande : répondez « vous m'avez demandé : \
                 COMMANDE bien reçu 5 / 5 » suivi de « \\n », sur la même connexion.",
            )
        })?;
    }
    etape
        .lignes_affichees(
            &bar.programme,
            &[&arrivee(client.adresse)],
            "le veilleur note chaque client accepté : « Client connecté : IP:PORT », avec \
             l'adresse rendue par accept().",
        )
        .map_err(|d| bar.regle(d, "R3"))?;
    // « finale » commence par « fin » sans être « fin » : une commande
    // ordinaire, après laquelle la session continue.
    let indice_prefixe = "seule la ligne « fin » entière termine la session : « finale » \
                          est une commande comme une autre (comparez la ligne, pas son début).";
    for commande in ["finale", "Un dernier verre"] {
        bar.commander(&etape, &mut client, commande)
            .map_err(|d| bar.regle(d, "R5").indice(indice_prefixe))?;
    }
    bar.dire_fin(&etape, &mut client)?;
    etape
        .lignes_affichees(
            &bar.programme,
            &[&depart(client.adresse)],
            "à la fin de chaque session, l'exécutant note le départ : « Client parti : IP:PORT ».",
        )
        .map_err(|d| bar.regle(d, "R3"))?;
    bar.sert_encore(&etape, "le départ d'un client")
        .map_err(|d| bar.regle(d, "R7"))
}

// ─── Étapes 2 et 3 : plusieurs clients en même temps ───────────────────────

/// Le silence d'un client alors qu'un autre est servi : serveur itératif
/// (il n'a même pas accepté ce client) ou exécutants qui s'attendent (il
/// l'a accepté, mais ne le sert pas) ? Le journal du serveur le dit.
pub(super) fn servi_en_meme_temps(
    bar: &mut Bar,
    etape: &Etape,
    qui: &mut Habitue,
    commande: &str,
    rang: usize,
    situation: &str,
) -> Result<(), Diagnostic> {
    bar.envoyer(etape, qui, format!("{commande}\n").as_bytes())?;
    let resultat = bar.reponse(etape, qui, commande, SILENCE);
    resultat.map_err(|mut d| {
        if d.explication != SILENCE {
            return d;
        }
        let accepte = bar
            .programme
            .attendre_lignes(&[&arrivee(qui.adresse)], Duration::from_millis(100))
            .is_ok();
        let delai = DELAI_REPONSE.as_secs();
        if accepte {
            d.explication = format!(
                "Le serveur a accepté le {} (« {} » dans son journal), mais ne lui a pas \
                 répondu en {delai} s, {situation}.\nSes exécutants ne travaillent \
                 pas en même temps : chacun attend que le précédent ait fini sa session.",
                qui.nom,
                arrivee(qui.adresse)
            );
            bar.regle(d, "R7").indice(
                "un verrou (Mutex) gardé pendant toute la session sert les clients chacun \
                 son tour : ne le prenez que le temps de lire ou modifier la donnée \
                 partagée, puis lâchez-le.",
            )
        } else {
            let qui_attend = if rang == 1 {
                "le deuxième client attend que le premier parte".to_string()
            } else {
                format!("le client n°{rang} attend que les précédents partent")
            };
            d.explication = format!(
                "Le {} n'a reçu aucune réponse en {delai} s, {situation}, et le \
                 serveur ne l'a même pas accepté (aucun « {} » dans son journal) : \
                 {qui_attend}.\nC'est un serveur itératif : il ne rappelle accept() qu'après \
                 la fin de la session en cours.",
                qui.nom,
                arrivee(qui.adresse)
            );
            bar.regle(d, "R7").indice(
                "après accept(), confiez la socket de service à un exécutant \
                 (thread::spawn(move || …)) et retournez aussitôt dans accept() : c'est le \
                 rôle du veilleur.",
            )
        }
    })
}

/// Étape 4 : vingt clients entrent l'un après l'autre, sans partir ; chacun
/// commande dès son arrivée, puis tous commandent ensemble, puis chacun dit
/// « fin ». Chaque réponse doit venir sans attendre le départ des autres.
pub fn serveur_4_vingt_clients(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_4_vingt_clients_controle(binaire).map_err(|d| enfreint(d, "R7"))
}

fn serveur_4_vingt_clients_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "vingt clients à la fois");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut clients = Vec::new();
    for rang in 1..=VINGT {
        let mut client = bar.entrer(&etape, format!("client n°{rang}"))?;
        let situation = match rang {
            1 => "alors qu'il est seul".to_string(),
            2 => "alors que le client n°1, arrivé avant lui, est encore connecté".to_string(),
            _ => format!(
                "alors que les {} clients arrivés avant lui sont encore connectés",
                rang - 1
            ),
        };
        let commande = format!("un demi pour le client n°{rang}");
        servi_en_meme_temps(
            &mut bar,
            &etape,
            &mut client,
            &commande,
            rang - 1,
            &situation,
        )?;
        clients.push(client);
    }
    // Tous commandent, puis tous lisent : les commandes s'entrecroisent.
    for client in &mut clients {
        let commande = format!("une autre tournée pour le {}", client.nom);
        bar.envoyer(&etape, client, format!("{commande}\n").as_bytes())?;
    }
    for client in &mut clients {
        let commande = format!("une autre tournée pour le {}", client.nom);
        let silence = format!(
            "Vingt clients ont commandé ensemble ; le {} n'a reçu aucune réponse en {} s.",
            client.nom,
            DELAI_REPONSE.as_secs()
        );
        bar.reponse(&etape, client, &commande, &silence)?;
    }
    for client in clients.iter_mut().rev() {
        bar.commander(&etape, client, "fin")?;
    }
    Ok(())
}

/// Étape 4 : un premier client entre et se tait ; un second, arrivé après,
/// doit être servi tout de suite, du début à la fin.
pub fn serveur_4_client_silencieux(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_4_client_silencieux_controle(binaire).map_err(|d| enfreint(d, "R7"))
}

fn serveur_4_client_silencieux_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "un client silencieux ne retarde pas les autres");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    // Le premier client est servi une fois avant de se taire : sa session a
    // donc commencé avant que le second entre. Sinon, un serveur qui sert un
    // client à la fois (un verrou gardé toute la session, une tâche tokio
    // lancée en dernier et servie en premier) pourrait servir le second
    // d'abord et passer pour concurrent.
    let mut silencieux = bar.entrer(&etape, "premier client")?;
    bar.commander(&etape, &mut silencieux, "Un café")?;
    let mut second = bar.entrer(&etape, "second client")?;
    let situation = "alors que le premier client, entré avant lui et servi une fois, se tait \
                     sans partir";
    servi_en_meme_temps(&mut bar, &etape, &mut second, "Un kir", 1, situation)?;
    bar.dire_fin(&etape, &mut second)
}

// ─── Étape 4 : la fin de flux sans « fin » ─────────────────────────────────

/// Étape 4 : un client commande, puis ferme son sens d'émission sans dire
/// « fin ». Le serveur doit fermer sans rien ajouter, noter le départ, et
/// continuer.
pub fn serveur_4_fin_de_flux_sans_fin(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "fin de flux sans « fin »");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut client = bar.entrer(&etape, "client")?;
    bar.commander(&etape, &mut client, "Un diabolo menthe")
        .map_err(|d| bar.regle(d, "R4"))?;
    // Un bout de ligne sans « \n », puis la fin du flux : ce bout n'est pas
    // une commande, il n'appelle aucune réponse.
    bar.envoyer(&etape, &mut client, b"Et un dernier ver")?;
    // shutdown(Write) : le serveur lit 0 octet, mais peut encore nous écrire.
    if let Err(e) = client.lecteur.flux().shutdown(Shutdown::Write) {
        return Err(etape.echec(format!(
            "Le correcteur n'a pas pu fermer son sens d'émission : {e}."
        )));
    }
    bar.fermeture(&etape, &mut client).map_err(|d| {
        bar.regle(d, "R6").indice(
            "une lecture qui rend 0 octet est la fin du flux : le client est parti sans \
                 dire « fin ». Ce n'est pas une commande vide, et un bout de ligne sans « \\n » \
                 n'est pas une commande : fermez sans rien répondre.",
        )
    })?;
    etape
        .lignes_affichees(
            &bar.programme,
            &[&depart(client.adresse)],
            "un départ sans « fin » est un départ : notez-le (« Client parti : IP:PORT »).",
        )
        .map_err(|d| bar.regle(d, "R3"))?;
    bar.sert_encore(&etape, "un client parti sans « fin »")
        .map_err(|d| bar.regle(d, "R6"))
}

// ─── Étape 4 : une commande en morceaux, deux commandes collées ────────────

/// Étape 4 : une commande arrive en trois morceaux (l'un coupe un « é » en
/// deux), puis deux commandes arrivent collées. Une réponse par commande
/// entière, ni plus ni moins.
pub fn serveur_4_commande_en_morceaux(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_4_commande_en_morceaux_controle(binaire).map_err(|d| enfreint(d, "R4"))
}

fn serveur_4_commande_en_morceaux_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "commande en morceaux, commandes collées");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut client = bar.entrer(&etape, "client")?;
    let commande = "Un café serré, sans sucre";
    let ligne = format!("{commande}\n");
    // Le deuxième morceau commence au milieu du « é » de « café » (2 octets).
    let coupure = ligne.find('é').map_or(ligne.len() / 2, |i| i + 1);
    let (debut, fin) = ligne.as_bytes().split_at(coupure);
    // Chaque morceau n'est envoyé qu'une fois le précédent lu par le
    // serveur (file de réception vide) : les morceaux ne se recollent pas.
    for morceau in [&debut[..4], &debut[4..], fin] {
        bar.envoyer(&etape, &mut client, morceau)?;
        super::attendre_lecture(bar.port, client.adresse, DELAI_REPONSE);
    }
    let indice_flux = "TCP transporte un flux d'octets : une commande peut arriver en plusieurs \
                       read(), et plusieurs commandes dans un seul. Lisez jusqu'au « \\n » avec \
                       un seul BufReader gardé pour toute la session.";
    bar.reponse(
        &etape,
        &mut client,
        commande,
        "Aucune réponse à une commande arrivée en trois morceaux.",
    )
    .map_err(|d| d.indice(indice_flux))?;
    bar.envoyer(&etape, &mut client, b"Une limonade\nUn chocolat chaud\n")?;
    for commande in ["Une limonade", "Un chocolat chaud"] {
        let silence = format!(
            "Deux commandes collées ont été envoyées d'un bloc ; pas de réponse à « {commande} »."
        );
        bar.reponse(&etape, &mut client, commande, &silence)
            .map_err(|d| d.indice(indice_flux))?;
    }
    // `nc -C` termine ses lignes par « \r\n » : le « \r » n'est pas dans la
    // commande.
    bar.envoyer(&etape, &mut client, "Un thé à la menthe\r\n".as_bytes())?;
    bar.reponse(
        &etape,
        &mut client,
        "Un thé à la menthe",
        "Aucune réponse à une commande terminée par « \\r\\n ».",
    )
    .map_err(|d| {
        d.indice("un « \\r » juste avant le « \\n » (nc -C, telnet) est retiré avec lui.")
    })?;
    bar.dire_fin(&etape, &mut client)
}

// ─── Étape 4 : un client fautif ne gêne que lui-même ───────────────────────

/// Un client fautif est arrivé après un client sage : le fautif fait son
/// erreur (`faute`), le serveur doit fermer sa connexion, puis servir le
/// sage, et le suivant.
pub(super) fn client_fautif(
    binaire: &Path,
    etape: Etape,
    quoi: &str,
    faute: impl FnOnce(&mut Bar, &Etape, Habitue) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut sage = bar.entrer(&etape, "client sage")?;
    bar.commander(&etape, &mut sage, "Un jus d'orange")?;
    let mut fautif = bar.entrer(&etape, "client fautif")?;
    let situation = "alors que le client sage, entré avant lui, est encore connecté";
    servi_en_meme_temps(&mut bar, &etape, &mut fautif, "Un café", 1, situation)?;
    faute(&mut bar, &etape, fautif)?;
    let indice = format!(
        "{quoi} fait échouer la lecture de SA session : l'exécutant affiche l'erreur et se \
         termine, le programme continue. Pas de process::exit ni de « ? » qui remonte \
         jusqu'à main depuis un exécutant."
    );
    // Un serveur arrêté après la faute d'un seul client : cette faute a
    // fermé toutes les connexions, pas seulement la sienne (R8).
    let arret_general = |bar: &mut Bar, d: Diagnostic| {
        let d = d.indice(indice.clone());
        if bar.arrete() { bar.regle(d, "R8") } else { d }
    };
    bar.commander(&etape, &mut sage, "Un deuxième jus d'orange")
        .map_err(|d| arret_general(&mut bar, d))?;
    bar.sert_encore(&etape, quoi)
        .map_err(|d| arret_general(&mut bar, d))?;
    // Survivre ne suffit pas : un exécutant qui panique meurt avec une trace
    // en anglais, là où le chapitre demande une erreur claire, en français.
    // La trace de la panique arrive par un tube lu par un autre fil : on
    // l'attend (brièvement) au lieu de lire la sortie d'erreur une fois.
    if bar
        .programme
        .attendre_erreur("panicked", Duration::from_millis(500))
    {
        return Err(etape
            .echec_de(
                &bar.programme,
                format!(
                    "Le serveur sert encore, mais {quoi} a fait paniquer l'exécutant de ce \
                     client (voir sa sortie d'erreur ci-dessous)."
                ),
            )
            .indice(indice));
    }
    Ok(())
}

/// Après une commande fautive, le serveur ferme la connexion sans répondre
/// (un RST, si des octets restaient à lire, est une fermeture aussi).
pub(super) fn ferme_sans_repondre(
    bar: &mut Bar,
    etape: &Etape,
    qui: &mut Habitue,
    faute: &str,
) -> Result<(), Diagnostic> {
    let delai = DELAI_REPONSE.as_secs();
    match qui.lecteur.fin(DELAI_REPONSE) {
        Ok(reste) if reste.is_empty() => Ok(()),
        Err(LectureIncomplete {
            raison: Raison::Erreur(e),
            recu,
        }) if e.kind() == std::io::ErrorKind::ConnectionReset && recu.is_empty() => Ok(()),
        resultat => {
            let ouverte = matches!(
                &resultat,
                Err(LectureIncomplete { raison: Raison::Delai, recu }) if recu.is_empty()
            );
            let recu = match resultat {
                Ok(recu) => recu,
                Err(incomplete) => incomplete.recu,
            };
            let explication = format!(
                "Après {faute}, le serveur devait fermer la connexion de ce client sans \
                 répondre ; en {delai} s, il ne l'a pas fait."
            );
            let mut d = etape.echec_de(&bar.programme, explication);
            // Un écart n'a de sens que si le serveur a répondu quelque chose.
            if !recu.is_empty() {
                d = d.ecart(Vec::new(), recu);
            }
            let d = bar.constat(d, &qui.nom);
            Err(bar.socket_gardee(d, qui, ouverte))
        }
    }
}

/// Étape 4 : un client part brutalement (RST) au milieu d'une commande.
pub fn serveur_4_reinitialisation(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_4_reinitialisation_controle(binaire).map_err(|d| enfreint(d, "R8"))
}

fn serveur_4_reinitialisation_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "un client part brutalement (RST)");
    client_fautif(
        binaire,
        etape,
        "une connexion réinitialisée",
        |bar, etape, mut fautif| {
            bar.envoyer(etape, &mut fautif, b"Je voudr")?;
            // Laisser au serveur le temps de lire ce début de commande.
            thread::sleep(PAUSE_ENTRE_MORCEAUX);
            partir_brutalement(fautif);
            thread::sleep(PAUSE_ENTRE_MORCEAUX);
            Ok(())
        },
    )
}

/// Étape 4 : une commande qui n'est pas de l'UTF-8 (un « è » en Latin-1).
pub fn serveur_4_utf8_invalide(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_4_utf8_invalide_controle(binaire).map_err(|d| enfreint(d, "R8"))
}

fn serveur_4_utf8_invalide_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "une commande qui n'est pas de l'UTF-8");
    client_fautif(
        binaire,
        etape,
        "une commande illisible",
        |bar, etape, mut fautif| {
            bar.envoyer(etape, &mut fautif, b"Une bi\xe8re\n")?;
            ferme_sans_repondre(
                bar,
                etape,
                &mut fautif,
                "une commande qui n'est pas de l'UTF-8",
            )
        },
    )
}

/// Étape 4 : une « commande » d'un mégaoctet, sans `\n`.
pub fn serveur_4_ligne_trop_longue(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_4_ligne_trop_longue_controle(binaire).map_err(|d| enfreint(d, "R9"))
}

fn serveur_4_ligne_trop_longue_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "une ligne d'un mégaoctet");
    client_fautif(
        binaire,
        etape,
        "une ligne trop longue",
        |bar, etape, mut fautif| {
            let mut ecrivain = fautif.lecteur.flux().try_clone().map_err(|e| {
                etape.echec(format!(
                    "Le correcteur n'a pas pu dupliquer sa socket : {e}."
                ))
            })?;
            // L'écriture a lieu dans un fil à part, bornée : le serveur peut
            // fermer au milieu (écriture en échec) ou ne plus lire (délai).
            let envoi = thread::spawn(move || {
                let _ = ecrivain.set_write_timeout(Some(DELAI_REPONSE));
                let _ = ecrivain.write_all(&vec![b'a'; LIGNE_DEMESUREE]);
            });
            let resultat = ferme_sans_repondre(
                bar,
                etape,
                &mut fautif,
                "un mégaoctet sans « \\n » (au-delà de 1024 octets, ce n'est plus une commande)",
            )
            .map_err(|d| {
                d.indice(
                    "bornez la longueur d'une ligne (Read::take avant read_until) : un client ne \
                 doit pas pouvoir remplir la mémoire du serveur.",
                )
            });
            let _ = envoi.join();
            resultat
        },
    )
}

// ─── Étape 4 : les sockets de service sont fermées ─────────────────────────

/// Le nombre de descripteurs ouverts par le processus `pid`.
fn descripteurs(pid: u32) -> Option<usize> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .ok()
        .map(|entrees| entrees.count())
}

/// Une session courte : entrer, « fin », lire la réponse, partir (sans
/// attendre que le serveur ferme : c'est ce qu'on mesure ensuite).
fn session_courte(bar: &mut Bar, etape: &Etape, nom: String) -> Result<(), Diagnostic> {
    let mut client = bar.entrer(etape, nom)?;
    bar.commander(etape, &mut client, "fin")
}

/// Étape 4 : après cent sessions terminées, le serveur a autant de
/// descripteurs ouverts qu'avant (à quelques-uns près).
pub fn serveur_4_descripteurs(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_4_descripteurs_controle(binaire).map_err(|d| enfreint(d, "R10"))
}

fn serveur_4_descripteurs_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "cent sessions, aucune socket oubliée");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    session_courte(&mut bar, &etape, "premier client".into())?;
    // Laisser la première session se terminer côté serveur.
    thread::sleep(PAUSE_ENTRE_MORCEAUX);
    let pid = bar.programme.pid();
    let lire = || {
        descripteurs(pid).ok_or_else(|| etape.echec(format!("Impossible de lire /proc/{pid}/fd.")))
    };
    let avant = lire()?;
    for rang in 1..=SESSIONS {
        session_courte(&mut bar, &etape, format!("client n°{rang}"))?;
    }
    // Les exécutants finissent un peu après leur réponse : on leur laisse le temps.
    let limite = Instant::now() + DELAI_REPONSE;
    let mut apres = lire()?;
    while apres > avant + DESCRIPTEURS_EN_TROP && Instant::now() < limite {
        thread::sleep(PAUSE_ESSAI);
        apres = lire()?;
    }
    if apres > avant + DESCRIPTEURS_EN_TROP {
        return Err(etape
            .echec_de(
                &bar.programme,
                format!(
                    "Après {SESSIONS} sessions terminées, le serveur a {apres} descripteurs \
                     ouverts (/proc/{pid}/fd), contre {avant} avant : ses sockets de service \
                     ne sont pas fermées."
                ),
            )
            .indice(INDICE_COPIE)
            .indice(
                "un serveur qui oublie ses descripteurs finit par ne plus pouvoir accepter \
                 personne : « Too many open files » (EMFILE).",
            ));
    }
    Ok(())
}

// ─── Étape 5 : la limite de clients ────────────────────────────────────────

/// Étape 5 : avec `--max-clients 3`, le quatrième client reçoit « bar
/// complet » et est fermé ; quand un client part, une place se libère.
pub fn serveur_5_limite_de_clients(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_5_limite_de_clients_controle(binaire).map_err(|d| enfreint(d, "R11"))
}

fn serveur_5_limite_de_clients_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(5, "--max-clients : bar complet");
    let limite = LIMITE.to_string();
    let mut bar = Bar::ouvrir(&etape, binaire, &["--max-clients", &limite])?;
    let mut presents = Vec::new();
    for rang in 1..=LIMITE {
        let mut client = bar.entrer(&etape, format!("client n°{rang}"))?;
        let situation = match rang {
            1 => "alors qu'il est seul".to_string(),
            _ => format!(
                "alors que les {} clients arrivés avant lui sont encore connectés",
                rang - 1
            ),
        };
        servi_en_meme_temps(
            &mut bar,
            &etape,
            &mut client,
            "Une pression",
            rang - 1,
            &situation,
        )
        .map_err(|d| {
            d.indice(format!(
                "--max-clients {LIMITE} : les {LIMITE} premiers clients sont servis."
            ))
        })?;
        presents.push(client);
    }
    let mut refuse = bar.entrer(&etape, format!("client n°{}", LIMITE + 1))?;
    let silence = format!(
        "Le client n°{} n'a rien reçu en {} s, alors que {LIMITE} clients sont déjà servis \
         et que le serveur a été lancé avec --max-clients {LIMITE}.",
        LIMITE + 1,
        DELAI_REPONSE.as_secs()
    );
    let indice_complet = "quand N clients sont déjà servis, le veilleur envoie « bar complet, \
                          revenez plus tard » au nouveau venu et ferme sa socket, sans créer \
                          d'exécutant. Comptez les clients servis dans un compteur partagé \
                          (Arc<Mutex<usize>>).";
    etape
        .lire_ligne(
            &mut refuse.lecteur,
            &bar.programme,
            COMPLET.as_bytes(),
            &silence,
        )
        .map_err(|d| d.indice(indice_complet))?;
    etape
        .fin_de_flux(&mut refuse.lecteur, &bar.programme)
        .map_err(|d| d.indice(indice_complet))?;
    // Un client part : sa place doit se libérer (peu après sa fermeture).
    let mut premier = presents.remove(0);
    bar.dire_fin(&etape, &mut premier)?;
    place_liberee(&mut bar, &etape)
}

/// Un nouveau client finit par être servi : l'exécutant du client parti
/// rend sa place juste après avoir fermé la connexion, on réessaie donc
/// pendant un court délai.
fn place_liberee(bar: &mut Bar, etape: &Etape) -> Result<(), Diagnostic> {
    let limite = Instant::now() + DELAI_REPONSE;
    loop {
        let mut client = bar.entrer(etape, "nouveau client")?;
        bar.envoyer(etape, &mut client, b"Un panach\xc3\xa9\n")?;
        match client.lecteur.ligne(DELAI_REPONSE) {
            Ok(ligne) if ligne == COMPLET.as_bytes() && Instant::now() < limite => {
                thread::sleep(PAUSE_ESSAI);
            }
            Ok(ligne) if ligne == reponse("Un panaché").as_bytes() => return Ok(()),
            resultat => {
                let recu = match resultat {
                    Ok(ligne) => ligne,
                    Err(incomplete) => incomplete.recu,
                };
                let d = etape
                    .echec_de(
                        &bar.programme,
                        format!(
                            "Un des {LIMITE} clients est parti : sa place devait se libérer, \
                             et le nouveau client être servi."
                        ),
                    )
                    .ecart(reponse("Un panaché"), recu)
                    .indice("rendez la place quand l'exécutant se termine (un Drop, ou un décompte à la fin du thread).");
                return Err(bar.constat(d, "nouveau client"));
            }
        }
    }
}
