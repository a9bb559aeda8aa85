//! TP11 — UDP, mode symétrique.
//!
//! Le scénario (chapitre « TP11 » du livre) : `pair PORT_LOCAL HÔTE_DISTANT
//! PORT_DISTANT` attache une socket UDP à PORT_LOCAL ; chaque ligne tapée
//! part en un datagramme vers le pair ; chaque datagramme **du pair**
//! s'affiche `<< MESSAGE` dès son arrivée ; les autres expéditeurs sont
//! signalés sur la sortie d'erreur ; « fin », tapée ou reçue, et la fin de
//! l'entrée standard terminent le programme avec le code 0.
//!
//! Le correcteur joue le pair depuis sa propre socket attachée, tape sur
//! l'entrée standard du programme, envoie un datagramme d'intrus, et fait
//! enfin parler deux exemplaires du programme entre eux.

use std::net::{IpAddr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::caracteres_de_controle::{self as controle, TEXTE_PIEGE};
use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_DEMARRAGE, DELAI_REPONSE, arrete_apres_l_etape, statut_en_clair};
use crate::indices;
use crate::processus::Programme;
use crate::reseau::{BOUCLE_LOCALE, Injoignable};
use crate::udp::{self, Attente, SocketUdp};

mod ordre_des_adresses;
pub use ordre_des_adresses::pair_2_ordre_des_adresses;

const TP: &str = "TP11";

/// Deux lignes tapées : l'une avec des caractères hors ASCII, l'autre avec
/// des espaces en tête et en fin, qui doivent voyager telles quelles.
const LIGNES_TAPEES: [&str; 2] = [
    "Bonjour, pair ! Je parle le premier.",
    "  Ça marche même sans réponse : UDP n'attend personne.  ",
];
/// Ce que le correcteur envoie pendant que le clavier se tait.
const MESSAGE_DU_PAIR: &str = "Message du pair, arrivé pendant que personne ne tape";
/// Ce qu'envoie le pair avant que l'intrus ne parle.
const MESSAGE_AVANT_L_INTRUS: &str = "Le pair parle d'abord, l'intrus ensuite";
/// Ce qu'envoie l'intrus, depuis un autre port de la même machine.
const MESSAGE_D_INTRUS: &str = "Je suis un intrus, ne m'affichez pas";
/// Le nom donné pour HÔTE_DISTANT à l'étape 1 : il se résout en 127.0.0.1
/// (et parfois d'abord en ::1).
const HOTE_PAR_SON_NOM: &str = "localhost";
/// La ligne tapée à l'étape 1.
const LIGNE_VERS_LE_NOM: &str = "Bonjour, pair trouvé par son nom";
/// L'adresse IPv6 donnée pour HÔTE_DISTANT à l'étape 2 bis.
const HOTE_IPV6: &str = "::1";
/// La ligne tapée à l'étape 2 bis.
const LIGNE_VERS_IPV6: &str = "Bonjour, pair joint en IPv6";
/// Tranche d'attente sur chacune des sockets du correcteur, tour à tour.
const TRANCHE_PAR_SOCKET: Duration = Duration::from_millis(20);
/// La ligne qui termine la conversation.
const FIN: &str = "fin";

/// Une étape du TP11. (Le type commun `etape::Etape` n'a pas de côté
/// « pair » : ce TP n'a ni client ni serveur.)
#[derive(Debug, Clone, Copy)]
struct Etape {
    cote: &'static str,
    numero: u8,
    nom: &'static str,
}

impl Etape {
    fn echec(&self, explication: impl Into<String>) -> Diagnostic {
        Diagnostic::nouveau(
            format!(
                "{TP} · {} · étape {} — {}",
                self.cote, self.numero, self.nom
            ),
            explication,
        )
    }

    /// Un échec qui montre ce que le programme a écrit, et la piste que sa
    /// sortie d'erreur suggère (un `todo!()`, une panique…).
    fn echec_de(&self, programme: &Programme, explication: impl Into<String>) -> Diagnostic {
        let mut diagnostic = self.echec(explication).sortie(programme.dernieres_lignes());
        if let Some(indice) = indices::dans_les_erreurs(&programme.erreurs()) {
            diagnostic = diagnostic.indice(indice);
        }
        diagnostic
    }
}

fn etape(numero: u8, nom: &'static str) -> Etape {
    Etape {
        cote: "pair",
        numero,
        nom,
    }
}

// ─── Lancer un pair, lui parler, l'écouter ─────────────────────────────────

/// Lance `binaire pair PORT_LOCAL 127.0.0.1 PORT_DISTANT`, branche son entrée
/// standard et attend que sa socket soit attachée à PORT_LOCAL : avant, un
/// datagramme qu'on lui enverrait serait perdu.
fn lancer_pair(
    etape: &Etape,
    binaire: &Path,
    role: &str,
    port_local: u16,
    port_distant: u16,
) -> Result<Programme, Diagnostic> {
    let mut programme = demarrer(etape, binaire, role, port_local, port_distant)?;
    match udp::attendre_attache(port_local, &mut programme, DELAI_DEMARRAGE) {
        Ok(()) => Ok(programme),
        Err(raison) => Err(pas_attache(etape, &programme, raison, port_local)),
    }
}

/// Lance le pair, sans rien attendre.
fn demarrer(
    etape: &Etape,
    binaire: &Path,
    role: &str,
    port_local: u16,
    port_distant: u16,
) -> Result<Programme, Diagnostic> {
    demarrer_vers(etape, binaire, role, port_local, "127.0.0.1", port_distant)
}

/// Lance `binaire pair PORT_LOCAL HÔTE PORT_DISTANT`, sans rien attendre.
fn demarrer_vers(
    etape: &Etape,
    binaire: &Path,
    role: &str,
    port_local: u16,
    hote: &str,
    port_distant: u16,
) -> Result<Programme, Diagnostic> {
    let (local, distant) = (port_local.to_string(), port_distant.to_string());
    let args = ["pair", local.as_str(), hote, distant.as_str()];
    Programme::lancer_avec_entree(binaire, role, &args).map_err(|e| {
        etape
            .echec(format!("Impossible de lancer {} : {e}.", binaire.display()))
            .indice("le programme a-t-il bien été compilé ? (cargo build)")
    })
}

