//! TP10 — UDP, mode asymétrique.
//!
//! Le scénario (chapitre « TP10 » du livre) : le client connaît l'adresse du
//! serveur ; le serveur apprend celle de chaque client dans le datagramme
//! qu'il reçoit (`recv_from`). À chaque datagramme, le serveur répond par le
//! nombre d'octets reçus, sur 4 octets, poids fort en premier.
//!
//! Le correcteur fait ce que fait un vrai réseau : il perd une requête,
//! glisse un datagramme étranger avant la vraie réponse, se tait. Le client
//! est lancé avec `--delai 200` : ses relances restent rapides à tester.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::caracteres_de_controle::{self as controle, TEXTE_PIEGE};
use crate::diagnostic::{Diagnostic, octets as en_octets};
use crate::etape::{Cote, DELAI_DEMARRAGE, DELAI_REPONSE, Etape, statut_en_clair};
use crate::processus::Programme;
use crate::reseau::BOUCLE_LOCALE;
use crate::udp::{self, Attente, Datagramme, SocketUdp};

mod chaque_adresse;
pub use chaque_adresse::client_2_chaque_adresse;

const TP: &str = "TP10";

/// Le délai par essai donné au client testé (`--delai`), en millisecondes.
pub const DELAI_CLIENT_MS: u64 = 200;
/// Un délai plus long que celui du chapitre par défaut (1000 ms), donné au
/// client de l'étape `client_3_delai_respecte` : un client qui l'ignore
/// relance trop tôt.
pub const DELAI_LONG_MS: u64 = 2500;
/// En deçà, une relance ne peut pas avoir attendu [`DELAI_LONG_MS`] : la
/// marge absorbe un retard du correcteur à recevoir la première requête.
const RELANCE_AU_PLUS_TOT_MS: u64 = 1800;
/// Le nombre d'envois attendus d'un client sans réponse.
pub const ESSAIS: usize = 3;
/// La plus grande charge utile d'un datagramme UDP sur IPv4.
pub const TAILLE_MAX_DATAGRAMME: usize = 65_507;

/// La réponse du protocole : le compte, sur 4 octets, poids fort en premier.
pub fn reponse(taille: usize) -> [u8; 4] {
    (taille as u32).to_be_bytes()
}

/// Les 4 octets en hexadécimal : « 00 00 00 16 ».
fn hexa(octets: &[u8]) -> String {
    octets
        .iter()
        .map(|o| format!("{o:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn serveur(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Serveur,
        numero,
        nom,
    }
}

fn client(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Client,
        numero,
        nom,
    }
}

/// Une socket du correcteur, ou l'échec de l'étape.
fn socket_de_test(etape: &Etape) -> Result<SocketUdp, Diagnostic> {
    SocketUdp::ouvrir().map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu ouvrir sa socket UDP : {e}."
        ))
    })
}

// ─── Le serveur de l'étudiant ──────────────────────────────────────────────

/// Lance le serveur sur un port libre et attend qu'il y attache sa socket.
fn serveur_attache(etape: &Etape, binaire: &Path) -> Result<(Programme, SocketAddr), Diagnostic> {
    let port = udp::port_libre();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    attendre_attache(etape, &mut programme, port)?;
    Ok((programme, SocketAddr::from((BOUCLE_LOCALE, port))))
}

fn attendre_attache(etape: &Etape, programme: &mut Programme, port: u16) -> Result<(), Diagnostic> {
    udp::attendre_attache(port, programme, DELAI_DEMARRAGE).map_err(|e| {
        etape
            .injoignable(e, programme, &format!("de s'attacher au port UDP {port}"))
            .indice(
                "une socket UDP se crée avec SOCK_DGRAM (Type::DGRAM) et s'attache avec bind \
                 au port reçu en argument ; ni listen ni accept en UDP.",
            )
    })
}

/// Ce que dit la file de réception du serveur attaché à `port`, quand il
/// n'a rien fait d'un datagramme : arrivé mais pas lu, ou lu. Vide si la
/// table des sockets ne se lit pas ici.
fn file_du_serveur(port: u16) -> &'static str {
    match crate::table_des_sockets::udp_en_attente_de_lecture(port) {
        Some(true) => {
            " Le datagramme est bien arrivé : il attend dans la file de réception de la socket \
             du serveur, que le programme n'a pas lue (recv_from n'est pas appelé, ou le \
             programme est bloqué ailleurs)."
        }
        Some(false) => {
            " La file de réception de la socket du serveur est vide : le programme a lu le \
             datagramme."
        }
        None => "",
    }
}

/// Le diagnostic d'un datagramme resté sans réponse du serveur (attaché à
/// `port`).
fn sans_reponse(
    etape: &Etape,
    serveur: &Programme,
    port: u16,
    attente: Attente,
    quoi: &str,
) -> Diagnostic {
    match attente {
        Attente::Arrete(statut) => etape
            .echec_de(
                serveur,
                format!(
                    "Le serveur s'est arrêté ({}) sans répondre {quoi}.",
                    statut_en_clair(statut)
                ),
            )
            .indice(
                "un serveur UDP itératif ne s'arrête pas après un datagramme : il reçoit, \
                 répond, puis retourne dans recv_from, dans une boucle sans fin.",
            ),
        Attente::Delai => etape.echec_de(
            serveur,
            format!(
                "Le serveur n'a pas répondu {quoi} en {} s.{}",
                DELAI_REPONSE.as_secs(),
                file_du_serveur(port)
            ),
        ),
        Attente::Erreur(e) => etape.echec_de(
            serveur,
            format!("Erreur en attendant la réponse {quoi} : {e}."),
        ),
    }
}

