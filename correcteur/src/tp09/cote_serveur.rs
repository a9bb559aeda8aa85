//! Les étapes du serveur de l'étudiant : le correcteur joue le client.

use std::io::Read;
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use super::{
    DEBUT_ANNONCE, LONGUEUR_MAX, PAUSE_ENTRE_OCTETS, affichee, annonce, bienvenue,
    completer_si_parti, echec_explique, envoi_interrompu, envoyer_morceau_par_morceau,
    fermer_l_ecriture, fin_de_l_echange, lignes_du_client, serveur,
};
use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_DEMARRAGE, DELAI_REPONSE, Etape};
use crate::processus::Programme;
use crate::reseau::{self, Injoignable, Lecteur};
use crate::table_des_sockets::{self, Reponse};

/// Lance le serveur sur un port libre et s'y connecte.
fn serveur_connecte(
    etape: &Etape,
    binaire: &Path,
) -> Result<(Programme, Lecteur, u16), Diagnostic> {
    let port = reseau::port_libre();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    let flux = etape
        .connecter(&mut programme, port)
        .map_err(|d| d.enfreint("R1"))?;
    Ok((programme, Lecteur::new(flux), port))
}

/// Lance le serveur, s'y connecte et lit sa bienvenue.
fn serveur_accueillant(
    etape: &Etape,
    binaire: &Path,
) -> Result<(Programme, Lecteur, u16), Diagnostic> {
    let (mut programme, mut lecteur, port) = serveur_connecte(etape, binaire)?;
    lire_bienvenue(etape, &mut lecteur, &mut programme, port)?;
    Ok((programme, lecteur, port))
}

/// Lit la bienvenue : des octets faux enfreignent R6 ; un silence, alors
/// que le correcteur n'envoie rien, est un interblocage (R7).
fn lire_bienvenue(
    etape: &Etape,
    lecteur: &mut Lecteur,
    programme: &mut Programme,
    port: u16,
) -> Result<(), Diagnostic> {
    let silence = format!(
        "Le serveur a accepté la connexion mais n'a rien envoyé en {} s, alors que le \
         correcteur, lui, attend sans rien envoyer : chacun attend l'autre, c'est un interblocage.",
        DELAI_REPONSE.as_secs()
    );
    etape
        .lire_ligne(lecteur, programme, bienvenue(port).as_bytes(), &silence)
        .map_err(|d| {
            let regle = if d.explication == silence { "R7" } else { "R6" };
            completer_si_parti(d, lecteur, programme)
                .indice(format!(
                    "juste après accept(), envoyez la ligne de bienvenue avec write_all, avant \
                 toute lecture ; le port cité est celui où le serveur écoute ({port})."
                ))
                .enfreint(regle)
        })
}

/// Étape 1 : le serveur écoute sur le port reçu en argument (R1), sur
/// toutes les interfaces (R2), et l'annonce (R3). Un programme qui a
/// annoncé son port puis s'est arrêté sur le `todo!()` de l'étape 2 a fini
/// l'étape 1 : voir [`Etape::ecoute_au_demarrage`].
pub fn serveur_1_ecoute(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "écoute sur le port donné");
    let port = reseau::port_libre();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    // Connecté, le correcteur tient le serveur en attente de ses lignes :
    // sa socket d'écoute est encore là, et la table des sockets dit à
    // quelle adresse elle est attachée.
    match reseau::connecter(port, &mut programme, DELAI_DEMARRAGE) {
        Ok(_flux) => {
            if let Reponse::Adresses(adresses) = table_des_sockets::tcp_en_ecoute(port) {
                toutes_les_interfaces(&etape, &programme, port, &adresses)?;
            }
        }
        // Il a annoncé son port, puis s'est arrêté sur le todo!() de l'étape 2 : étape 1 faite.
        Err(Injoignable::Arrete(_))
            if etape.arrete_plus_loin(&programme)
                && programme
                    .attendre_lignes(&[&annonce(port)], DELAI_REPONSE)
                    .is_ok() => {}
        Err(raison) => {
            return Err(etape
                .serveur_injoignable(raison, &programme, port)
                .enfreint("R1"));
        }
    }
    programme
        .attendre_lignes(&[&annonce(port)], DELAI_REPONSE)
        .map_err(|(attendue, recue)| {
            etape
                .echec_de(
                    &programme,
                    "Le serveur écoute, mais ne l'a pas annoncé comme le chapitre le demande.",
                )
                .ecart(attendue, recue.unwrap_or_default())
                .indice("une fois en écoute, affichez le port réellement attaché (local_addr).")
                .enfreint("R3")
        })
}