/// Le diagnostic d'un pair dont la socket n'est jamais apparue sur PORT_LOCAL.
fn pas_attache(
    etape: &Etape,
    programme: &Programme,
    raison: Injoignable,
    port_local: u16,
) -> Diagnostic {
    let role = &programme.role;
    match raison {
        Injoignable::Arrete(statut) => etape.echec_de(
            programme,
            format!(
                "Le {role} s'est arrêté ({}) dès son démarrage, avant que le correcteur ait pu lui \
                 parler sur le port {port_local}.",
                statut_en_clair(statut)
            ),
        ),
        Injoignable::Delai(_) => etape
            .echec_de(
                programme,
                format!(
                    "Aucune socket UDP n'est attachée au port local {port_local}, {} s après le \
                     lancement du {role}.",
                    DELAI_DEMARRAGE.as_secs()
                ),
            )
            .indice(format!(
                "dès le début, attachez la socket au port {port_local} de la boucle locale de la \
                 famille du pair (127.0.0.1:{port_local} pour un pair IPv4, [::1]:{port_local} \
                 pour un pair IPv6) : c'est là que le pair envoie ses datagrammes. Sans bind, \
                 ou avec le port 0, le noyau choisit un port éphémère, et ce port, le pair ne le \
                 connaît pas."
            ))
            .enfreint("R1"),
    }
}

/// Le pair de l'étudiant face au correcteur, qui joue l'autre pair.
struct Conversation {
    pair: Programme,
    correspondant: SocketUdp,
    port_local: u16,
}

impl Conversation {
    /// Ouvre la socket du correcteur, puis lance le pair de l'étudiant vers elle.
    fn demarrer(etape: &Etape, binaire: &Path) -> Result<Conversation, Diagnostic> {
        let correspondant = socket_du_correcteur(etape)?;
        let port_local = udp::port_libre();
        let pair = lancer_pair(
            etape,
            binaire,
            "programme",
            port_local,
            correspondant.port(),
        )?;
        Ok(Conversation {
            pair,
            correspondant,
            port_local,
        })
    }

    fn programme(&mut self) -> &mut Programme {
        &mut self.pair
    }

    /// L'adresse où le pair de l'étudiant attend ses datagrammes.
    fn adresse_locale(&self) -> SocketAddr {
        SocketAddr::from((BOUCLE_LOCALE, self.port_local))
    }

    /// Le correcteur envoie un datagramme au pair, depuis sa socket.
    fn envoyer(&self, etape: &Etape, message: &str) -> Result<(), Diagnostic> {
        self.correspondant
            .envoyer(message.as_bytes(), self.adresse_locale())
            .map_err(|e| {
                etape.echec(format!(
                    "Le correcteur n'a pas pu envoyer « {message} » : {e}."
                ))
            })
    }

    /// Tape `ligne`, puis attend le datagramme qu'elle doit produire : parti
    /// du port local, il contient la ligne exacte, sans fin de ligne.
    fn taper_et_recevoir(&mut self, etape: &Etape, ligne: &str) -> Result<(), Diagnostic> {
        taper(etape, &mut self.pair, ligne)?;
        let port_local = self.port_local;
        let (octets, expediteur) = match self.correspondant.recevoir(&mut self.pair, DELAI_REPONSE)
        {
            Ok(recu) => recu,
            Err(raison) => return Err(sans_datagramme(etape, self.programme(), ligne, raison)),
        };
        let programme = self.programme();
        if expediteur.port() != port_local {
            return Err(etape
                .echec_de(
                    programme,
                    format!(
                        "Le datagramme de « {ligne} » est arrivé, mais il est parti du port {}, \
                         pas du port local {port_local} : l'autre pair, qui ne connaît que \
                         {port_local}, le prendrait pour un intrus.",
                        expediteur.port()
                    ),
                )
                .ecart(
                    format!("{BOUCLE_LOCALE}:{port_local}"),
                    expediteur.to_string(),
                )
                .indice(
                    "envoyez avec la socket attachée au port local : une seule socket sert à \
                     recevoir et à envoyer. Une socket sans bind part d'un port éphémère choisi \
                     par le noyau.",
                )
                .regle("R2"));
        }
        if octets != ligne.as_bytes() {
            let mut diagnostic = etape
                .echec_de(
                    programme,
                    format!("Le datagramme ne contient pas exactement la ligne tapée « {ligne} »."),
                )
                .ecart(ligne, octets.clone());
            if octets.strip_suffix(b"\n") == Some(ligne.as_bytes()) {
                diagnostic = diagnostic.indice(
                    "retirez la fin de ligne avant d'envoyer : UDP garde les frontières des \
                     messages (un envoi, un datagramme), aucun délimiteur n'est nécessaire.",
                );
            }
            return Err(diagnostic
                .indice(
                    "un datagramme par ligne, qui contient la ligne telle qu'elle a été tapée \
                     (espaces compris), encodée en UTF-8, sans son « \\n ».",
                )
                .regle("R3"));
        }
        Ok(())
    }
}

fn socket_du_correcteur(etape: &Etape) -> Result<SocketUdp, Diagnostic> {
    SocketUdp::ouvrir().map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu ouvrir sa socket UDP : {e}."
        ))
    })
}

/// Tape une ligne sur l'entrée standard du programme.
fn taper(etape: &Etape, programme: &mut Programme, ligne: &str) -> Result<(), Diagnostic> {
    programme.taper(ligne).map_err(|e| {
        let role = programme.role.clone();
        etape.echec_de(
            programme,
            format!(
                "Le correcteur n'a pas pu taper « {ligne} » sur l'entrée standard du {role} : {e}."
            ),
        )
    })
}

/// Le diagnostic d'un datagramme attendu qui n'est pas venu.
fn sans_datagramme(
    etape: &Etape,
    programme: &mut Programme,
    ligne: &str,
    raison: Attente,
) -> Diagnostic {
    let role = programme.role.clone();
    match raison {
        Attente::Arrete(statut) => etape.echec_de(
            programme,
            format!(
                "Le {role} s'est arrêté ({}) après avoir lu « {ligne} », sans rien envoyer.",
                statut_en_clair(statut)
            ),
        ),
        Attente::Delai => etape
            .echec_de(
                programme,
                format!(
                    "Le correcteur a tapé « {ligne} » : aucun datagramme n'est arrivé dans les {} s.",
                    DELAI_REPONSE.as_secs()
                ),
            )
            .indice(
                "chaque ligne lue sur l'entrée standard part aussitôt vers HÔTE_DISTANT:PORT_DISTANT \
                 (send_to), sans attendre de message du pair : en UDP, on peut parler le premier.",
            ),
        Attente::Erreur(e) => {
            let diagnostic = etape.echec_de(
                programme,
                format!("Erreur en attendant le datagramme de « {ligne} » : {e}."),
            );
            match indices::pour_erreur(&e) {
                Some(indice) => diagnostic.indice(indice),
                None => diagnostic,
            }
        }
    }
}

