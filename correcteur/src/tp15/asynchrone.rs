//! Les contrôles propres au TP15 : les fautes que l'asynchrone rend
//! possibles et que les TP12 et TP13 ne rencontraient pas sous cette forme.
//!
//! - Un appel bloquant dans une tâche ne bloque pas « un client » : il
//!   retient un des quelques threads du moteur. Cent clients silencieux
//!   suffisent à les retenir tous ; le client suivant n'est plus servi.
//! - Une tâche par ligne (au lieu d'une par client) répond dans le désordre.
//! - Ctrl+C (SIGINT) doit fermer le bar proprement, code 0, et non le tuer.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_DEMARRAGE, DELAI_REPONSE, Etape, statut_en_clair};
use crate::processus::Programme;
use crate::reseau::{self, Lecteur};
use crate::table_des_sockets::{self, Reponse};

use super::serveur;

/// Les clients silencieux de l'étape 3 : plus que les threads d'un moteur
/// tokio sur n'importe quel poste d'étudiant (un par cœur, par défaut).
const SILENCIEUX: usize = 128;
/// Les commandes envoyées d'un bloc pour vérifier l'ordre des réponses.
const COMMANDES_EN_RAFALE: usize = 200;
/// Les rafales successives : chacune donne au désordre une chance de plus.
const RAFALES: usize = 5;
/// Le temps laissé au bar pour fermer après Ctrl+C.
const DELAI_DE_FERMETURE: Duration = Duration::from_secs(5);

fn reponse(commande: &str) -> String {
    format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n")
}

/// Lance le bar sur un port libre et attend qu'il écoute.
fn ouvrir(etape: &Etape, binaire: &Path, options: &[&str]) -> Result<(Programme, u16), Diagnostic> {
    let port = reseau::port_libre();
    let port_texte = port.to_string();
    let mut args = vec!["serveur", port_texte.as_str()];
    args.extend_from_slice(options);
    let mut programme = etape.lancer(binaire, "serveur", &args)?;
    etape.attendre_ecoute(&mut programme, port)?;
    Ok((programme, port))
}

/// Un client du correcteur, connecté au bar.
fn entrer(
    etape: &Etape,
    programme: &mut Programme,
    port: u16,
    nom: &str,
) -> Result<TcpStream, Diagnostic> {
    reseau::connecter(port, programme, DELAI_DEMARRAGE).map_err(|e| {
        etape.injoignable(
            e,
            programme,
            &format!("de laisser entrer le {nom} sur le port {port}"),
        )
    })
}

/// Attend, avant `limite`, que le bar ait annoncé chacun de ces clients.
fn annonces(programme: &Programme, clients: &[SocketAddr], limite: Instant) -> usize {
    clients
        .iter()
        .take_while(|adresse| {
            let reste = limite.saturating_duration_since(Instant::now());
            programme
                .attendre_lignes(&[&format!("Client connecté : {adresse}")], reste)
                .is_ok()
        })
        .count()
}

const INDICE_BLOQUANT: &str = "dans une tâche, n'attendez qu'avec .await sur les opérations de \
     tokio : AsyncBufReadExt::read_until, AsyncWriteExt::write_all, tokio::time::sleep. Une \
     lecture de la bibliothèque standard (std::io::BufRead, TcpStream::into_std), un \
     thread::sleep ou un verrou std gardé pendant l'attente retiennent un thread du moteur : \
     avec autant de clients silencieux que de threads, plus rien n'avance. Pour un vrai calcul \
     long, tokio::task::spawn_blocking.";

// ─── Étape 1 : l'écoute ─────────────────────────────────────────────────────