/// R2 : le serveur écoute sur toutes les interfaces (0.0.0.0).
fn toutes_les_interfaces(
    etape: &Etape,
    programme: &Programme,
    port: u16,
    adresses: &[IpAddr],
) -> Result<(), Diagnostic> {
    if adresses.is_empty() || adresses.iter().all(IpAddr::is_unspecified) {
        return Ok(());
    }
    let liste: Vec<String> = adresses.iter().map(IpAddr::to_string).collect();
    Err(etape
        .echec_de(
            programme,
            format!(
                "Le serveur écoute sur le port {port}, mais à l'adresse {} (table des sockets) : \
                 seuls les clients de cette adresse-là peuvent le joindre, pas ceux des autres \
                 interfaces de la machine.",
                liste.join(", ")
            ),
        )
        .indice("attachez la socket à 0.0.0.0 (Ipv4Addr::UNSPECIFIED), toutes les interfaces.")
        .enfreint("R2"))
}

/// Étape 1 : lancé sur le port 0, le serveur écoute sur le port que le
/// système a choisi, et c'est ce port-là qu'il annonce (R3).
pub fn serveur_1_port_zero(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "port 0 : le port choisi par le système est annoncé");
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", "0"])?;
    let port = port_annonce(&etape, &mut programme)?;
    match reseau::connecter(port, &mut programme, DELAI_DEMARRAGE) {
        // Il écoute bien là où il l'annonce. (La bienvenue est l'affaire de l'étape 2.)
        Ok(_flux) => Ok(()),
        Err(Injoignable::Arrete(_)) if etape.arrete_plus_loin(&programme) => Ok(()),
        Err(raison) => Err(etape
            .injoignable(
                raison,
                &programme,
                &format!("d'écouter sur le port {port}, celui qu'il a annoncé"),
            )
            .indice(
                "avec le port 0, bind laisse le noyau choisir : relisez le port obtenu avec \
                 local_addr() et annoncez celui-là.",
            )
            .enfreint("R3")),
    }
}

