//! Les étapes propres au TP13 : l'écoute et l'accueil non bloquants, les
//! commandes entremêlées, un seul thread, le processeur au repos. Les
//! étapes de charge (mille clients, le client qui ne lit pas) sont dans
//! [`super::charge`].

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::etape::Etape;
use crate::etape::{DELAI_DEMARRAGE, DELAI_REPONSE};
use crate::processus::Programme;
use crate::reseau::{self, Injoignable};

use super::bar::{Bar, Client, INDICE_BLOQUANT};
use super::sondes::{Extremite, SocketBloquante};
use super::{decimal, serveur, sondes};
use crate::tp12::enfreint;

/// Limite de clients de l'étape 2.
const LIMITE: usize = 3;
/// Nombre de clients servis ensemble pour compter les threads (étape 5).
const CINQ: usize = 5;
/// Durée de l'observation du serveur au repos (étape 7).
const SECONDE: Duration = Duration::from_secs(1);
/// Part de cette durée que le serveur au repos peut passer sur un
/// processeur ou prêt à y aller. Un serveur qui dort dans epoll_wait() n'y
/// passe rien ; une attente active, presque toute la durée, chargée ou non.
const PART_AU_REPOS: f64 = 0.1;
/// Passages sur un processeur permis pendant la seconde de repos. Un serveur
/// qui dort n'en fait aucun ; un réveil toutes les 2 ms en fait 500.
const REVEILS_AU_REPOS: u64 = 20;
/// Au-delà de cette part de la durée passée sur un processeur ou prêt à y
/// aller, le serveur tourne à vide, quel que soit son nombre de passages.
const MOITIE: f64 = 0.5;
/// La règle du chapitre du TP13 que l'étape 7 vérifie (le TP15, qui reprend
/// l'étape, la renomme).
const REGLE_REPOS: &str = "R9";

// ─── Étape 1 : l'écoute ────────────────────────────────────────────────────

/// Étape 1 : le serveur écoute sur le port donné, avec une socket d'écoute
/// non bloquante.
///
/// Un programme qui vient de finir l'étape 1 s'arrête aussitôt après sur le
/// `todo!()` de l'étape 2 : l'étape 1 est acquise s'il a annoncé le bon port
/// avant de s'arrêter là.
pub fn serveur_1_ecoute(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_1_ecoute_controle(binaire).map_err(|d| enfreint(d, "R1"))
}

fn serveur_1_ecoute_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "écoute non bloquante sur le port donné");
    let port = reseau::port_libre();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    let acquise_avant_l_arret = |programme: &Programme| {
        etape.arrete_plus_loin(programme)
            && programme
                .dernieres_lignes()
                .iter()
                .any(|l| l.contains(&port.to_string()))
    };
    match reseau::attendre_ecoute(port, &mut programme, DELAI_DEMARRAGE) {
        Ok(()) => {}
        Err(Injoignable::Arrete(_)) if acquise_avant_l_arret(&programme) => return Ok(()),
        Err(raison) => {
            return Err(etape.injoignable(
                raison,
                &programme,
                &format!("d'écouter sur le port {port}"),
            ));
        }
    }
    let bloquantes = bloquantes_ou_le_dire(&etape, programme.pid());
    // Le programme a pu s'arrêter entre-temps sur le todo!() de l'étape 2.
    if programme.attendre_fin(Duration::from_millis(50)).is_some() {
        return if acquise_avant_l_arret(&programme) {
            Ok(())
        } else {
            Err(etape.echec_de(
                &programme,
                "Le serveur s'est arrêté juste après avoir ouvert son écoute.",
            ))
        };
    }
    match bloquantes.first() {
        None => crate::tp12::ecoute_sur_la_boucle_locale(
            &etape,
            &programme,
            port,
            crate::tp12::INDICE_BOUCLE_LOCALE,
        ),
        Some(socket) => Err(etape
            .echec_de(
                &programme,
                format!(
                    "Le serveur écoute sur le port {port}, mais sa socket d'écoute (descripteur \
                     {}) est en mode bloquant ({}).",
                    socket.descripteur, socket.lu_dans
                ),
            )
            .indice(
                "après listen(), set_nonblocking(true) : sinon un accept() appelé quand personne \
                 n'attend bloquerait le seul thread du serveur. mio::net::TcpListener::from_std \
                 exige une socket déjà non bloquante.",
            )),
    }
}