/// Attend que le programme affiche `<< message`, seul sur sa ligne ;
/// `silence` explique ce que veut dire l'absence de toute trace du message.
fn affiche(
    etape: &Etape,
    programme: &mut Programme,
    message: &str,
    silence: &str,
) -> Result<(), Diagnostic> {
    let attendue = format!("<< {message}");
    let Err((_, recue)) = programme.attendre_lignes(&[&attendue], DELAI_REPONSE) else {
        return Ok(());
    };
    let role = programme.role.clone();
    let arret = programme
        .statut()
        .map(|s| format!(" Il s'est arrêté ({}).", statut_en_clair(s)))
        .unwrap_or_default();
    match recue.filter(|l| l.contains(message)) {
        Some(recue) => Err(etape
            .echec_de(
                programme,
                format!("Le {role} a bien reçu « {message} », mais ne l'affiche pas sous la forme attendue.{arret}"),
            )
            .ecart(attendue, recue)
            .indice("« << », une espace, puis le texte du datagramme, seul sur sa ligne (println!).")),
        None => Err(etape.echec_de(
            programme,
            format!(
                "Le {role} n'a pas affiché « {attendue} » dans les {} s. {silence}{arret}",
                DELAI_REPONSE.as_secs()
            ),
        )),
    }
}

/// Attend la fin du programme avec le code 0 ; `circonstance` dit ce qui
/// vient de se passer (« après avoir lu « fin » … »).
fn fin_normale(
    etape: &Etape,
    programme: &mut Programme,
    circonstance: &str,
    indice: &str,
) -> Result<(), Diagnostic> {
    let role = programme.role.clone();
    match programme.attendre_fin(DELAI_REPONSE) {
        Some(statut) if statut.success() => Ok(()),
        Some(statut) if programme.attendre_erreur("panicked", DELAI_REPONSE) => Err(etape
            .echec_de(
                programme,
                format!(
                    "Le {role} a paniqué ({}) {circonstance}, au lieu de se terminer avec le code 0.",
                    statut_en_clair(statut)
                ),
            )
            .indice(indice)),
        Some(statut) => Err(etape
            .echec_de(
                programme,
                format!(
                    "Le {role} s'est terminé en échec ({}) {circonstance}, au lieu du code 0.",
                    statut_en_clair(statut)
                ),
            )
            .indice(indice)),
        None => Err(etape
            .echec_de(
                programme,
                format!(
                    "Le {role} tourne encore {} s {circonstance}.",
                    DELAI_REPONSE.as_secs()
                ),
            )
            .indice(indice)),
    }
}

// ─── Les étapes ────────────────────────────────────────────────────────────

/// Étape 1 : HÔTE_DISTANT peut être un nom, `localhost` : le pair le résout.
/// La preuve : une ligne tapée arrive au correcteur, qui écoute sur chaque
/// boucle locale que ce nom donne ici (`127.0.0.1`, et `::1` si le nom le
/// donne), au même port. Quelle adresse le pair garde, quand il y en a
/// plusieurs, n'est pas jugé ici : c'est la règle de l'ordre, que le
/// correcteur ne peut pas provoquer (il ne choisit pas ce que rend la
/// résolution de noms de la machine).
///
/// Le programme d'un étudiant qui vient de finir l'étape 1 ne sait pas
/// encore attacher sa socket : quand le `todo!()` d'une étape suivante s'est
/// déclenché, l'étape est acquise.
pub fn pair_1_nom_du_pair(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(1, "un nom d'hôte pour le pair (localhost)");
    let correspondants = sockets_pour_le_nom(&etape, HOTE_PAR_SON_NOM)?;
    let port_distant = correspondants[0].port();
    // Le pair choisit sa famille d'après ce que donne le nom : son port doit
    // être libre dans l'une comme dans l'autre.
    let port_local = port_libre_en_ipv4_et_en_ipv6();
    let mut programme = demarrer_vers(
        &etape,
        binaire,
        "programme",
        port_local,
        HOTE_PAR_SON_NOM,
        port_distant,
    )?;
    let attache = udp::attendre_attache(port_local, &mut programme, DELAI_DEMARRAGE);
    let envoi = match attache {
        Ok(()) => taper(&etape, &mut programme, LIGNE_VERS_LE_NOM)
            .map_err(|_| Attente::Delai)
            .and_then(|()| recevoir_sur_l_une(&correspondants, &mut programme, DELAI_REPONSE)),
        Err(_) => Err(Attente::Delai),
    };
    if envoi.is_ok() || arrete_plus_loin(&mut programme, etape.numero) {
        return Ok(());
    }
    if let Err(Injoignable::Delai(_)) = attache {
        // Aucune socket au port local : le nom a pu être résolu ou non, le
        // bind n'a pas eu lieu au port donné (R1).
        return Err(pas_attache(
            &etape,
            &programme,
            Injoignable::Delai(None),
            port_local,
        ));
    }
    let constat = match attache {
        Err(Injoignable::Arrete(statut)) => format!(
            "le programme s'est arrêté ({}) avant d'attacher sa socket au port local {port_local}.",
            statut_en_clair(statut)
        ),
        Err(Injoignable::Delai(_)) => format!(
            "aucune socket UDP n'est attachée au port local {port_local} après {} s.",
            DELAI_DEMARRAGE.as_secs()
        ),
        Ok(()) => {
            let ecoutes: Vec<String> = correspondants
                .iter()
                .map(|c| c.adresse().to_string())
                .collect();
            let arret = programme
                .attendre_fin(Duration::ZERO)
                .map(|s| format!(" Il s'est arrêté ({}).", statut_en_clair(s)))
                .unwrap_or_default();
            format!(
                "le programme n'a rien envoyé au pair ({}) après la ligne tapée « \
                 {LIGNE_VERS_LE_NOM} ».{arret}",
                ecoutes.join(" ou ")
            )
        }
    };
    let diagnostic = etape.echec_de(
        &programme,
        format!(
            "Lancé avec HÔTE_DISTANT = « {HOTE_PAR_SON_NOM} » (un nom, pas une adresse), \
             {constat}"
        ),
    );
    if sur_un_todo(&programme) {
        // Un todo!() : l'indice du diagnostic suffit, aucune règle n'est enfreinte.
        return Err(diagnostic);
    }
    Err(diagnostic
        .indice(
            "HÔTE_DISTANT est un nom à résoudre, pas seulement une adresse à lire : \
             (hote, port).to_socket_addrs() interroge la résolution de noms (getaddrinfo), \
             et rend toutes les adresses du nom, dans l'ordre où les essayer (localhost peut \
             donner ::1 avant 127.0.0.1).",
        )
        .regle("R11"))
}