/// Vérifie qu'une réponse reçue est le compte attendu, sur 4 octets
/// gros-boutistes, envoyé par le serveur.
fn verifier_compte(
    etape: &Etape,
    programme: &Programme,
    (octets, de): &Datagramme,
    serveur: SocketAddr,
    taille: usize,
) -> Result<(), Diagnostic> {
    let attendu = reponse(taille);
    if *de != serveur {
        return Err(etape
            .echec_de(
                programme,
                format!("La réponse vient de {de}, pas du serveur {serveur}."),
            )
            .indice(
                "répondez avec la socket attachée au port du serveur (send_to sur la même \
                 socket) : c'est son adresse que le client connaît et attend.",
            ));
    }
    if octets.len() != 4 {
        return Err(etape
            .echec_de(
                programme,
                format!(
                    "La réponse fait {} au lieu de 4 (datagramme de {taille} octets).",
                    en_octets(octets.len())
                ),
            )
            .ecart(attendu, octets.clone())
            .indice(
                "la réponse est un entier sur 4 octets, pas du texte : \
                 (taille as u32).to_be_bytes().",
            ));
    }
    if octets[..] == attendu {
        return Ok(());
    }
    let petit_boutiste = (taille as u32).to_le_bytes();
    if octets[..] == petit_boutiste {
        return Err(etape
            .echec_de(
                programme,
                format!(
                    "Le compte est juste ({taille}) mais les octets sont dans le mauvais ordre \
                     des octets : poids faible en premier (petit-boutiste).\n  \
                     attendu : {} (gros-boutiste, l'ordre du réseau)\n  \
                     reçu    : {} (petit-boutiste, l'ordre de la machine)\n  \
                     Lu en gros-boutiste, comme le fait le client, il vaut {}.",
                    hexa(&attendu),
                    hexa(octets),
                    u32::from_be_bytes(petit_boutiste)
                ),
            )
            .indice(
                "ordre des octets : sur le réseau, un entier s'écrit poids fort en premier. \
                 Utilisez u32::to_be_bytes (l'équivalent de htonl), pas to_le_bytes ni \
                 to_ne_bytes.",
            )
            .regle("R5"));
    }
    let annonce = u32::from_be_bytes([octets[0], octets[1], octets[2], octets[3]]);
    let mut diagnostic = etape
        .echec_de(
            programme,
            format!(
                "Le serveur annonce {} ({}) pour un datagramme de {taille} octets ({}).",
                en_octets(annonce as usize),
                hexa(octets),
                hexa(&attendu)
            ),
        )
        .ecart(attendu, octets.clone());
    if (annonce as usize) < taille && annonce > 0 {
        diagnostic = diagnostic
            .indice(format!(
                "le datagramme a été tronqué à {annonce} octets : recv_from n'en rend pas plus que \
             la taille du tampon et le noyau jette le reste, sans erreur. Prévoyez un tampon \
             de {TAILLE_MAX_DATAGRAMME} octets, la plus grande charge utile UDP."
            ))
            .regle("R8");
    }
    Err(diagnostic)
}

/// Envoie `octets` au serveur depuis `socket` et vérifie sa réponse.
fn echange(
    etape: &Etape,
    programme: &mut Programme,
    socket: &SocketUdp,
    serveur: SocketAddr,
    octets: &[u8],
    quoi: &str,
) -> Result<(), Diagnostic> {
    socket.envoyer(octets, serveur).map_err(|e| {
        etape.echec_de(
            programme,
            format!("Le correcteur n'a pas pu envoyer son datagramme : {e}."),
        )
    })?;
    let recu = socket
        .recevoir(programme, DELAI_REPONSE)
        .map_err(|a| sans_reponse(etape, programme, serveur.port(), a, quoi))?;
    verifier_compte(etape, programme, &recu, serveur, octets.len())
}

/// L'annonce du serveur une fois sa socket attachée (écrite par `lancer`, fourni).
fn annonce(port: u16) -> String {
    format!("Le serveur UDP attend sur {BOUCLE_LOCALE}:{port}")
}

/// Étape 1 : le serveur attache sa socket UDP au port reçu en argument.
///
/// Un squelette dont l'étape 2 est encore un `todo!()` s'arrête aussitôt
/// après son `bind` : trop vite, parfois, pour que `/proc/net/udp` le montre.
/// Son annonce, écrite juste après le `bind` réussi, fait alors foi.
pub fn serveur_1_attache(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "socket UDP attachée au port donné");
    let port = udp::port_libre();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    match attendre_attache(&etape, &mut programme, port) {
        Err(_)
            if programme
                .attendre_lignes(&[&annonce(port)], DELAI_REPONSE)
                .is_ok() =>
        {
            Ok(())
        }
        Ok(()) => boucle_locale_seulement(&etape, &programme, port),
        resultat => resultat,
    }
}