/// Étape 1 : le port est déjà pris par une autre socket en écoute : le bar
/// l'explique sur sa sortie d'erreur et s'arrête avec le code 1, sans
/// panique (R16).
pub fn serveur_1_port_pris(binaire: &Path) -> Result<(), Diagnostic> {
    crate::arret_explique::serveur_sur_un_port_pris(
        &serveur(1, "port déjà pris"),
        binaire,
        &[],
        "R16",
    )
}

/// Les sockets bloquantes du serveur. Si cette machine ne permet pas de
/// les lire (ni `/proc`, ni `lsof`), ce contrôle-là est non vérifiable : le
/// dire, avec la raison, et ne rien conclure — ni échec, ni succès muet.
fn bloquantes_ou_le_dire(etape: &Etape, pid: u32) -> Vec<SocketBloquante> {
    sondes::sockets_bloquantes(pid).unwrap_or_else(|raison| {
        crate::non_verifiable::signaler(&format!(
            "{} : mode des sockets (O_NONBLOCK) non vérifiable sur cette machine : {raison}.",
            etape.echec("").titre
        ));
        Vec::new()
    })
}

// ─── Étape 2 : l'accueil ───────────────────────────────────────────────────

/// Étape 2 : trois clients entrent sans rien dire ; le serveur les accepte
/// tous (il les note dans son journal), leurs sockets de service sont non
/// bloquantes, et avec `--max-clients 3` le quatrième reçoit « bar complet »
/// puis la fin du flux.
pub fn serveur_2_accueil(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_2_accueil_controle(binaire).map_err(|d| enfreint(d, "R2"))
}

fn serveur_2_accueil_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(2, "accueil : accepter sans attendre personne");
    let limite = LIMITE.to_string();
    let mut bar = Bar::ouvrir(&etape, binaire, &["--max-clients", &limite])?;
    let mut clients = Vec::new();
    for rang in 1..=LIMITE {
        let client = bar.entrer(&etape, format!("client n°{rang}"))?;
        etape
            .lignes_affichees(
                &bar.programme,
                &[&crate::tp12::arrivee(client.adresse)],
                "quand la socket d'écoute est prête, acceptez (accept) et notez chaque client : \
                 « Client connecté : IP:PORT », avec l'adresse rendue par accept().",
            )
            .map_err(|d| bar.expliquer_le_blocage(d))?;
        clients.push(client);
    }
    if let Some(socket) = bloquantes_ou_le_dire(&etape, bar.pid()).first() {
        let a_qui = match socket.extremite {
            Extremite::Ecoute => "sa socket d'écoute".to_string(),
            Extremite::Service(pair) => match clients.iter().find(|c| c.adresse == pair) {
                Some(client) => format!("la socket de service du {}", client.nom),
                None => format!("la socket de service de {pair}"),
            },
            Extremite::Inconnue => "une de ses sockets".to_string(),
        };
        return Err(etape
            .echec_de(
                &bar.programme,
                format!(
                    "Le serveur a accepté les {LIMITE} clients, mais {a_qui} (descripteur {}) \
                     est en mode bloquant ({}).",
                    socket.descripteur, socket.lu_dans
                ),
            )
            .indice(INDICE_BLOQUANT));
    }
    let mut refuse = bar.entrer(&etape, format!("client n°{}", LIMITE + 1))?;
    let silence = format!(
        "Le client n°{} n'a rien reçu en {} s, alors que {LIMITE} clients sont déjà servis et \
         que le serveur a été lancé avec --max-clients {LIMITE}.",
        LIMITE + 1,
        DELAI_REPONSE.as_secs()
    );
    let indice = "quand la table des connexions compte déjà N clients, envoyez « bar complet, \
                  revenez plus tard » au nouveau venu et fermez sa socket, sans l'enregistrer.";
    etape
        .lire_ligne(
            &mut refuse.lecteur,
            &bar.programme,
            crate::tp12::COMPLET.as_bytes(),
            &silence,
        )
        .map_err(|d| enfreint(d, "R10").indice(indice))?;
    etape
        .fin_de_flux(&mut refuse.lecteur, &bar.programme)
        .map_err(|d| enfreint(d, "R10").indice(indice))
}