/// Vrai si le programme s'est arrêté sur un `todo!()` : une étape reste à
/// écrire, ce n'est pas une règle enfreinte.
fn sur_un_todo(programme: &Programme) -> bool {
    programme.erreurs().contains("not yet implemented")
}

/// Étape 2 : le programme attache une socket UDP au port local reçu en
/// argument, sur la boucle locale de la famille du pair (ici `127.0.0.1`),
/// lue dans les tables du noyau, sans rien lui envoyer.
///
/// Le programme d'un étudiant qui vient de finir l'étape 2 s'arrête aussitôt
/// après le bind, sur le `todo!()` de l'étape 3 : sa socket ne vit qu'un
/// instant, trop peu pour être vue à coup sûr. L'étape est alors acquise ;
/// un mauvais port sera repris dès que le programme vivra plus longtemps.
pub fn pair_2_attache(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(2, "socket attachée au port local");
    let port_local = udp::port_libre();
    let mut programme = demarrer(&etape, binaire, "programme", port_local, udp::port_libre())?;
    match udp::attendre_attache(port_local, &mut programme, DELAI_DEMARRAGE) {
        Err(Injoignable::Arrete(_)) if arrete_plus_loin(&mut programme, etape.numero) => Ok(()),
        Ok(()) => match udp::hors_de_la_boucle_locale(port_local, &programme.role) {
            None => Ok(()),
            Some(explication) => Err(etape.echec_de(&programme, explication).regle("R1").indice(
                "le pair n'attend que son correspondant, sur la même machine : attachez la \
                 socket à la boucle locale de la famille du pair (127.0.0.1 pour un pair IPv4), \
                 pas à 0.0.0.0, qui l'ouvrirait à tout le réseau.",
            )),
        },
        resultat => resultat
            .map_err(|raison| pas_attache(&etape, &programme, raison, port_local).regle("R1")),
    }
}

/// Étape 2 : le port local est déjà pris (le correcteur y a attaché sa
/// propre socket UDP) : le pair l'explique sur sa sortie d'erreur et se
/// termine avec le code 1 — ni panique, ni code 0, ni une autre adresse.
pub fn pair_2_port_pris(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(2, "port local déjà pris");
    let occupant = UdpSocket::bind((BOUCLE_LOCALE, 0))
        .map_err(|e| etape.echec(format!("Le correcteur n'a pas pu occuper un port : {e}.")))?;
    let port_local = occupant
        .local_addr()
        .map_err(|e| {
            etape.echec(format!(
                "Adresse de la socket du correcteur illisible : {e}."
            ))
        })?
        .port();
    let mut programme = demarrer(&etape, binaire, "programme", port_local, udp::port_libre())?;
    let situation = format!(
        "Une autre socket UDP est déjà attachée à 127.0.0.1:{port_local}, le port local donné"
    );
    crate::arret_explique::juger_l_arret(
        &mut programme,
        &situation,
        "R14",
        DELAI_DEMARRAGE,
        |programme, explication| etape.echec_de(programme, explication),
    )
    .map_err(|diagnostic| {
        attache_ailleurs(&etape, &mut programme, port_local).unwrap_or(diagnostic)
    })
}

/// Le diagnostic d'un programme qui tourne alors que le port local était
/// pris, parce que sa socket est attachée à un autre port (le port 0, un
/// port écrit en dur) : il n'a pas fait son `bind` au port donné (R1), et
/// n'avait donc aucune erreur à expliquer. `None` s'il ne tourne plus, ou
/// s'il ne tient aucune autre socket UDP (la table dit alors qu'il a
/// manqué l'erreur du bind : R14).
fn attache_ailleurs(
    etape: &Etape,
    programme: &mut Programme,
    port_local: u16,
) -> Option<Diagnostic> {
    if programme.statut().is_some() || sur_un_todo(programme) {
        return None;
    }
    let ports: Vec<u16> = crate::table_des_sockets::ports_udp_du_processus(programme.pid())?
        .into_iter()
        .filter(|&p| p != port_local)
        .collect();
    if ports.is_empty() {
        return None;
    }
    let vus: Vec<String> = ports.iter().map(u16::to_string).collect();
    Some(
        etape
            .echec_de(
                programme,
                format!(
                    "Une autre socket UDP est déjà attachée à 127.0.0.1:{port_local}, le port \
                     local donné, mais le programme tourne, attaché au port {} : il n'a pas \
                     attaché sa socket au port local, et n'a donc vu aucune erreur.",
                    vus.join(", ")
                ),
            )
            .ecart(port_local.to_string(), vus.join(", "))
            .indice(
                "attachez la socket au port PORT_LOCAL reçu en argument (bind), pas au port 0 : \
                 c'est là que le pair envoie ses datagrammes.",
            )
            .regle("R1"),
    )
}