/// Étape 1 : le bar écoute sur 127.0.0.1, au port donné, et l'annonce.
///
/// Un programme qui vient de finir l'étape 1 s'arrête aussitôt après sur le
/// `todo!()` de l'étape 2, au premier client : il écoute donc bien, et
/// l'étape est acquise dès qu'il a annoncé le bon port.
pub fn serveur_1_ecoute(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "le bar écoute sur 127.0.0.1");
    let port = reseau::port_libre();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    etape.attendre_ecoute(&mut programme, port)?;
    match table_des_sockets::tcp_en_ecoute(port) {
        Reponse::Adresses(adresses) if adresses.iter().all(|a| a.is_loopback()) => {}
        Reponse::Adresses(adresses) => {
            let liste: Vec<String> = adresses.iter().map(|a| a.to_string()).collect();
            return Err(etape
                .echec_de(
                    &programme,
                    format!(
                        "Le bar écoute sur le port {port}, mais à l'adresse {} : toutes les \
                         interfaces de la machine, pas seulement la boucle locale. N'importe \
                         quelle machine du réseau pourrait entrer.",
                        liste.join(", ")
                    ),
                )
                .regle("R1")
                .indice("attachez la socket à Ipv4Addr::LOCALHOST (127.0.0.1), pas à 0.0.0.0."));
        }
        // La table des sockets est illisible ici : l'adresse ne peut pas être
        // vérifiée, l'écoute l'a été.
        Reponse::Inconnue(_) => {}
    }
    if annonce(
        &programme,
        &port.to_string(),
        Instant::now() + DELAI_REPONSE,
    ) {
        return Ok(());
    }
    Err(etape
        .echec_de(
            &programme,
            format!(
                "Le bar écoute sur 127.0.0.1:{port}, mais n'a écrit aucune ligne qui cite ce \
                 port en {} s.",
                DELAI_REPONSE.as_secs()
            ),
        )
        .regle("R1")
        .indice(
            "annoncez l'ouverture avec le port réellement attaché (local_addr()) : « Le bar est \
             ouvert sur 127.0.0.1:PORT (N clients au plus à la fois) ».",
        ))
}