// ─── Étape 3 : des commandes entremêlées ───────────────────────────────────

/// Étape 3 : deux clients présents ensemble commandent chacun à leur tour ;
/// chaque commande a sa réponse tout de suite, même quand l'autre client se
/// tait. Puis deux commandes arrivent collées : deux réponses.
pub fn serveur_3_commandes(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_3_commandes_controle(binaire).map_err(|d| enfreint(d, "R3"))
}

fn serveur_3_commandes_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "des commandes de deux clients, entremêlées");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut a = bar.entrer(&etape, "client A")?;
    let mut b = bar.entrer(&etape, "client B")?;
    let indice = "quand la socket d'un client est prête, lisez ce qui est arrivé, répondez à \
                  chaque ligne entière dans le tampon de sortie de la connexion, puis envoyez-le.";
    bar.commander(
        &etape,
        &mut a,
        "Une bière",
        ", alors que le client B est là et se tait",
    )
    .map_err(|d| d.indice(indice))?;
    bar.commander(
        &etape,
        &mut b,
        "Un kir",
        ", alors que le client A, servi juste avant, se tait sans partir",
    )?;
    bar.commander(
        &etape,
        &mut a,
        "Une autre bière",
        ", alors que le client B, servi juste avant, se tait sans partir",
    )?;
    bar.envoyer(&etape, &mut b, b"Une limonade\nUn chocolat chaud\n")?;
    for commande in ["Une limonade", "Un chocolat chaud"] {
        bar.reponse(
            &etape,
            &mut b,
            commande,
            " (deux commandes envoyées d'un bloc)",
        )
        .map_err(|d| {
            d.indice(
                "un seul read() peut apporter plusieurs commandes : répondez à toutes les \
                     lignes entières du tampon d'entrée, pas seulement à la première.",
            )
        })?;
    }
    Ok(())
}

/// Étape 3 : un jeton par client présent. A et B entrent, A part, C entre :
/// B puis C commandent, et chacun reçoit sa réponse. Un jeton donné à C
/// alors que B le porte encore remplacerait B dans la table des connexions.
pub fn serveur_3_jetons_uniques(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_3_jetons_uniques_controle(binaire).map_err(|d| enfreint(d, "R15"))
}

fn serveur_3_jetons_uniques_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "un jeton par client présent");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut a = bar.entrer(&etape, "client A")?;
    let mut b = bar.entrer(&etape, "client B")?;
    bar.commander(&etape, &mut a, "fin", ", juste avant de partir")?;
    etape.fin_de_flux(&mut a.lecteur, &bar.programme)?;
    let mut c = bar.entrer(&etape, "client C")?;
    let indice = "un jeton (Token) désigne une connexion tant qu'elle vit : tirez-le d'un \
                  compteur qui ne fait que croître, jamais du nombre de clients présents (après \
                  un départ, ce nombre redonne le jeton d'un client encore là, et insert() \
                  remplace sa connexion).";
    bar.commander(
        &etape,
        &mut b,
        "Un kir",
        ", entré avant le départ du client A et l'arrivée du client C",
    )
    .map_err(|d| d.indice(indice))?;
    bar.commander(
        &etape,
        &mut c,
        "Un café",
        ", arrivé après le départ du client A",
    )
    .map_err(|d| d.indice(indice))
}

/// Étape 3 : le journal n'a que deux lignes par client. Un client commande
/// trois fois ; aucune ligne de la sortie du serveur ne cite ces commandes.
pub fn serveur_3_journal_sans_commandes(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_3_journal_sans_commandes_controle(binaire).map_err(|d| enfreint(d, "R12"))
}