/// Étape 2 bis : HÔTE_DISTANT peut être une adresse IPv6, `::1`. Le pair
/// ouvre alors sa socket dans la famille IPv6, l'attache à `[::1]:PORT_LOCAL`,
/// et une ligne tapée arrive à la socket IPv6 du correcteur. Sans boucle
/// locale IPv6 sur la machine, l'étape ne peut rien vérifier : elle le
/// signale (voir [`crate::non_verifiable`]).
pub fn pair_2_ipv6(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(2, "un pair en IPv6 (::1)");
    let Some(correspondant) = SocketUdp::ouvrir_ipv6() else {
        crate::non_verifiable::signaler(&format!(
            "{TP} · pair · étape 2 — pair en IPv6 : non vérifiable sur cette machine, elle n'a \
             pas de boucle locale IPv6 (::1)."
        ));
        return Ok(());
    };
    let port_local = port_libre_en_ipv4_et_en_ipv6();
    let mut programme = demarrer_vers(
        &etape,
        binaire,
        "programme",
        port_local,
        HOTE_IPV6,
        correspondant.port(),
    )?;
    let pair = correspondant.adresse();
    match udp::attendre_attache(port_local, &mut programme, DELAI_DEMARRAGE) {
        Ok(()) => {}
        Err(Injoignable::Arrete(_)) if arrete_plus_loin(&mut programme, etape.numero) => {
            return Ok(());
        }
        Err(Injoignable::Arrete(statut)) => {
            let diagnostic = etape.echec_de(
                &programme,
                format!(
                    "Lancé avec HÔTE_DISTANT = « {HOTE_IPV6} » (la boucle locale IPv6), le \
                     programme s'est arrêté ({}) sans attacher de socket au port local \
                     {port_local}.",
                    statut_en_clair(statut)
                ),
            );
            if sur_un_todo(&programme) {
                return Err(diagnostic);
            }
            return Err(diagnostic.indice(INDICE_IPV6).regle("R12"));
        }
        Err(raison) => {
            return Err(pas_attache(&etape, &programme, raison, port_local)
                .indice(INDICE_IPV6)
                .enfreint_par_defaut("R12"));
        }
    }
    // La socket vit : la table du noyau dit à quelle adresse elle est
    // attachée. Une socket IPv4 ne pourra jamais écrire à ::1.
    let attachees = udp::adresses_attachees(port_local);
    if !attachees.is_empty() && attachees.iter().all(IpAddr::is_ipv4) {
        let vues: Vec<String> = attachees.iter().map(IpAddr::to_string).collect();
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Lancé avec HÔTE_DISTANT = « {HOTE_IPV6} », le programme a attaché sa socket \
                     à {}:{port_local}, une adresse IPv4 : cette socket ne peut pas écrire au \
                     pair {pair}.",
                    vues.join(", ")
                ),
            )
            .ecart(
                format!("[::1]:{port_local}"),
                format!("{}:{port_local}", vues.join(", ")),
            )
            .indice(INDICE_IPV6)
            .regle("R12"));
    }
    let envoi = taper(&etape, &mut programme, LIGNE_VERS_IPV6)
        .map_err(|_| Attente::Delai)
        .and_then(|()| correspondant.recevoir(&mut programme, DELAI_REPONSE));
    if envoi.is_ok() || arrete_plus_loin(&mut programme, etape.numero) {
        return Ok(());
    }
    let arret = programme
        .attendre_fin(Duration::ZERO)
        .map(|s| format!(" Il s'est arrêté ({}).", statut_en_clair(s)))
        .unwrap_or_default();
    Err(etape
        .echec_de(
            &programme,
            format!(
                "Lancé avec HÔTE_DISTANT = « {HOTE_IPV6} », le programme n'a rien envoyé au pair \
                 {pair} après la ligne tapée « {LIGNE_VERS_IPV6} ».{arret}"
            ),
        )
        .indice(INDICE_IPV6)
        .regle("R12"))
}

/// L'indice de l'étape `pair_2_ipv6`.
const INDICE_IPV6: &str = "::1 est une adresse IPv6 : gardez toutes les adresses que rend \
     to_socket_addrs (pas de filtre is_ipv4), et ouvrez la socket dans la famille de l'adresse \
     du pair (Domain::for_address), attachée à [::1]:PORT_LOCAL. Une socket IPv4 ne sait pas \
     écrire à une adresse IPv6.";

/// Un port libre en UDP sur les deux boucles locales, 127.0.0.1 et ::1 : le
/// pair choisit sa famille, il doit trouver son port libre dans l'une comme
/// dans l'autre. (Borné : après 100 essais, le dernier port trouvé.)
fn port_libre_en_ipv4_et_en_ipv6() -> u16 {
    let mut port = udp::port_libre();
    for _ in 0..100 {
        let libre = crate::lancement::sans_lancement(|| {
            UdpSocket::bind((Ipv6Addr::LOCALHOST, port)).is_ok()
        });
        if libre {
            break;
        }
        port = udp::port_libre();
    }
    port
}

/// Les sockets du correcteur pour un pair désigné par `nom` : une par
/// boucle locale que ce nom donne sur cette machine (`127.0.0.1`, `::1`),
/// toutes au même port, puisque le pair ne reçoit qu'un port.
fn sockets_pour_le_nom(etape: &Etape, nom: &str) -> Result<Vec<SocketUdp>, Diagnostic> {
    let adresses: Vec<SocketAddr> = (nom, 0)
        .to_socket_addrs()
        .map(Iterator::collect)
        .unwrap_or_default();
    let mut familles: Vec<IpAddr> = Vec::new();
    for adresse in adresses {
        let boucle = match adresse {
            SocketAddr::V4(_) => IpAddr::V4(BOUCLE_LOCALE),
            SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        };
        if !familles.contains(&boucle) {
            familles.push(boucle);
        }
    }
    if familles.is_empty() {
        familles.push(IpAddr::V4(BOUCLE_LOCALE));
    }
    // Le premier port pris peut être occupé dans l'autre famille : on
    // recommence, un nombre borné de fois.
    let mut derniere_erreur = None;
    for _ in 0..100 {
        match sockets_au_meme_port(&familles) {
            Ok(sockets) => return Ok(sockets),
            Err(e) => derniere_erreur = Some(e),
        }
    }
    Err(etape.echec(format!(
        "Le correcteur n'a pas pu ouvrir ses sockets UDP sur {familles:?} au même port : {}.",
        derniere_erreur.map(|e| e.to_string()).unwrap_or_default()
    )))
}