/// La socket du serveur est attachée à la boucle locale, pas à toutes les
/// interfaces : ce qu'en dit la table des sockets du système.
fn boucle_locale_seulement(
    etape: &Etape,
    programme: &Programme,
    port: u16,
) -> Result<(), Diagnostic> {
    match udp::hors_de_la_boucle_locale(port, &programme.role) {
        None => Ok(()),
        Some(explication) => Err(etape
            .echec_de(programme, explication)
            .indice("attachez la socket à (\"127.0.0.1\", port), pas à 0.0.0.0 ni à [::].")
            .regle("R1")),
    }
}

/// Étape 2 : le serveur affiche l'expéditeur et le texte de chaque datagramme.
pub fn serveur_2_affichage(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(2, "affichage du datagramme reçu");
    let (programme, adresse) = serveur_attache(&etape, binaire)?;
    let socket = socket_de_test(&etape)?;
    let message = "Bonjour, serveur UDP : voici un datagramme accentué";
    socket
        .envoyer(message.as_bytes(), adresse)
        .map_err(|e| etape.echec_de(&programme, format!("Envoi impossible : {e}.")))?;
    let ligne = format!("reçu de {} : {message}", socket.adresse());
    etape
        .lignes_affichees(
            &programme,
            &[&ligne],
            "recv_from rend le nombre d'octets reçus et l'adresse de l'expéditeur : affichez \
         « reçu de ADRESSE : TEXTE », le texte étant String::from_utf8_lossy(&tampon[..n]).",
        )
        .map_err(|d| d.regle("R2"))
}

/// Étape 2 bis : des caractères de contrôle reçus (séquences d'échappement
/// du terminal, `\r`, `\n`) ne sont pas écrits tels quels : le serveur les
/// affiche échappés, et le texte qui les entoure reste visible.
pub fn serveur_2_caracteres_de_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(2, "caractères de contrôle reçus, affichés échappés");
    let (programme, adresse) = serveur_attache(&etape, binaire)?;
    let socket = socket_de_test(&etape)?;
    socket
        .envoyer(TEXTE_PIEGE.as_bytes(), adresse)
        .map_err(|e| etape.echec_de(&programme, format!("Envoi impossible : {e}.")))?;
    let debut = format!("reçu de {} : ", socket.adresse());
    let Some(affiche) = controle::attendre_texte_affiche(&programme, &debut, DELAI_REPONSE) else {
        // Lu (la file de la socket est vide), mais pas affiché sous la forme
        // « reçu de ADRESSE : TEXTE » : c'est la règle de l'affichage.
        let lu = crate::table_des_sockets::udp_en_attente_de_lecture(adresse.port()) == Some(false);
        let diagnostic = etape
            .echec_de(
                &programme,
                format!(
                    "Le serveur n'a pas affiché « {debut}… » pour un datagramme qui contient \
                         des caractères de contrôle (ESC, BEL, \\r, \\n) en {} s.{}",
                    DELAI_REPONSE.as_secs(),
                    file_du_serveur(adresse.port())
                ),
            )
            .indice("un datagramme reste du texte à afficher, quels que soient ses octets.");
        return Err(if lu {
            diagnostic
                .indice("« reçu de ADRESSE : TEXTE », ADRESSE étant celle que rend recv_from.")
                .enfreint("R2")
        } else {
            diagnostic
        });
    };
    controle::examiner(&affiche, TEXTE_PIEGE).map_err(|defaut| {
        etape
            .echec_de(&programme, texte_mal_affiche(&defaut, &affiche))
            .indice(
                "passez le texte reçu par affichable (fournie) : chaque caractère c tel \
                         que c.is_control() s'écrit c.escape_default() (\\u{1b} pour ESC), les \
                         autres tels quels.",
            )
            .regle("R16")
    })
}

/// L'explication d'un texte piégé mal affiché.
fn texte_mal_affiche(defaut: &controle::Defaut, affiche: &str) -> String {
    let vu = controle::ligne_inoffensive(affiche);
    match defaut {
        controle::Defaut::Bruts(bruts) => format!(
            "Le serveur a écrit tels quels des caractères de contrôle reçus du réseau : {}. \
             Sur un terminal, ce sont des ordres : l'expéditeur change le titre de la fenêtre, \
             efface l'écran, réécrit la ligne.\nTexte affiché (échappé ici) : « {vu} »",
            controle::nommer(bruts)
        ),
        controle::Defaut::Manque(morceau) => format!(
            "Le texte affiché ne contient pas « {morceau} », une partie visible du datagramme : \
             seuls les caractères de contrôle doivent changer d'aspect (un \\n écrit tel quel \
             coupe la ligne).\nTexte affiché : « {vu} »"
        ),
    }
}