/// Attend l'annonce et rend le port qu'elle cite (R3).
fn port_annonce(etape: &Etape, programme: &mut Programme) -> Result<u16, Diagnostic> {
    let limite = Instant::now() + DELAI_DEMARRAGE;
    let prefixe = format!("[{}] {DEBUT_ANNONCE}", programme.role);
    loop {
        // Le statut d'abord : un programme arrêté a fini d'écrire, et
        // dernieres_lignes attend alors que tout soit recueilli.
        let arrete = programme.statut().is_some();
        let annonce = programme
            .dernieres_lignes()
            .into_iter()
            .find_map(|l| l.strip_prefix(&prefixe).map(str::to_string));
        if let Some(numero) = annonce {
            return match numero.parse::<u16>() {
                Ok(port) if port != 0 => Ok(port),
                _ => Err(etape
                    .echec_de(
                        programme,
                        format!(
                            "Lancé avec le port 0, le serveur annonce le port « {numero} » : \
                             c'est l'argument recopié, pas le port que le système a choisi."
                        ),
                    )
                    .indice(
                        "après bind, relisez le port réellement attaché avec local_addr() : \
                         c'est lui qu'il faut annoncer, et citer dans la bienvenue.",
                    )
                    .enfreint("R3")),
            };
        }
        if arrete || Instant::now() >= limite {
            let constat = if arrete {
                "s'est arrêté sans annoncer".to_string()
            } else {
                format!("n'a pas annoncé en {} s", DELAI_DEMARRAGE.as_secs())
            };
            return Err(etape
                .echec_de(
                    programme,
                    format!("Lancé avec le port 0, le serveur {constat} « {DEBUT_ANNONCE}PORT »."),
                )
                .enfreint("R3"));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Étape 1 : le port est déjà pris par une autre socket en écoute : le
/// serveur l'explique et s'arrête avec le code 1 (R4).
pub fn serveur_1_port_pris(binaire: &Path) -> Result<(), Diagnostic> {
    crate::arret_explique::serveur_sur_un_port_pris_et_son_port(
        &serveur(1, "port déjà pris"),
        binaire,
        &[],
        "R4",
    )
    .map_err(|(d, port)| sur_le_port_demande(d, port, "R4"))
}

/// Nomme R1 plutôt que `regle` si le serveur a annoncé un autre port que
/// `port`, celui qu'il a reçu : il ignore l'argument, et c'est pour cela que
/// l'étape, qui l'attendait sur `port`, échoue.
fn sur_le_port_demande(diagnostic: Diagnostic, port: u16, regle: &'static str) -> Diagnostic {
    let prefixe = format!("[serveur] {DEBUT_ANNONCE}");
    let annonce = diagnostic
        .sortie
        .iter()
        .find_map(|ligne| ligne.strip_prefix(&prefixe)?.trim().parse::<u16>().ok());
    match annonce {
        Some(autre) if autre != port => diagnostic
            .indice(format!(
                "le serveur annonce le port {autre}, pas le port {port} reçu en argument : \
                 c'est celui-là qu'il doit attacher."
            ))
            .enfreint("R1"),
        _ => diagnostic.enfreint(regle),
    }
}

/// Étape 1 : une connexion fermée d'abord par le côté serveur reste en
/// TIME_WAIT sur son port, environ une minute : c'est le cas d'un serveur
/// qu'on relance aussitôt. Le correcteur en laisse une sur le port, puis
/// lance le serveur, qui doit y écouter quand même (R24 : SO_REUSEADDR).
pub fn serveur_1_redemarrage(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "relancé sur un port encore en TIME_WAIT");
    let port = reseau::port_libre();
    laisser_en_time_wait(port).map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu préparer une connexion en TIME_WAIT sur le port {port} : {e}."
        ))
    })?;
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    etape
        .ecoute_au_demarrage(&mut programme, port)
        .map_err(|d| {
            let d = sur_le_port_demande(d, port, "R24");
            if d.regle == Some("R1") {
                return d;
            }
            d.indice(
                "une connexion que le serveur a fermée la première reste environ une minute en \
             TIME_WAIT sur son port : sans SO_REUSEADDR (set_reuse_address(true) avant bind), \
             bind échoue (« Address already in use »).",
            )
        })
}

/// Ouvre une connexion sur 127.0.0.1:`port` et la ferme d'abord du côté
/// qui écoute : ce côté-là passe en TIME_WAIT, attaché au port. (Le
/// `TcpListener` de la bibliothèque standard pose SO_REUSEADDR, comme un
/// serveur du chapitre : la connexion finissante garde cette option.)
///
/// Ces sockets sont provisoires : aucun processus n'est lancé pendant leur
/// vie, il en garderait une copie (voir `lancement`).
fn laisser_en_time_wait(port: u16) -> std::io::Result<()> {
    crate::lancement::sans_lancement(|| {
        let ecoute = TcpListener::bind((reseau::BOUCLE_LOCALE, port))?;
        let mut client = TcpStream::connect((reseau::BOUCLE_LOCALE, port))?;
        let (service, _) = ecoute.accept()?;
        drop(service);
        // Le client lit la fin de flux, puis ferme à son tour.
        client.set_read_timeout(Some(DELAI_REPONSE))?;
        client.read_to_end(&mut Vec::new())
    })?;
    attendre_que_personne_n_ecoute(port)
}