/// Une socket par adresse de `familles`, la première sur un port choisi par
/// le noyau, les suivantes sur ce même port. Une boucle locale IPv6 que la
/// machine n'a pas est laissée de côté.
fn sockets_au_meme_port(familles: &[IpAddr]) -> std::io::Result<Vec<SocketUdp>> {
    let mut sockets: Vec<SocketUdp> = Vec::new();
    for &boucle in familles {
        let port = sockets.first().map_or(0, SocketUdp::port);
        match SocketUdp::ouvrir_sur(SocketAddr::new(boucle, port)) {
            Ok(socket) => sockets.push(socket),
            // ::1 absent (EADDRNOTAVAIL) ou IPv6 absent (EAFNOSUPPORT) : seul
            // un port déjà pris fait recommencer.
            Err(e) if boucle.is_ipv6() && e.kind() != std::io::ErrorKind::AddrInUse => {}
            Err(e) => return Err(e),
        }
    }
    if sockets.is_empty() {
        return Err(std::io::Error::other("aucune boucle locale utilisable"));
    }
    Ok(sockets)
}

/// Attend un datagramme sur l'une des `sockets`, au plus `delai`, par
/// tranches courtes sur chacune tour à tour. Si le programme s'arrête, ce
/// qu'il a envoyé avant est déjà dans l'une des files : on les regarde toutes.
fn recevoir_sur_l_une(
    sockets: &[SocketUdp],
    programme: &mut Programme,
    delai: Duration,
) -> Result<udp::Datagramme, Attente> {
    let limite = Instant::now() + delai;
    loop {
        for socket in sockets {
            match socket.recevoir(programme, TRANCHE_PAR_SOCKET) {
                Ok(datagramme) => return Ok(datagramme),
                Err(Attente::Delai) => {}
                Err(Attente::Arrete(statut)) => {
                    return sockets
                        .iter()
                        .find_map(|s| s.vider().into_iter().next())
                        .ok_or(Attente::Arrete(statut));
                }
                Err(autre) => return Err(autre),
            }
        }
        if Instant::now() >= limite {
            return Err(Attente::Delai);
        }
    }
}

/// Étape 3 : avant d'avoir rien reçu, chaque ligne tapée part en un
/// datagramme exact, depuis le port local (la preuve du `bind`).
pub fn pair_3_envoi(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(3, "une ligne tapée, un datagramme parti du port local");
    let mut conversation = Conversation::demarrer(&etape, binaire)?;
    for ligne in LIGNES_TAPEES {
        conversation.taper_et_recevoir(&etape, ligne)?;
    }
    Ok(())
}

/// Étape 3 bis : « fin » tapée part vers le pair, puis le programme se
/// termine (code 0).
pub fn pair_3_fin_tapee(binaire: &Path) -> Result<(), Diagnostic> {
    pair_3_fin_tapee_sans_regle(binaire).map_err(|d| sans_autre_regle(d, "R6"))
}

fn pair_3_fin_tapee_sans_regle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(3, "« fin » tapée");
    let mut conversation = Conversation::demarrer(&etape, binaire)?;
    conversation.taper_et_recevoir(&etape, FIN)?;
    fin_normale(
        &etape,
        conversation.programme(),
        "après avoir lu et envoyé « fin »",
        "« fin » termine la conversation : envoyez-la au pair (c'est ainsi qu'il apprend la \
         fin), puis laissez main rendre la main ; le processus s'arrête alors avec tous ses fils, \
         même celui qui attend dans recv_from.",
    )
}

/// Étape 3 ter : la fin de l'entrée standard termine le programme (code 0).
pub fn pair_3_fin_de_saisie(binaire: &Path) -> Result<(), Diagnostic> {
    pair_3_fin_de_saisie_sans_regle(binaire).map_err(|d| sans_autre_regle(d, "R8"))
}

fn pair_3_fin_de_saisie_sans_regle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(3, "fin de l'entrée standard");
    let mut conversation = Conversation::demarrer(&etape, binaire)?;
    conversation.pair.fermer_entree();
    fin_normale(
        &etape,
        conversation.programme(),
        "à la fin de son entrée standard",
        "à la fin de l'entrée (Ctrl+D au clavier), read_line rend Ok(0) et lines() rend None : \
         c'est une fin normale, pas une erreur. Terminez avec le code 0, sans unwrap().",
    )
}

/// Étape 4 : un datagramme du pair s'affiche alors que personne ne tape.
pub fn pair_4_reception_sans_saisie(binaire: &Path) -> Result<(), Diagnostic> {
    pair_4_reception_sans_saisie_sans_regle(binaire).map_err(|d| sans_autre_regle(d, "R4"))
}

fn pair_4_reception_sans_saisie_sans_regle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(4, "réception pendant que le clavier se tait");
    let mut conversation = Conversation::demarrer(&etape, binaire)?;
    conversation.envoyer(&etape, MESSAGE_DU_PAIR)?;
    affiche(
        &etape,
        conversation.programme(),
        MESSAGE_DU_PAIR,
        "Le correcteur l'a envoyé depuis le port du pair sans rien taper. Un programme qui \
         attend une ligne au clavier avant de lire la socket n'affiche rien tant que personne \
         ne tape ; face à un pair qui ferait de même, chacun attendrait l'autre : c'est un \
         interblocage.",
    )
    .map_err(|d| {
        d.indice(
            "attendez le clavier et la socket en même temps : deux fils (thread::spawn), l'un \
             bloqué dans read_line, l'autre dans recv_from.",
        )
    })
}

/// Étape 4 bis : le datagramme d'un intrus (même machine, autre port) n'est pas
/// affiché, mais signalé sur la sortie d'erreur ; la conversation continue.
pub fn pair_4_intrus(binaire: &Path) -> Result<(), Diagnostic> {
    pair_4_intrus_sans_regle(binaire).map_err(|d| sans_autre_regle(d, "R5"))
}