/// Étape 3 : la réponse est le compte, sur 4 octets gros-boutistes.
pub fn serveur_3_reponse_gros_boutiste(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "réponse : le compte sur 4 octets, poids fort en premier");
    let (mut programme, adresse) = serveur_attache(&etape, binaire)?;
    let socket = socket_de_test(&etape)?;
    echange(
        &etape,
        &mut programme,
        &socket,
        adresse,
        "Combien d'octets dans ce datagramme ?".as_bytes(),
        "au datagramme du correcteur",
    )
}

/// Étape 3 bis : trois clients, sur trois ports, envoient chacun un
/// datagramme avant de lire : chacun doit recevoir sa propre réponse.
pub fn serveur_3_trois_clients(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "trois clients, chacun sa réponse");
    let (mut programme, adresse) = serveur_attache(&etape, binaire)?;
    let messages: [&[u8]; 3] = [b"un", b"deux, deux", b"trois, trois, trois"];
    let sockets = [
        socket_de_test(&etape)?,
        socket_de_test(&etape)?,
        socket_de_test(&etape)?,
    ];
    for (socket, message) in sockets.iter().zip(messages) {
        socket
            .envoyer(message, adresse)
            .map_err(|e| etape.echec_de(&programme, format!("Envoi impossible : {e}.")))?;
    }
    for (i, (socket, message)) in sockets.iter().zip(messages).enumerate() {
        let quoi = format!("au client {} ({})", i + 1, socket.adresse());
        let verification = socket
            .recevoir(&mut programme, DELAI_REPONSE)
            .map_err(|a| {
                // Arrêté avant le client suivant : il ne traite pas chaque datagramme.
                let arrete = matches!(a, Attente::Arrete(_));
                let diagnostic = sans_reponse(&etape, &programme, adresse.port(), a, &quoi);
                if arrete {
                    diagnostic.regle("R6")
                } else {
                    diagnostic
                }
            })
            .and_then(|recu| verifier_compte(&etape, &programme, &recu, adresse, message.len()));
        if let Err(diagnostic) = verification {
            return Err(ou_sont_parties_les_reponses(diagnostic, &sockets, i));
        }
    }
    Ok(())
}

/// Complète un diagnostic des trois clients, établi au client d'indice
/// `echec` : qui a reçu des réponses en trop ? Un client après lui n'a pas
/// encore été lu : une réponse dans sa file est la sienne.
fn ou_sont_parties_les_reponses(
    mut diagnostic: Diagnostic,
    sockets: &[SocketUdp],
    echec: usize,
) -> Diagnostic {
    for (i, socket) in sockets.iter().enumerate() {
        let recues = socket.vider().len();
        let en_trop = if i > echec {
            recues.saturating_sub(1)
        } else {
            recues
        };
        if en_trop > 0 {
            diagnostic.explication.push_str(&format!(
                "\nLe client {} ({}) a reçu {en_trop} réponse(s) de plus que la sienne.",
                i + 1,
                socket.adresse()
            ));
            diagnostic = diagnostic
                .indice(
                    "répondez à l'adresse que recv_from vient de rendre, pour ce datagramme-là, \
                     et non à une adresse gardée d'un datagramme précédent.",
                )
                .enfreint_par_defaut("R4");
        }
    }
    diagnostic
}

/// Étape 4 : un datagramme vide existe ; sa réponse est 0.
pub fn serveur_4_datagramme_vide(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "datagramme vide");
    let (mut programme, adresse) = serveur_attache(&etape, binaire)?;
    let socket = socket_de_test(&etape)?;
    echange(
        &etape,
        &mut programme,
        &socket,
        adresse,
        b"",
        "au datagramme vide",
    )
    .map_err(|mut d| {
        // La piste propre à ce cas passe avant les pistes générales.
        d.indices.insert(
            0,
            "en UDP, recevoir 0 octet signifie « datagramme vide », pas « fin de flux » : il \
             n'y a pas de connexion à fermer. Répondez 0 et continuez."
                .to_string(),
        );
        d.regle("R7")
    })?;
    let suite = echange(
        &etape,
        &mut programme,
        &socket,
        adresse,
        b"encore moi",
        "au datagramme qui suit le datagramme vide",
    );
    suite.map_err(|d| arrete_apres_un_datagramme(d, &mut programme))
}

/// Étape 4 bis : 2 000 et 65 507 octets, comptés exactement.
pub fn serveur_4_grands_datagrammes(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "grands datagrammes (2 000 et 65 507 octets)");
    let (mut programme, adresse) = serveur_attache(&etape, binaire)?;
    let socket = socket_de_test(&etape)?;
    for (rang, taille) in [2_000, TAILLE_MAX_DATAGRAMME].into_iter().enumerate() {
        let octets: Vec<u8> = (0..taille).map(|i| b'a' + (i % 26) as u8).collect();
        let resultat = echange(
            &etape,
            &mut programme,
            &socket,
            adresse,
            &octets,
            &format!("au datagramme de {taille} octets"),
        );
        resultat.map_err(|d| {
            let d = abreger_la_sortie(d);
            if rang > 0 {
                arrete_apres_un_datagramme(d, &mut programme)
            } else {
                d
            }
        })?;
    }
    Ok(())
}