/// Le serveur lancé ensuite doit trouver le port sans LISTEN, sinon il
/// échouerait, SO_REUSEADDR ou pas. Le verrou des lancements en écarte les
/// copies faites par ce correcteur ; un processus lancé autrement dans ce
/// test (par le code du test lui-même) en garderait une jusqu'à son exec.
/// On attend donc, borné, qu'une connexion vers le port soit refusée.
fn attendre_que_personne_n_ecoute(port: u16) -> std::io::Result<()> {
    let adresse = (reseau::BOUCLE_LOCALE, port).into();
    let limite = Instant::now() + DELAI_DEMARRAGE;
    loop {
        match TcpStream::connect_timeout(&adresse, DELAI_REPONSE) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return Ok(()),
            _ if Instant::now() >= limite => {
                return Err(std::io::Error::other(format!(
                    "une socket écoute encore sur ce port {} s après sa fermeture",
                    DELAI_DEMARRAGE.as_secs()
                )));
            }
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Étape 2 : dès la connexion acceptée, la ligne de bienvenue, exacte (R6,
/// R7), et l'adresse du client affichée (R5).
pub fn serveur_2_bienvenue(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(2, "message de bienvenue");
    let (programme, mut lecteur, _) = serveur_accueillant(&etape, binaire)?;
    let client = lecteur
        .flux()
        .local_addr()
        .map_err(|e| etape.echec(format!("Adresse du correcteur illisible : {e}.")))?;
    let attendue = format!("Client connecté depuis {client}");
    programme
        .attendre_lignes(&[&attendue], DELAI_REPONSE)
        .map_err(|(attendue, recue)| {
            etape
                .echec_de(
                    &programme,
                    "Après accept(), le serveur n'a pas affiché l'adresse du client connecté.",
                )
                .ecart(attendue, recue.unwrap_or_default())
                .indice("accept() rend aussi l'adresse et le port du client : affichez-les.")
                .enfreint("R5")
        })
}

/// Envoie `octets` au serveur testé, par morceaux de `taille` octets, et
/// vérifie qu'il affiche `attendues` (R8, ou `regle`).
fn serveur_affiche(
    etape: Etape,
    binaire: &Path,
    octets: impl Fn(u16) -> Vec<u8>,
    attendues: impl Fn(u16) -> Vec<String>,
    (taille, pause): (usize, Duration),
    (regle, indice): (&'static str, &str),
) -> Result<(), Diagnostic> {
    let (mut programme, mut lecteur, port) = serveur_accueillant(&etape, binaire)?;
    let octets = octets(port);
    let envoi = envoyer_morceau_par_morceau(
        &mut lecteur,
        &mut programme,
        octets.chunks(taille.max(1)),
        pause,
    );
    let attendues = attendues(port);
    let attendues: Vec<&str> = attendues.iter().map(String::as_str).collect();
    etape
        .lignes_affichees(&programme, &attendues, indice)
        .map_err(|d| {
            let d = envoi_interrompu(d, envoi);
            if regle != "R8" && ligne_perdue(&programme, &attendues) {
                d.indice(INDICE_LIGNE_PERDUE).enfreint("R8")
            } else {
                d.enfreint(regle)
            }
        })
}

/// Vrai si le serveur a affiché la première ligne attendue, mais pas la
/// suivante : une ligne reçue puis perdue, ce qu'interdit R8, quelle que
/// soit la règle que vérifie l'étape (les deux lignes arrivent ensemble).
/// (Le délai d'attente de l'étape est déjà écoulé : ce qui est affiché l'est.)
fn ligne_perdue(programme: &Programme, attendues: &[&str]) -> bool {
    attendues.len() > 1
        && programme
            .attendre_lignes(&attendues[..1], Duration::ZERO)
            .is_ok()
}

const INDICE_LIGNE_PERDUE: &str = "la première ligne est affichée, pas la suivante : arrivées \
     ensemble, les deux lignes ont été lues d'un coup, et la seconde s'est perdue (un BufReader \
     jeté avec ce qu'il avait en réserve, un read pris pour une seule ligne).";

/// Les deux lignes du protocole, telles que le serveur doit les afficher.
fn deux_lignes_affichees(port: u16) -> Vec<String> {
    lignes_du_client(port)
        .iter()
        .map(|l| affichee(l).to_string())
        .collect()
}

const INDICE_FLUX: &str = "TCP transporte un flux d'octets, pas des messages : un read() peut \
     rendre un morceau de ligne ou plusieurs lignes collées. Lisez jusqu'au « \\n » avec un seul \
     BufReader gardé pour toute la connexion (read_line).";

/// Étape 3 : les deux lignes arrivent d'un seul bloc (un seul segment TCP).
pub fn serveur_3_lignes_d_un_bloc(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_affiche(
        serveur(3, "deux lignes reçues d'un seul bloc"),
        binaire,
        |port| lignes_du_client(port).concat().into_bytes(),
        deux_lignes_affichees,
        (usize::MAX, Duration::ZERO),
        ("R8", INDICE_FLUX),
    )
}

/// Étape 3 bis : les deux lignes arrivent octet par octet.
pub fn serveur_3_lignes_octet_par_octet(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_affiche(
        serveur(3, "deux lignes reçues octet par octet"),
        binaire,
        |port| lignes_du_client(port).concat().into_bytes(),
        deux_lignes_affichees,
        (1, PAUSE_ENTRE_OCTETS),
        ("R8", INDICE_FLUX),
    )
}

/// Étape 3 : des lignes finies par `\r\n` (celles de `nc -C`) s'affichent
/// sans leur `\r` (R9).
pub fn serveur_3_fin_de_ligne_crlf(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_affiche(
        serveur(3, "lignes terminées par « \\r\\n »"),
        binaire,
        |port| {
            lignes_du_client(port)
                .iter()
                .map(|l| format!("{}\r\n", affichee(l)))
                .collect::<String>()
                .into_bytes()
        },
        deux_lignes_affichees,
        (usize::MAX, Duration::ZERO),
        (
            "R9",
            "un client comme « nc -C » finit ses lignes par « \\r\\n » : retirez le « \\r » \
             qui précède le « \\n », il ne fait pas partie du message.",
        ),
    )
}

/// Étape 3 : une ligne de 4096 octets tout juste, `\n` compris, est
/// acceptée et affichée (R10).
pub fn serveur_3_ligne_de_4096_octets(binaire: &Path) -> Result<(), Diagnostic> {
    let longue = "a".repeat(LONGUEUR_MAX - 1);
    serveur_affiche(
        serveur(3, "une ligne de 4096 octets tout juste"),
        binaire,
        |port| format!("{longue}\n{}", lignes_du_client(port)[1]).into_bytes(),
        |port| {
            vec![
                longue.clone(),
                affichee(&lignes_du_client(port)[1]).to_string(),
            ]
        },
        (usize::MAX, Duration::ZERO),
        (
            "R10",
            "une ligne compte au plus 4096 octets, « \\n » compris : celle-ci (4095 octets et \
             son « \\n ») est permise. Bornez la lecture à 4096 octets, pas moins.",
        ),
    )
}

/// Envoie `octets` au serveur accueillant, puis attend qu'il s'arrête en
/// expliquant le problème (code 1). Si `fermer`, le correcteur ferme
/// ensuite son côté.
fn serveur_refuse(
    etape: Etape,
    binaire: &Path,
    octets: impl Fn(u16) -> Vec<u8>,
    fermer: bool,
    (situation, regle, indice): (&str, &'static str, &str),
) -> Result<(), Diagnostic> {
    let (mut programme, mut lecteur, port) = serveur_accueillant(&etape, binaire)?;
    // Une écriture refusée (le serveur est déjà parti) n'est pas une faute.
    let _ = reseau::envoyer(lecteur.flux(), &octets(port));
    if fermer {
        fermer_l_ecriture(&mut lecteur);
    }
    let resultat = echec_explique(&etape, &mut programme, situation, regle, DELAI_REPONSE)
        .map_err(|d| d.indice(indice));
    drop(lecteur);
    resultat
}

/// Étape 3 : une ligne de 4097 octets, `\n` compris (un de plus que la
/// limite), suivie d'une seconde ligne valide : le serveur refuse, code 1 (R10).
pub fn serveur_3_ligne_trop_longue(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_refuse(
        serveur(3, "une ligne de 4097 octets"),
        binaire,
        |port| {
            format!(
                "{}\n{}",
                "a".repeat(LONGUEUR_MAX),
                lignes_du_client(port)[1]
            )
            .into_bytes()
        },
        false,
        (
            "Le correcteur a envoyé une ligne de 4097 octets, « \\n » compris",
            "R10",
            "bornez la lecture d'une ligne (take(4096) avant read_until) : sans « \\n » dans \
             les 4096 premiers octets, ce n'est plus une ligne du protocole.",
        ),
    )
}

/// Étape 3 : le client ferme au milieu de la seconde ligne : le serveur le
/// dit et s'arrête avec le code 1 (R11).
pub fn serveur_3_client_parti_tot(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_refuse(
        serveur(3, "le client part au milieu de la seconde ligne"),
        binaire,
        |port| format!("{}Serveur {port}", lignes_du_client(port)[0]).into_bytes(),
        true,
        (
            "Le correcteur a fermé la connexion au milieu de la seconde ligne (sans « \\n »)",
            "R11",
            "read_until rend 0 octet à la fin du flux, ou une ligne sans « \\n » si le flux \
             finit au milieu : dans les deux cas, la ligne attendue n'est pas venue.",
        ),
    )
}

/// Étape 3 : une ligne qui n'est pas de l'UTF-8 valide : le serveur le dit
/// et s'arrête avec le code 1 (R12).
pub fn serveur_3_utf8_invalide(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_refuse(
        serveur(3, "des octets qui ne sont pas de l'UTF-8"),
        binaire,
        |port| {
            let mut octets = b"Bonjour \xff\xfe\n".to_vec();
            octets.extend_from_slice(lignes_du_client(port)[1].as_bytes());
            octets
        },
        false,
        (
            "Le correcteur a envoyé une première ligne qui n'est pas de l'UTF-8 valide",
            "R12",
            "String::from_utf8 refuse ces octets : rendez cette erreur (?) au lieu de les \
             remplacer par « � » avec from_utf8_lossy.",
        ),
    )
}

/// Étape 4 : après la seconde ligne, le client du correcteur ferme son
/// côté, comme celui du chapitre ; le serveur ferme, n'a rien envoyé de
/// plus (R14), affiche « Connexion fermée. » et se termine (code 0, R13).
pub fn serveur_4_fermeture(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "fermeture de la connexion");
    let (mut programme, mut lecteur, port) = serveur_accueillant(&etape, binaire)?;
    reseau::envoyer(lecteur.flux(), lignes_du_client(port).concat().as_bytes()).map_err(|e| {
        etape.echec_de(
            &programme,
            format!("Le correcteur n'a pas pu envoyer les deux lignes : {e}."),
        )
    })?;
    fermer_l_ecriture(&mut lecteur);
    // Les deux lignes d'abord (R8) : un serveur qui en perd une s'arrête sur
    // une erreur, ce n'est pas sa fermeture qui est en faute.
    let attendues = deux_lignes_affichees(port);
    let attendues: Vec<&str> = attendues.iter().map(String::as_str).collect();
    etape
        .lignes_affichees(&programme, &attendues, INDICE_FLUX)
        .map_err(|d| d.enfreint("R8"))?;
    fin_de_l_echange(&etape, lecteur, &mut programme, "R13")
}