fn pair_4_intrus_sans_regle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(4, "datagramme d'un intrus");
    let mut conversation = Conversation::demarrer(&etape, binaire)?;
    // D'abord un message du vrai pair, affiché : le programme est alors
    // dans sa boucle de réception, prêt à trier. Une socket attachée ne
    // suffit pas : un programme qui filtre par connect() après son bind
    // garderait en file un intrus arrivé entre les deux, et son verdict
    // dépendrait de l'ordonnanceur.
    conversation.envoyer(&etape, MESSAGE_AVANT_L_INTRUS)?;
    affiche(
        &etape,
        conversation.programme(),
        MESSAGE_AVANT_L_INTRUS,
        "Un datagramme du pair doit s'afficher dès son arrivée.",
    )
    .map_err(|d| d.regle("R4"))?;
    let intrus = socket_du_correcteur(&etape)?;
    intrus
        .envoyer(MESSAGE_D_INTRUS.as_bytes(), conversation.adresse_locale())
        .map_err(|e| etape.echec(format!("L'intrus n'a pas pu envoyer son datagramme : {e}.")))?;
    // Le datagramme du vrai pair part après celui de l'intrus : quand il est
    // affiché, celui de l'intrus a forcément déjà été traité.
    conversation.envoyer(&etape, MESSAGE_DU_PAIR)?;
    let port_distant = conversation.correspondant.port();
    let programme = conversation.programme();
    affiche(
        &etape,
        programme,
        MESSAGE_DU_PAIR,
        "Après le datagramme d'un intrus, celui du vrai pair doit encore s'afficher.",
    )?;
    let adresse_intrus = SocketAddr::from((BOUCLE_LOCALE, intrus.port()));
    let prefixe = format!("[{}] ", programme.role);
    if programme
        .dernieres_lignes()
        .iter()
        .any(|l| l.starts_with(&prefixe) && l.contains(MESSAGE_D_INTRUS))
    {
        return Err(etape
            .echec_de(
                programme,
                format!(
                    "Le programme a affiché le datagramme de l'intrus {adresse_intrus}, alors \
                     que son pair est 127.0.0.1:{port_distant}."
                ),
            )
            .indice(
                "comparez l'adresse rendue par recv_from, IP et port, à celle du pair : \
                 l'intrus est sur la même machine, seul son port diffère.",
            ));
    }
    if !programme.attendre_erreur(&intrus.port().to_string(), DELAI_REPONSE) {
        return Err(etape
            .echec_de(
                programme,
                format!(
                    "Le datagramme de l'intrus {adresse_intrus} n'a pas été affiché, mais aucun \
                     avertissement ne cite son adresse sur la sortie d'erreur."
                ),
            )
            .indice(format!(
                "signalez l'intrus avec eprintln!, adresse comprise, par exemple : « avertissement : \
                 datagramme de {adresse_intrus} ignoré (ce n'est pas le pair) ». Avec connect(), \
                 le noyau jetterait ces datagrammes sans rien dire : le chapitre demande de les voir."
            )));
    }
    Ok(())
}

/// Étape 4 quater : des caractères de contrôle reçus du pair (séquences
/// d'échappement du terminal, `\r`, `\n`) ne sont pas écrits tels quels :
/// ils s'affichent échappés, et le texte qui les entoure reste visible.
pub fn pair_4_caracteres_de_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(4, "caractères de contrôle reçus, affichés échappés");
    let mut conversation = Conversation::demarrer(&etape, binaire)?;
    conversation.envoyer(&etape, TEXTE_PIEGE)?;
    let port_local = conversation.port_local;
    let programme = conversation.programme();
    let Some(affiche) = controle::attendre_texte_affiche(programme, "<< ", DELAI_REPONSE) else {
        return Err(socket_pas_lue(
            etape
                .echec_de(
                    programme,
                    format!(
                        "Le programme n'a pas affiché « << … » pour un datagramme du pair qui \
                         contient des caractères de contrôle (ESC, BEL, \\r, \\n) en {} s.",
                        DELAI_REPONSE.as_secs()
                    ),
                )
                .indice(
                    "un datagramme du pair reste du texte à afficher, quels que soient ses octets.",
                ),
            port_local,
        ));
    };
    controle::examiner(&affiche, TEXTE_PIEGE).map_err(|defaut| {
        let vu = controle::ligne_inoffensive(&affiche);
        let explication = match defaut {
            controle::Defaut::Bruts(bruts) => format!(
                "Le programme a écrit tels quels des caractères de contrôle reçus du pair : {}. \
                 Sur un terminal, ce sont des ordres : le pair change le titre de la fenêtre, \
                 efface l'écran, invente une ligne.\nTexte affiché (échappé ici) : « << {vu} »",
                controle::nommer(&bruts)
            ),
            controle::Defaut::Manque(morceau) => format!(
                "Le texte affiché ne contient pas « {morceau} », une partie visible du \
                 datagramme : seuls les caractères de contrôle doivent changer d'aspect (un \\n \
                 écrit tel quel coupe la ligne).\nTexte affiché : « << {vu} »"
            ),
        };
        etape
            .echec_de(programme, explication)
            .indice(
                "passez le texte reçu par affichable (fournie) : chaque caractère c tel que \
                     c.is_control() s'écrit c.escape_default() (\\u{1b} pour ESC), les autres \
                     tels quels.",
            )
            .regle("R10")
    })
}

/// Étape 4 ter : « fin » reçue du pair termine le programme (code 0), même
/// si l'entrée standard reste ouverte et muette.
pub fn pair_4_fin_recue(binaire: &Path) -> Result<(), Diagnostic> {
    pair_4_fin_recue_sans_regle(binaire).map_err(|d| sans_autre_regle(d, "R7"))
}

fn pair_4_fin_recue_sans_regle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(4, "« fin » reçue");
    let mut conversation = Conversation::demarrer(&etape, binaire)?;
    conversation.envoyer(&etape, FIN)?;
    let port_local = conversation.port_local;
    fin_normale(
        &etape,
        conversation.programme(),
        "après avoir reçu « fin » du pair, alors que personne ne tapait rien",
        "le fil de réception doit pouvoir terminer le programme alors que l'autre fil attend \
         encore une ligne au clavier : prévenez main (un canal mpsc), qui rend la main.",
    )
    .map_err(|d| socket_pas_lue(d, port_local))
}