/// Le serveur affiche les grands datagrammes en entier : dans le diagnostic,
/// une ligne de 2 000 caractères noierait l'essentiel.
fn abreger_la_sortie(mut diagnostic: Diagnostic) -> Diagnostic {
    const LARGEUR: usize = 200;
    for ligne in &mut diagnostic.sortie {
        if let Some((coupure, _)) = ligne.char_indices().nth(LARGEUR) {
            let total = ligne.chars().count();
            ligne.truncate(coupure);
            ligne.push_str(&format!("… ({total} caractères en tout)"));
        }
    }
    diagnostic
}

/// Étape 4 ter : des octets qui ne sont pas de l'UTF-8 n'arrêtent pas le serveur.
pub fn serveur_4_utf8_invalide(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "octets qui ne sont pas de l'UTF-8");
    let (mut programme, adresse) = serveur_attache(&etape, binaire)?;
    let socket = socket_de_test(&etape)?;
    let indice = "un datagramme peut contenir n'importe quels octets : affichez-le avec \
                  String::from_utf8_lossy, qui remplace les octets invalides, et répondez.";
    echange(
        &etape,
        &mut programme,
        &socket,
        adresse,
        b"\xff\xfe pas de l'UTF-8 \xc3",
        "au datagramme invalide en UTF-8",
    )
    .map_err(|d| d.indice(indice).enfreint_par_defaut("R3"))?;
    let suite = echange(
        &etape,
        &mut programme,
        &socket,
        adresse,
        "et maintenant de l'UTF-8 valide".as_bytes(),
        "au datagramme suivant",
    );
    suite.map_err(|d| arrete_apres_un_datagramme(d.indice(indice), &mut programme))
}

/// Un serveur qui a répondu à un datagramme, puis s'est terminé avec le
/// code 0 sans répondre au suivant, n'a pas de boucle : un datagramme traité
/// l'a arrêté (R6), quel que soit ce datagramme.
fn arrete_apres_un_datagramme(diagnostic: Diagnostic, programme: &mut Programme) -> Diagnostic {
    match programme.statut() {
        Some(statut) if statut.success() => diagnostic.enfreint_par_defaut("R6"),
        _ => diagnostic,
    }
}

// ─── Le client de l'étudiant ───────────────────────────────────────────────

/// Le message envoyé par le client testé : des accents, pour que les octets
/// (UTF-8) et les caractères ne se comptent pas pareil.
const MESSAGE: &str = "Bonjour serveur, réponds-moi vite !";

/// Lance le client vers la socket `serveur` du correcteur.
fn lancer_client(
    etape: &Etape,
    binaire: &Path,
    serveur: &SocketUdp,
) -> Result<Programme, Diagnostic> {
    lancer_client_avec_delai(etape, binaire, serveur, DELAI_CLIENT_MS)
}

/// Lance le client vers la socket `serveur` du correcteur, avec `--delai delai_ms`.
fn lancer_client_avec_delai(
    etape: &Etape,
    binaire: &Path,
    serveur: &SocketUdp,
    delai_ms: u64,
) -> Result<Programme, Diagnostic> {
    etape.lancer(
        binaire,
        "client",
        &[
            "client",
            "--delai",
            &delai_ms.to_string(),
            "127.0.0.1",
            &serveur.port().to_string(),
            MESSAGE,
        ],
    )
}

/// Attend une requête du client, au plus `delai`, et la compare au message.
/// `absente` explique une requête qui n'est pas venue.
fn requete(
    etape: &Etape,
    programme: &mut Programme,
    serveur: &SocketUdp,
    delai: Duration,
    laquelle: &str,
    absente: impl FnOnce(Attente, &Programme) -> Diagnostic,
) -> Result<SocketAddr, Diagnostic> {
    let (octets, de) = match serveur.recevoir(programme, delai) {
        Ok(recu) => recu,
        Err(attente) => return Err(absente(attente, programme)),
    };
    if octets == MESSAGE.as_bytes() {
        return Ok(de);
    }
    Err(etape
        .echec_de(
            programme,
            format!("La {laquelle} requête du client n'est pas le message demandé."),
        )
        .ecart(MESSAGE, octets)
        .indice(
            "le datagramme contient le MESSAGE reçu en argument, tel quel, en UTF-8 : sans \
             « \\n » ni octet nul, en un seul send_to.",
        )
        .regle("R9"))
}

/// Le diagnostic d'une requête qui n'est pas venue (ou pas comme prévu).
fn requete_absente(
    etape: &Etape,
    programme: &Programme,
    attente: Attente,
    port: u16,
) -> Diagnostic {
    match attente {
        Attente::Arrete(statut) => etape.echec_de(
            programme,
            format!(
                "Le client s'est arrêté ({}) sans envoyer de datagramme au port UDP {port}.",
                statut_en_clair(statut)
            ),
        ),
        Attente::Delai => etape.echec_de(
            programme,
            format!(
                "Le client n'a envoyé aucun datagramme au port UDP {port} en {} s.",
                DELAI_DEMARRAGE.as_secs()
            ),
        ),
        Attente::Erreur(e) => etape.echec_de(
            programme,
            format!("Erreur en attendant la requête du client : {e}."),
        ),
    }
}