fn serveur_3_journal_sans_commandes_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "un journal sans les commandes");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut client = bar.entrer(&etape, "client")?;
    for commande in ["Une menthe à l'eau", "Un chocolat chaud", "Un café"] {
        bar.commander(&etape, &mut client, commande, "")?;
    }
    // Le journal n'a que deux lignes par client : une commande affichée est
    // une écriture bloquante de plus, pour chaque commande de chaque client.
    // La sortie du serveur arrive par un tube, lu par un autre fil : on
    // guette la ligne un court moment au lieu de lire le journal une fois.
    if let Some(ligne) = commande_affichee(&bar.programme, "Un chocolat chaud") {
        return Err(etape
            .echec_de(
                &bar.programme,
                format!(
                    "Le serveur a répondu à chaque commande, mais il les affiche aussi : \
                     « {ligne} »."
                ),
            )
            .regle("R12")
            .indice(
                "le journal du TP13 n'a que deux lignes par client (« Client connecté », \
                 « Client parti ») : println! est une écriture bloquante, et une ligne par \
                 commande ralentit tous les clients dès que la sortie traîne.",
            ));
    }
    Ok(())
}

/// La ligne de la sortie du serveur qui cite `commande`, si elle arrive en
/// moins d'une demi-seconde.
fn commande_affichee(programme: &Programme, commande: &str) -> Option<String> {
    let limite = Instant::now() + Duration::from_millis(500);
    loop {
        let trouvee = programme
            .dernieres_lignes()
            .into_iter()
            .find(|l| l.contains(commande));
        if trouvee.is_some() || Instant::now() >= limite {
            return trouvee;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

// ─── Étape 5 : un seul thread ──────────────────────────────────────────────

/// Étape 5 : pendant qu'il sert cinq clients présents ensemble, le serveur
/// n'a qu'un thread (`Threads:` de `/proc/PID/status`).
pub fn serveur_5_un_seul_thread(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_5_un_seul_thread_controle(binaire).map_err(|d| enfreint(d, "R6"))
}

fn serveur_5_un_seul_thread_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(5, "un seul thread pour tous les clients");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut clients: Vec<Client> = Vec::new();
    for rang in 1..=CINQ {
        let mut client = bar.entrer(&etape, format!("client n°{rang}"))?;
        let commande = format!("Un café pour le client n°{rang}");
        bar.commander(&etape, &mut client, &commande, "")?;
        clients.push(client);
    }
    let pid = bar.pid();
    let (nombre, noms) = sondes::threads(pid)
        .ok_or_else(|| etape.echec(format!("Impossible de lire /proc/{pid}/status.")))?;
    if nombre != 1 {
        return Err(etape
            .echec_de(
                &bar.programme,
                format!(
                    "Pendant qu'il sert {CINQ} clients présents ensemble, le serveur compte \
                     {nombre} threads (/proc/{pid}/status) : {}.",
                    en_groupes(&noms)
                ),
            )
            .indice(
                "un thread par client, c'était le TP12. Ici, une seule boucle sert tout le \
                 monde : mio::Poll surveille toutes les sockets, et l'état de chaque session vit \
                 dans sa Connexion, pas dans la pile d'un thread.",
            ));
    }
    for client in &mut clients {
        bar.commander(&etape, client, "fin", "")?;
    }
    Ok(())
}

/// « « tp12 » ×1, « exécutant 12 » ×5 » : des noms triés, regroupés.
fn en_groupes(noms: &[String]) -> String {
    let mut groupes: Vec<(&str, usize)> = Vec::new();
    for nom in noms {
        match groupes.last_mut() {
            Some((dernier, n)) if *dernier == nom.as_str() => *n += 1,
            _ => groupes.push((nom, 1)),
        }
    }
    groupes
        .iter()
        .map(|(nom, n)| format!("« {nom} » ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

// ─── Étape 7 : au repos, le processeur aussi ───────────────────────────────

/// Étape 7 : trois clients connectés se taisent pendant une seconde ; le
/// serveur doit dormir (attendre un événement), ni tourner à vide, ni se
/// réveiller sans cesse. On juge ce qu'il fait, pas la part de processeur
/// qu'il a obtenue (sur une machine chargée, une boucle qui tourne à vide
/// n'obtient parfois qu'un dixième d'un cœur) : l'ordonnanceur du noyau
/// compte, pour chaque thread, le temps sur un processeur **plus** le temps
/// passé prêt à tourner, et le nombre de passages sur un processeur
/// (`/proc/PID/task/*/schedstat`).
pub fn serveur_7_processeur_au_repos(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(7, "au repos, le processeur aussi");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut clients = Vec::new();
    for rang in 1..=3 {
        let mut client = bar.entrer(&etape, format!("client n°{rang}"))?;
        bar.commander(&etape, &mut client, "Un thé", "")?;
        clients.push(client);
    }
    let pid = bar.pid();
    let mesure = || {
        sondes::ordonnancement(pid)
            .ok_or_else(|| etape.echec(format!("Impossible de lire /proc/{pid}/task/*/schedstat.")))
    };
    let (avant, debut) = (mesure()?, Instant::now());
    thread::sleep(SECONDE);
    let (apres, duree) = (mesure()?, debut.elapsed());
    let repos = apres.depuis(&avant);
    let occupe = (repos.sur_processeur + repos.en_attente).as_secs_f64();
    // Des endormissements nombreux : des réveils répétés, chacun bref (un
    // délai court à poll). Sinon, toujours prêt à tourner (plus de la
    // moitié du temps) : une boucle qui tourne à vide sans jamais s'endormir,
    // même si la machine chargée ne la laisse guère tourner. Les deux se
    // distinguent ainsi quelle que soit la charge : sous charge, le thread
    // réveillé souvent attend aussi longtemps son tour.
    let reveille_souvent = repos.endormissements > REVEILS_AU_REPOS;
    let tourne_a_vide = !reveille_souvent
        && (occupe > duree.as_secs_f64() * MOITIE
            || (repos.passages <= REVEILS_AU_REPOS
                && occupe > duree.as_secs_f64() * PART_AU_REPOS));
    let situation = format!(
        "Pendant {} s sans aucune activité (3 clients connectés qui se taisent), le serveur",
        decimal(duree.as_secs_f64(), 1)
    );
    if tourne_a_vide {
        return Err(etape
            .echec_de(
                &bar.programme,
                format!(
                    "{situation} a passé {} s sur un processeur et {} s prêt à y retourner \
                     (/proc/{pid}/task/*/schedstat) : il tourne à vide au lieu de dormir.",
                    decimal(repos.sur_processeur.as_secs_f64(), 2),
                    decimal(repos.en_attente.as_secs_f64(), 2)
                ),
            )
            .regle(REGLE_REPOS)
            .indice(
                "poll(&mut evenements, None) endort le thread jusqu'au prochain événement. Un \
                 délai nul (Some(Duration::ZERO)) rend la main aussitôt : la boucle tourne sans \
                 fin, c'est de l'attente active.",
            ));
    }
    if reveille_souvent {
        return Err(etape
            .echec_de(
                &bar.programme,
                format!(
                    "{situation} s'est endormi puis réveillé {} fois (commutations \
                     volontaires, /proc/{pid}/task/*/status) : il n'attend pas un événement, il \
                     regarde l'heure.",
                    repos.endormissements
                ),
            )
            .regle(REGLE_REPOS)
            .indice(
                "un délai court à poll() (quelques millisecondes) réveille le thread des \
                 centaines de fois par seconde pour rien. Attendez sans délai (None), ou \
                 jusqu'à la prochaine échéance réelle (le prochain client à congédier).",
            ));
    }
    // Après ce repos, le serveur sert toujours.
    bar.commander(
        &etape,
        &mut clients[0],
        "L'addition",
        " après une seconde de silence",
    )
}