/// Deux exemplaires du programme de l'étudiant se parlent ; le correcteur
/// tape sur les deux claviers. « fin » tapée chez A termine A et B.
pub fn croise_deux_pairs(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = Etape {
        cote: "deux pairs ensemble",
        numero: 1,
        nom: "vos deux pairs se parlent",
    };
    let (port_a, port_b) = (udp::port_libre(), udp::port_libre());
    // Les deux pairs démarrent ensemble : le port de B ne reste pas libre,
    // à la merci d'un autre programme, pendant tout le démarrage de A.
    let mut a = demarrer(&etape, binaire, "pair A", port_a, port_b)?;
    let mut b = demarrer(&etape, binaire, "pair B", port_b, port_a)?;
    for (pair, port) in [(&mut a, port_a), (&mut b, port_b)] {
        udp::attendre_attache(port, pair, DELAI_DEMARRAGE)
            .map_err(|raison| pas_attache(&etape, pair, raison, port))?;
    }
    transmettre(
        &etape,
        (&mut a, port_a),
        (&mut b, port_b),
        "Bonjour B, ici A.",
    )?;
    transmettre(
        &etape,
        (&mut b, port_b),
        (&mut a, port_a),
        "Bonjour A, ici B. À vous !",
    )?;
    taper(&etape, &mut a, FIN)?;
    fin_normale(
        &etape,
        &mut a,
        "après avoir lu et envoyé « fin »",
        "« fin » tapée : envoyez-la, puis terminez.",
    )
    .map_err(|d| d.sortie(b.dernieres_lignes()).enfreint_par_defaut("R6"))?;
    fin_normale(
        &etape,
        &mut b,
        "après avoir reçu « fin » de l'autre pair",
        "« fin » reçue : terminez, même si personne ne tape.",
    )
    .map_err(|d| socket_pas_lue(d.sortie(a.dernieres_lignes()), port_b).enfreint_par_defaut("R7"))
}

/// Tape `ligne` chez `ecrivain` et attend que `lecteur` l'affiche (chacun
/// avec son port local).
fn transmettre(
    etape: &Etape,
    (ecrivain, port_ecrivain): (&mut Programme, u16),
    (lecteur, port_lecteur): (&mut Programme, u16),
    ligne: &str,
) -> Result<(), Diagnostic> {
    taper(etape, ecrivain, ligne)?;
    affiche(
        etape,
        lecteur,
        ligne,
        &format!(
            "La ligne a été tapée chez le {} : elle devait arriver ici en un datagramme.",
            ecrivain.role
        ),
    )
    .map_err(|d| {
        let d = socket_pas_lue(d.sortie(ecrivain.dernieres_lignes()), port_lecteur);
        let d = envoi_d_ailleurs(d, ecrivain, port_ecrivain);
        fin_de_ligne_envoyee(d, ligne)
    })
}

/// Si l'`ecrivain` tient une socket UDP attachée à un autre port que son
/// port local, ses datagrammes peuvent en partir : le lecteur les prend
/// pour ceux d'un intrus. C'est la règle R2 (une seule socket).
fn envoi_d_ailleurs(diagnostic: Diagnostic, ecrivain: &Programme, port_local: u16) -> Diagnostic {
    let Some(ports) = crate::table_des_sockets::ports_udp_du_processus(ecrivain.pid()) else {
        return diagnostic;
    };
    let autres: Vec<String> = ports
        .iter()
        .filter(|&&p| p != port_local)
        .map(u16::to_string)
        .collect();
    if autres.is_empty() {
        return diagnostic;
    }
    let mut diagnostic = diagnostic
        .indice(
            "envoyez avec la socket attachée au port local : une seule socket sert à recevoir \
             et à envoyer.",
        )
        .enfreint_par_defaut("R2");
    diagnostic.explication.push_str(&format!(
        " Le {} tient une autre socket UDP, au port {}, en plus de celle du port local \
         {port_local} : un datagramme parti de là n'est pas reconnu comme venant du pair.",
        ecrivain.role,
        autres.join(", ")
    ));
    diagnostic
}

/// Si le lecteur affiche la ligne suivie d'une fin de ligne échappée
/// (`\n`), le datagramme la contenait : l'écrivain l'a envoyée avec son
/// « \n » (R3).
fn fin_de_ligne_envoyee(diagnostic: Diagnostic, ligne: &str) -> Diagnostic {
    let avec_fin = ["\\n", "\\r\\n"]
        .iter()
        .map(|fin| format!("<< {ligne}{fin}"))
        .any(|attendue| {
            diagnostic
                .ecart
                .as_ref()
                .is_some_and(|(_, recu)| recu[..] == *attendue.as_bytes())
        });
    if !avec_fin {
        return diagnostic;
    }
    diagnostic
        .indice(
            "le datagramme contenait la fin de ligne : retirez-la avant d'envoyer (trim_end \
             ou lines()), un datagramme contient la ligne telle qu'elle a été tapée, sans son \
             « \\n ».",
        )
        .enfreint_par_defaut("R3")
}

/// Vrai si le programme s'est arrêté sur le `todo!()` d'une étape après
/// `numero` : l'étape `numero` est faite. S'il est terminé, on attend que
/// sa sortie d'erreur soit lue jusqu'au bout (bornée) : le message de la
/// panique peut arriver au correcteur après la fin du processus.
fn arrete_plus_loin(programme: &mut Programme, numero: u8) -> bool {
    if programme.statut().is_some() {
        programme.attendre_sorties_fermees(DELAI_REPONSE);
    }
    arrete_apres_l_etape(programme, numero)
}

/// Nomme la règle `regle` d'une étape qui n'en vérifie qu'une, sauf si le
/// lieu du constat en a déjà nommé une autre.
fn sans_autre_regle(diagnostic: Diagnostic, regle: &'static str) -> Diagnostic {
    diagnostic.enfreint_par_defaut(regle)
}

/// Vrai si un datagramme attend encore, jamais lu, dans la file de réception
/// de la socket attachée à `port` (la table des sockets du système).
fn jamais_lu(port: u16) -> bool {
    crate::table_des_sockets::udp_en_attente_de_lecture(port) == Some(true)
}

/// Si le datagramme envoyé au programme (port `port`) attend encore dans la
/// file de réception de sa socket, le programme ne lit pas sa socket pendant
/// qu'il attend le clavier : c'est la règle R4, plutôt que celle de l'étape.
fn socket_pas_lue(diagnostic: Diagnostic, port: u16) -> Diagnostic {
    if !jamais_lu(port) {
        return diagnostic;
    }
    let mut diagnostic = diagnostic
        .indice(
            "attendez le clavier et la socket en même temps : deux fils (thread::spawn), l'un \
             bloqué dans read_line, l'autre dans recv_from.",
        )
        .enfreint_par_defaut("R4");
    diagnostic.explication.push_str(
        " Le datagramme attend toujours dans la file de réception de sa socket : le programme \
         ne lit pas la socket pendant que personne ne tape.",
    );
    diagnostic
}