/// Lance le client et reçoit sa première requête.
fn client_et_requete(
    etape: &Etape,
    binaire: &Path,
) -> Result<(Programme, SocketUdp, SocketAddr), Diagnostic> {
    let serveur = socket_de_test(etape)?;
    let mut programme = lancer_client(etape, binaire, &serveur)?;
    let port = serveur.port();
    let de = requete(
        etape,
        &mut programme,
        &serveur,
        DELAI_DEMARRAGE,
        "première",
        |a, p| requete_absente(etape, p, a, port),
    )?;
    Ok((programme, serveur, de))
}

/// Répond au client comme le ferait le serveur du chapitre.
fn repondre(
    etape: &Etape,
    programme: &Programme,
    depuis: &SocketUdp,
    vers: SocketAddr,
    compte: u32,
) -> Result<(), Diagnostic> {
    depuis.envoyer(&compte.to_be_bytes(), vers).map_err(|e| {
        etape.echec_de(
            programme,
            format!("Le correcteur n'a pas pu répondre : {e}."),
        )
    })
}

/// Vérifie que le client affiche `réponse : N` puis se termine avec le code 0.
fn affiche_la_reponse(
    etape: &Etape,
    programme: &mut Programme,
    indice: &str,
) -> Result<(), Diagnostic> {
    let ligne = format!("réponse : {}", MESSAGE.len());
    etape
        .lignes_affichees(programme, &[&ligne], indice)
        .map_err(|d| {
            // Le bon compte, sous une autre forme : la règle de l'affichage.
            let compte = MESSAGE.len().to_string();
            let cite_le_compte = |texte: &str| {
                texte
                    .split(|c: char| !c.is_ascii_digit())
                    .any(|n| n == compte)
            };
            let sortie = format!("[{}] ", programme.role);
            let autre_forme = d
                .ecart
                .as_ref()
                .is_some_and(|(_, recu)| cite_le_compte(&String::from_utf8_lossy(recu)))
                || d.sortie
                    .iter()
                    .any(|l| l.strip_prefix(&sortie).is_some_and(cite_le_compte));
            if autre_forme {
                d.enfreint_par_defaut("R13")
            } else {
                d
            }
        })?;
    etape.fin_normale(programme)
}

/// Étape 1 : le client envoie le message, en un datagramme, au serveur donné.
pub fn client_1_envoi(binaire: &Path) -> Result<(), Diagnostic> {
    client_et_requete(&client(1, "envoi de la requête"), binaire).map(|_| ())
}

/// Étape 1 bis : HÔTE peut être une adresse IPv6, `::1`. Le client ouvre
/// alors sa socket dans la famille IPv6 et sa requête arrive au serveur
/// `[::1]`. Sans boucle locale IPv6 sur la machine, l'étape ne peut rien
/// vérifier : elle le signale (voir [`crate::non_verifiable`]).
pub fn client_1_ipv6(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(1, "serveur en IPv6 (::1)");
    let Some(serveur) = SocketUdp::ouvrir_ipv6() else {
        crate::non_verifiable::signaler(&format!(
            "{TP} · client · étape 1 — serveur en IPv6 : non vérifiable sur cette machine, elle \
             n'a pas de boucle locale IPv6 (::1)."
        ));
        return Ok(());
    };
    let port = serveur.port();
    let mut programme = etape.lancer(
        binaire,
        "client",
        &[
            "client",
            "--delai",
            &DELAI_CLIENT_MS.to_string(),
            "::1",
            &port.to_string(),
            MESSAGE,
        ],
    )?;
    requete(
        &etape,
        &mut programme,
        &serveur,
        DELAI_DEMARRAGE,
        "première",
        |a, p| {
            let diagnostic = requete_absente(&etape, p, a, port);
            if p.erreurs().contains("not yet implemented") {
                // Un todo!() : l'indice du diagnostic suffit.
                return diagnostic;
            }
            diagnostic
                .indice(
                    "HÔTE vaut ici ::1, une adresse IPv6 : une socket IPv4 (attachée à 0.0.0.0) \
                     ne peut pas lui écrire, send_to échoue. Ouvrez la socket du client dans la \
                     famille de l'adresse du serveur : Ipv6Addr::UNSPECIFIED si elle est IPv6.",
                )
                .regle("R17")
        },
    )
    .map(|_| ())
}

/// Étape 2 : la réponse (4 octets gros-boutistes) est affichée, puis le
/// client se termine avec le code 0.
pub fn client_2_reponse(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(2, "réception et affichage de la réponse");
    let (mut programme, serveur, de) = client_et_requete(&etape, binaire)?;
    repondre(&etape, &programme, &serveur, de, MESSAGE.len() as u32)?;
    affiche_la_reponse(
        &etape,
        &mut programme,
        "la réponse fait 4 octets, poids fort en premier : u32::from_be_bytes. Affichez \
         « réponse : N ».",
    )
    .map_err(|d| d.regle("R13"))
}