/// Attend, avant `limite`, une ligne de la sortie standard qui contienne
/// `texte` (la forme de l'annonce est libre).
fn annonce(programme: &Programme, texte: &str, limite: Instant) -> bool {
    let prefixe = format!("[{}] ", programme.role);
    loop {
        let lignes = programme.dernieres_lignes();
        if lignes
            .iter()
            .any(|l| l.starts_with(&prefixe) && l.contains(texte))
        {
            return true;
        }
        if Instant::now() >= limite {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ─── Étape 2 : l'accueil ────────────────────────────────────────────────────

/// Les clients que l'étape 2 fait entrer sans qu'ils disent un mot.
const ACCUEILLIS: usize = 3;

/// Étape 2 : trois clients entrent sans rien dire ; le bar les accepte et
/// annonce chacun (« Client connecté : IP:PORT »), sans attendre qu'ils
/// parlent. (Ce que leur tâche fait ensuite est l'affaire de l'étape 3.)
pub fn serveur_2_accueil(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(2, "accueil : chaque client accepté est annoncé");
    let (mut programme, port) = ouvrir(&etape, binaire, &[])?;
    let mut clients = Vec::new();
    for n in 1..=ACCUEILLIS {
        let flux = entrer(&etape, &mut programme, port, &format!("client n°{n}"))?;
        let adresse = flux
            .local_addr()
            .map_err(|e| etape.echec(format!("Adresse locale du client n°{n} illisible : {e}.")))?;
        etape
            .lignes_affichees(
                &programme,
                &[&format!("Client connecté : {adresse}")],
                "dans la boucle d'accueil : ecoute.accept().await rend la socket et l'adresse du \
                 client ; écrivez « Client connecté : IP:PORT », puis lancez sa tâche \
                 (tokio::spawn) et retournez aussitôt attendre le suivant.",
            )
            .map_err(|d| {
                // Les premiers annoncés, puis plus rien : l'accueil s'est
                // peut-être figé derrière leurs tâches (R5) ; la sonde le dit.
                if n > 1 && un_silencieux_suffit(binaire) == Some(false) {
                    d.regle("R5").indice(INDICE_BLOQUANT)
                } else {
                    d.regle("R2")
                }
            })?;
        clients.push(flux);
    }
    Ok(())
}

// ─── Étape 3 : cent clients silencieux ──────────────────────────────────────

/// Étape 3 : 128 clients se connectent et se taisent ; le bar doit tous les
/// accueillir, et servir aussitôt le client suivant. Un appel bloquant dans
/// une tâche retient un thread du moteur par client silencieux : au-delà de
/// leur nombre (un par cœur), plus rien n'avance, pas même l'accueil.
pub fn serveur_3_cent_clients_silencieux(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "cent clients silencieux ne figent pas le bar");
    let max = (SILENCIEUX + 10).to_string();
    let (mut programme, port) = ouvrir(&etape, binaire, &["--max-clients", &max])?;
    let mut silencieux = Vec::with_capacity(SILENCIEUX);
    let mut adresses = Vec::with_capacity(SILENCIEUX);
    for n in 1..=SILENCIEUX {
        let flux = entrer(
            &etape,
            &mut programme,
            port,
            &format!("client silencieux n°{n}"),
        )?;
        adresses.push(flux.local_addr().map_err(|e| {
            etape.echec(format!("Adresse locale du client n°{n} illisible : {e}."))
        })?);
        silencieux.push(flux);
    }
    let accueillis = annonces(&programme, &adresses, Instant::now() + DELAI_DEMARRAGE);
    let mut client = entrer(&etape, &mut programme, port, "client qui commande")?;
    let commande = "Un café, malgré la foule";
    if let Err(e) = reseau::envoyer(&mut client, format!("{commande}\n").as_bytes()) {
        return Err(etape.echec_de(
            &programme,
            format!("Envoi de la commande impossible : {e}."),
        ));
    }
    let mut lecteur = Lecteur::new(client);
    let servi = etape.lire_ligne(
        &mut lecteur,
        &programme,
        reponse(commande).as_bytes(),
        &format!(
            "Le bar n'a pas répondu en {} s au client qui commande, alors que {SILENCIEUX} \
             clients silencieux sont connectés : sa tâche n'a pas pu tourner.",
            DELAI_REPONSE.as_secs()
        ),
    );
    drop(silencieux);
    match servi {
        // Servi, mais pas annoncé : l'accueil tourne, il se tait (R2).
        Ok(()) if accueillis < SILENCIEUX => Err(etape
            .echec_de(
                &programme,
                format!(
                    "{SILENCIEUX} clients se sont connectés sans rien dire, et le client \
                     suivant a été servi : l'accueil tourne. Mais le bar n'a annoncé que \
                     {accueillis} de ces clients (« Client connecté : … »)."
                ),
            )
            .enfreint("R2")
            .indice(
                "écrivez « Client connecté : IP:PORT » dès que accept() rend le client, avant \
                 de lancer sa tâche.",
            )),
        Ok(()) => Ok(()),
        // Un seul client silencieux suffit à retarder les autres : une tâche
        // en attend une autre, comme avec un verrou gardé pendant un .await.
        Err(d) if un_silencieux_suffit(binaire) == Some(true) => {
            Err(d.enfreint("R4").indice(INDICE_UN_SILENCIEUX))
        }
        // Il en faut beaucoup : ils retiennent les threads du moteur (R5).
        Err(_) if accueillis < SILENCIEUX => Err(etape
            .echec_de(
                &programme,
                format!(
                    "{SILENCIEUX} clients se sont connectés sans rien dire : le bar n'en a \
                     annoncé que {accueillis} en {} s (« Client connecté : … »), et n'a pas \
                     servi le client suivant. L'accueil lui-même ne tourne plus : les threads \
                     du moteur sont tous retenus par des clients qui se taisent.",
                    DELAI_DEMARRAGE.as_secs()
                ),
            )
            .enfreint("R5")
            .indice(INDICE_BLOQUANT)),
        Err(d) => Err(d.enfreint("R5").indice(INDICE_BLOQUANT)),
    }
}

/// Ce qu'un bar fait de travers quand un seul client silencieux retarde les
/// autres.
pub(super) const INDICE_UN_SILENCIEUX: &str = "un seul client silencieux retarde déjà le \
     suivant : une tâche en attend une autre. Aucun verrou (même celui de tokio) n'est gardé \
     pendant un .await qui attend le client, et chaque client a sa tâche.";

/// Sonde : un seul client silencieux retarde-t-il le client suivant ? Oui :
/// une tâche en attend une autre (verrou gardé pendant un .await, service à
/// tour de rôle : R4). Non, alors qu'une étape a vu un client attendre : il
/// faut plusieurs clients silencieux pour tout figer, autant que de threads
/// du moteur — des appels bloquants (R5). `None` si la sonde n'a pas pu
/// faire entrer ses clients : elle ne dit rien.
///
/// Les deux réponses ne pèsent pas le même poids. Un bar où une tâche en
/// attend une autre fige le client suivant à chaque essai ; des appels
/// bloquants le servent d'ordinaire (un thread du moteur reste libre), mais
/// pas à coup sûr : sur une machine à deux cœurs très chargée, une sonde a vu
/// une fois le client suivant attendre plus de 2 s derrière un seul client
/// silencieux (intégration continue, `une_seule_regle` tp15). Un seul essai
/// où le client suivant est servi prouve donc « non » ; « oui » demande que
/// tous les essais le voient attendre.
///
/// La sonde tourne sur un fil à part, hors du journal de l'étape : l'échange
/// montré reste celui de l'étape.
pub(super) fn un_silencieux_suffit(binaire: &Path) -> Option<bool> {
    let binaire = binaire.to_path_buf();
    std::thread::spawn(move || {
        let mut conclusion = None;
        for _ in 0..ESSAIS_DE_LA_SONDE {
            match sonder_un_silencieux(&binaire) {
                Some(false) => return Some(false),
                Some(true) => conclusion = Some(true),
                None => {}
            }
        }
        conclusion
    })
    .join()
    .ok()
    .flatten()
}

/// Les essais de la sonde « un seul client silencieux » avant de conclure
/// qu'il suffit à retarder le suivant.
const ESSAIS_DE_LA_SONDE: usize = 3;

fn sonder_un_silencieux(binaire: &Path) -> Option<bool> {
    let etape = serveur(3, "sonde : un client silencieux");
    let (mut programme, port) = ouvrir(&etape, binaire, &[]).ok()?;
    let silencieux = entrer(&etape, &mut programme, port, "client silencieux").ok()?;
    // Qu'il soit accueilli (annoncé, borné par DELAI_DEMARRAGE ; un bar muet
    // ne l'annonce jamais, la sonde continue), puis que sa tâche ait pu
    // commencer (et prendre, le cas échéant, ce qu'elle garde).
    if let Ok(adresse) = silencieux.local_addr() {
        annonces(&programme, &[adresse], Instant::now() + DELAI_DEMARRAGE);
    }
    std::thread::sleep(Duration::from_millis(200));
    let mut client = entrer(&etape, &mut programme, port, "client suivant").ok()?;
    reseau::envoyer(&mut client, "Un café\n".as_bytes()).ok()?;
    let mut lecteur = Lecteur::new(client);
    Some(lecteur.ligne(DELAI_REPONSE).ok() != Some(reponse("Un café").into_bytes()))
}

// ─── Étape 3 : les réponses dans l'ordre ────────────────────────────────────

/// Étape 3 : un client envoie 200 commandes d'un seul bloc, lit les 200
/// réponses, et recommence : cinq rafales en tout. Les réponses doivent
/// revenir dans l'ordre des commandes. Une tâche par ligne (au lieu d'une
/// par client) les fait courir en parallèle : l'ordre se perd presque à
/// chaque rafale (la dernière tâche lancée passe souvent devant, tokio
/// l'exécutant en premier), mais pas à coup sûr — un thread du moteur
/// retardé par le système au bon moment laisse l'autre tout écrire dans
/// l'ordre (vu : 1 preuve sur 33 sous charge avec une seule rafale). Cinq
/// rafales indépendantes rendent ce hasard négligeable.
pub fn serveur_3_reponses_dans_l_ordre(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "les réponses dans l'ordre des commandes");
    let (mut programme, port) = ouvrir(&etape, binaire, &[])?;
    let client = entrer(&etape, &mut programme, port, "client")?;
    let mut lecteur = Lecteur::new(client);
    for rafale in 0..RAFALES {
        let premiere = rafale * COMMANDES_EN_RAFALE + 1;
        let commandes: Vec<String> = (premiere..premiere + COMMANDES_EN_RAFALE)
            .map(|n| format!("commande n°{n}"))
            .collect();
        envoyer_la_rafale(&etape, &programme, lecteur.flux(), &commandes)?;
        lire_dans_l_ordre(&etape, &programme, &mut lecteur, rafale + 1, &commandes)?;
    }
    Ok(())
}

/// Envoie les commandes d'une rafale en un seul `write_all`.
fn envoyer_la_rafale(
    etape: &Etape,
    programme: &Programme,
    client: &mut TcpStream,
    commandes: &[String],
) -> Result<(), Diagnostic> {
    let bloc: String = commandes.iter().map(|c| format!("{c}\n")).collect();
    reseau::envoyer(client, bloc.as_bytes())
        .map_err(|e| etape.echec_de(programme, format!("Envoi des commandes impossible : {e}.")))
}

/// Lit les réponses d'une rafale et vérifie que chacune répond à sa commande.
fn lire_dans_l_ordre(
    etape: &Etape,
    programme: &Programme,
    lecteur: &mut Lecteur,
    rafale: usize,
    commandes: &[String],
) -> Result<(), Diagnostic> {
    let contexte = format!(
        "Le client envoie {COMMANDES_EN_RAFALE} commandes d'un seul bloc, lit leurs réponses, et \
         recommence ({RAFALES} rafales). Rafale n°{rafale}"
    );
    for (rang, commande) in commandes.iter().enumerate() {
        let attendue = reponse(commande);
        match lecteur.ligne(DELAI_REPONSE) {
            Ok(recue) if recue == attendue.as_bytes() => {}
            Ok(recue) => {
                let repond_a = String::from_utf8_lossy(&recue)
                    .split("commande n°")
                    .nth(1)
                    .and_then(|fin| fin.split(' ').next())
                    .map(|n| format!(" : elle répond à la commande n°{n}"))
                    .unwrap_or_default();
                return Err(etape
                    .echec_de(
                        programme,
                        format!(
                            "{contexte} : sa réponse n°{} n'est pas celle de « {commande} »{repond_a}.",
                            rang + 1
                        ),
                    )
                    .ecart(attendue, recue)
                    .regle("R7")
                    .indice(
                        "une tâche par client, qui lit une commande, y répond, puis lit la \
                         suivante : l'ordre est celui du flux. Lancer une tâche par ligne fait \
                         courir les réponses en parallèle, et la plus rapide passe devant.",
                    ));
            }
            Err(incomplete) => {
                return Err(etape
                    .echec_de(
                        programme,
                        format!(
                            "{contexte} : la réponse à « {commande} » n'est pas arrivée en {} s.",
                            DELAI_REPONSE.as_secs()
                        ),
                    )
                    .ecart(attendue, incomplete.recu)
                    .regle("R3"));
            }
        }
    }
    Ok(())
}

/// Sonde de l'ordre : le bar, à qui l'on envoie des rafales de commandes
/// d'un seul bloc, rend-il toutes les réponses, mais dans un autre ordre ?
/// Oui : une réponse reçue à la place d'une autre était une réponse en
/// avance (R7), pas une commande perdue (R3). Sur un fil à part, hors du
/// journal de l'étape, comme [`un_silencieux_suffit`].
pub(super) fn dans_le_desordre(binaire: &Path) -> bool {
    let binaire = binaire.to_path_buf();
    std::thread::spawn(move || sonder_l_ordre(&binaire))
        .join()
        .unwrap_or(false)
}

fn sonder_l_ordre(binaire: &Path) -> bool {
    let etape = serveur(3, "sonde de l'ordre");
    let Ok((mut programme, port)) = ouvrir(&etape, binaire, &[]) else {
        return false;
    };
    let Ok(client) = entrer(&etape, &mut programme, port, "client") else {
        return false;
    };
    let mut lecteur = Lecteur::new(client);
    for rafale in 0..RAFALES {
        let premiere = rafale * COMMANDES_EN_RAFALE + 1;
        let mut attendues: Vec<Vec<u8>> = (premiere..premiere + COMMANDES_EN_RAFALE)
            .map(|n| reponse(&format!("commande n°{n}")).into_bytes())
            .collect();
        let bloc: String = (premiere..premiere + COMMANDES_EN_RAFALE)
            .map(|n| format!("commande n°{n}\n"))
            .collect();
        if reseau::envoyer(lecteur.flux(), bloc.as_bytes()).is_err() {
            return false;
        }
        let mut recues = Vec::with_capacity(COMMANDES_EN_RAFALE);
        for _ in 0..COMMANDES_EN_RAFALE {
            match lecteur.ligne(DELAI_REPONSE) {
                Ok(ligne) => recues.push(ligne),
                Err(_) => return false,
            }
        }
        if recues != attendues {
            // Toutes là, mais pas dans l'ordre ?
            recues.sort();
            attendues.sort();
            return recues == attendues;
        }
    }
    false
}

// ─── Étape 5 : l'arrêt propre ───────────────────────────────────────────────

/// Étape 5 : un client est servi ; Ctrl+C (SIGINT) arrive. Le bar doit
/// fermer la connexion de ce client et se terminer avec le code 0.
pub fn serveur_5_arret_propre(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(5, "Ctrl+C ferme le bar proprement");
    let (mut programme, port) = ouvrir(&etape, binaire, &[])?;
    let mut client = entrer(&etape, &mut programme, port, "client")?;
    let commande = "Un dernier verre";
    if let Err(e) = reseau::envoyer(&mut client, format!("{commande}\n").as_bytes()) {
        return Err(etape.echec_de(
            &programme,
            format!("Envoi de la commande impossible : {e}."),
        ));
    }
    let mut lecteur = Lecteur::new(client);
    etape.lire_ligne(
        &mut lecteur,
        &programme,
        reponse(commande).as_bytes(),
        "Le bar n'a pas répondu à la commande.",
    )?;
    // SAFETY: kill(2) vers le seul programme testé, par son pid.
    let envoye = unsafe { libc::kill(programme.pid() as libc::pid_t, libc::SIGINT) } == 0;
    if !envoye {
        return Err(etape.echec_de(&programme, "Le correcteur n'a pas pu envoyer SIGINT."));
    }
    let _ = lecteur.flux().flush();
    match programme.attendre_fin(DELAI_DE_FERMETURE) {
        Some(statut) if statut.success() => {}
        Some(statut) => {
            return Err(etape
                .echec_de(
                    &programme,
                    format!(
                        "Après Ctrl+C (SIGINT), le bar s'est arrêté avec « {} » au lieu du \
                         code 0.",
                        statut_en_clair(statut)
                    ),
                )
                .regle("R10")
                .indice(
                    "sans rien faire, SIGINT tue le programme. Attendez-le avec \
                     tokio::signal::ctrl_c() dans le select! de la boucle d'accueil : quittez \
                     la boucle, prévenez les sessions (un tokio::sync::watch), attendez-les, \
                     puis rendez Ok(()).",
                ));
        }
        None => {
            return Err(etape
                .echec_de(
                    &programme,
                    format!(
                        "Après Ctrl+C (SIGINT), le bar tourne encore {} s plus tard.",
                        DELAI_DE_FERMETURE.as_secs()
                    ),
                )
                .regle("R10")
                .indice(
                    "après Ctrl+C, les sessions en cours doivent finir : chacune surveille le \
                     signal de fermeture dans son select! et s'arrête dès qu'il arrive.",
                ));
        }
    }
    // Le client a vu sa connexion fermée (fin de flux ou réinitialisation).
    etape
        .fin_de_flux(&mut lecteur, &programme)
        .map_err(|d| d.regle("R10"))
}