/// Étape 3 : la première requête est perdue ; le client la renvoie après
/// son délai, et la seconde obtient la réponse.
pub fn client_3_relance(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "requête perdue, puis relance");
    let (mut programme, serveur, _) = client_et_requete(&etape, binaire)?;
    // Le correcteur « perd » la première requête : il ne répond pas.
    let attente = Duration::from_millis(DELAI_CLIENT_MS) + DELAI_REPONSE;
    let port = serveur.port();
    let de = requete(
        &etape,
        &mut programme,
        &serveur,
        attente,
        "deuxième",
        |a, p| pas_de_relance(&etape, p, a, attente, port),
    )?;
    repondre(&etape, &programme, &serveur, de, MESSAGE.len() as u32)?;
    affiche_la_reponse(
        &etape,
        &mut programme,
        "la réponse à la deuxième requête doit suffire : affichez-la et terminez.",
    )
}

/// Le diagnostic d'un client qui ne renvoie pas sa requête perdue.
fn pas_de_relance(
    etape: &Etape,
    programme: &Programme,
    attente: Attente,
    duree: Duration,
    port: u16,
) -> Diagnostic {
    match attente {
        Attente::Arrete(statut) => etape
            .echec_de(
                programme,
                format!(
                    "La première requête s'est perdue (le correcteur n'y a pas répondu), et \
                     le client s'est arrêté ({}) sans la renvoyer.",
                    statut_en_clair(statut)
                ),
            )
            .indice(format!(
                "UDP n'accuse pas réception et ne renvoie rien : après le délai sans \
                 réponse, renvoyez la requête ({ESSAIS} essais en tout) avant d'abandonner."
            ))
            .regle("R11"),
        Attente::Delai => etape
            .echec_de(
                programme,
                format!(
                    "La première requête s'est perdue (le correcteur n'y a pas répondu). {} s \
                     plus tard, le client n'a toujours rien renvoyé et tourne encore : il \
                     attend une réponse qui ne viendra jamais.",
                    format!("{:.1}", duree.as_secs_f32()).replace('.', ",")
                ),
            )
            .indice(format!(
                "sans délai de lecture, recv_from attend pour toujours. Réglez-le avec \
                 set_read_timeout (le délai reçu par --delai, ici {DELAI_CLIENT_MS} ms) : \
                 recv_from rend alors une erreur WouldBlock ou TimedOut, et vous pouvez \
                 renvoyer la requête."
            ))
            .regle("R10"),
        autre => requete_absente(etape, programme, autre, port),
    }
}

/// Étape 3 ter : `--delai` est obéi. Avec un délai plus long que celui par
/// défaut, la relance d'une requête perdue ne vient pas avant : un client qui
/// ignore l'option et garde sa propre constante relance trop tôt. (Le
/// correcteur mesure seulement un minimum : un programme ralenti par une
/// machine chargée relance plus tard, jamais plus tôt.)
pub fn client_3_delai_respecte(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "--delai est obéi");
    let serveur = socket_de_test(&etape)?;
    let mut programme = lancer_client_avec_delai(&etape, binaire, &serveur, DELAI_LONG_MS)?;
    let port = serveur.port();
    requete(
        &etape,
        &mut programme,
        &serveur,
        DELAI_DEMARRAGE,
        "première",
        |a, p| requete_absente(&etape, p, a, port),
    )?;
    let premiere = Instant::now();
    // Le correcteur « perd » la première requête et attend la relance.
    let attente = Duration::from_millis(DELAI_LONG_MS) + DELAI_REPONSE;
    let de = requete(
        &etape,
        &mut programme,
        &serveur,
        attente,
        "deuxième",
        |a, p| pas_de_relance(&etape, p, a, attente, port),
    )?;
    let ecart = premiere.elapsed();
    if ecart < Duration::from_millis(RELANCE_AU_PLUS_TOT_MS) {
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Lancé avec --delai {DELAI_LONG_MS}, le client a renvoyé sa requête {} ms \
                     après la première : il n'a pas attendu les {DELAI_LONG_MS} ms demandées.",
                    ecart.as_millis()
                ),
            )
            .indice(
                "bornez chaque attente avec la durée reçue en argument (le paramètre delai de \
                 lancer, lu par main dans --delai), pas avec une constante : \
                 set_read_timeout(Some(reste)).",
            )
            .regle("R10"));
    }
    repondre(&etape, &programme, &serveur, de, MESSAGE.len() as u32)?;
    affiche_la_reponse(
        &etape,
        &mut programme,
        "la réponse à la deuxième requête doit suffire : affichez-la et terminez.",
    )
}

/// Étape 3 bis : sans serveur, le client abandonne après ses essais, avec
/// un message en français et un code non nul.
pub fn client_3_sans_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "aucune réponse : abandon");
    // Une socket attachée qui ne répond jamais : le client n'en saura rien,
    // comme face à un serveur arrêté ou à un réseau qui perd tout.
    let muet = socket_de_test(&etape)?;
    let mut programme = lancer_client(&etape, binaire, &muet)?;
    let Some(statut) = programme.attendre_fin(DELAI_DEMARRAGE) else {
        // Plus d'essais que prévu : la règle des relances ; sinon, une
        // attente sans borne : la règle du délai.
        let envoyees = muet.vider().len();
        let (regle, indice) = if envoyees > ESSAIS {
            (
                "R11",
                format!("{ESSAIS} essais en tout, pas plus : après le dernier, abandonnez."),
            )
        } else {
            (
                "R10",
                "chaque attente de réponse doit être bornée : set_read_timeout.".to_string(),
            )
        };
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Personne ne répond, et le client tourne encore après {} s (avec --delai \
                     {DELAI_CLIENT_MS} et {ESSAIS} essais, il aurait dû abandonner après {} ms \
                     environ) ; il a envoyé {envoyees} requête(s).",
                    DELAI_DEMARRAGE.as_secs(),
                    DELAI_CLIENT_MS * ESSAIS as u64
                ),
            )
            .indice(indice)
            .enfreint(regle));
    };
    // Le programme est terminé : attendre que ses tubes soient fermés (borné)
    // plutôt que lire une fois une sortie d'erreur peut-être incomplète.
    if programme.attendre_erreur("panicked", DELAI_REPONSE) {
        return Err(etape
            .echec_de(&programme, "Sans réponse, le client a paniqué.")
            .indice(
                "l'absence de réponse est prévue : bail!(\"pas de réponse de …\"), pas de panique.",
            ));
    }
    if statut.success() {
        return Err(etape
            .echec_de(
                &programme,
                "Sans réponse, le client s'est terminé avec le code 0, comme si tout allait bien.",
            )
            .indice("un échec se signale par un code de sortie non nul : rendez une erreur.")
            .regle("R14"));
    }
    let requetes = muet.vider();
    if requetes.len() != ESSAIS {
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "Le client a envoyé {} requête(s) avant d'abandonner, au lieu de {ESSAIS}.",
                    requetes.len()
                ),
            )
            .indice(format!(
                "{ESSAIS} essais en tout : la requête, puis deux relances, chacune suivie \
                 d'une attente de --delai millisecondes."
            ))
            .enfreint("R11"));
    }
    if !programme.attendre_erreur("pas de réponse de ", DELAI_REPONSE) {
        return Err(etape
            .echec_de(
                &programme,
                "Sans réponse, le client doit le dire sur sa sortie d'erreur : « pas de réponse \
                 de ADRESSE… ».",
            )
            .indice("bail!(\"pas de réponse de {serveur} …\") : main l'affiche après « erreur : ».")
            .regle("R14"));
    }
    Ok(())
}

/// Étape 4 : un datagramme étranger (autre port) arrive avant la vraie
/// réponse ; le client doit l'ignorer.
pub fn client_4_datagramme_etranger(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(4, "datagramme étranger ignoré");
    let (mut programme, serveur, de) = client_et_requete(&etape, binaire)?;
    // Un intrus, sur un autre port de la même machine, répond le premier.
    let intrus = socket_de_test(&etape)?;
    repondre(&etape, &programme, &intrus, de, 4242)?;
    repondre(&etape, &programme, &serveur, de, MESSAGE.len() as u32)?;
    affiche_la_reponse(
        &etape,
        &mut programme,
        &format!(
            "un intrus ({}) a envoyé 4242 avant la vraie réponse du serveur ({}). Votre socket \
             reçoit les datagrammes de n'importe qui : comparez l'adresse rendue par recv_from \
             à celle du serveur, et ignorez les autres.",
            intrus.adresse(),
            serveur.adresse()
        ),
    )
    .map_err(|d| d.enfreint_par_defaut("R12"))
}

// ─── Les deux ensemble ─────────────────────────────────────────────────────

/// Le client de l'étudiant contre son propre serveur.
pub fn croise_client_et_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = Etape {
        tp: TP,
        cote: Cote::Croise,
        numero: 1,
        nom: "votre client avec votre serveur",
    };
    let (serveur, adresse) = serveur_attache(&etape, binaire)?;
    let mut client = etape.lancer(
        binaire,
        "client",
        &[
            "client",
            "--delai",
            &DELAI_CLIENT_MS.to_string(),
            "127.0.0.1",
            &adresse.port().to_string(),
            MESSAGE,
        ],
    )?;
    let ligne = format!("réponse : {}", MESSAGE.len());
    etape
        .lignes_affichees(
            &client,
            &[&ligne],
            "le client affiche la réponse de votre serveur.",
        )
        .and_then(|()| etape.fin_normale(&mut client))
        .map_err(|d| d.sortie(serveur.dernieres_lignes()))?;
    let affichee = format!(" : {MESSAGE}");
    let prefixe = format!("[serveur] reçu de {BOUCLE_LOCALE}:");
    // Le serveur peut répondre avant d'afficher : on attend la ligne.
    if !udp::attendre_ligne_telle(
        &serveur,
        |l| l.starts_with(&prefixe) && l.ends_with(&affichee),
        DELAI_REPONSE,
    ) {
        return Err(etape
            .echec_de(
                &serveur,
                "Le serveur n'a pas affiché le datagramme du client.",
            )
            .indice(format!("attendu : « reçu de 127.0.0.1:PORT{affichee} »."))
            .sortie(client.dernieres_lignes()));
    }
    Ok(())
}
