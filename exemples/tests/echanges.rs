//! Les exemples des chapitres « Deux services en entier », « Protocole
//! applicatif », « Appels bloquants », « Observer les sockets » et « Servir
//! plusieurs clients » tournent et disent ce que le livre annonce.
//!
//! Les serveurs sont lancés sur le port 0 : le système leur donne un port
//! libre, qu'ils affichent sur leur première ligne, et que le test relit. Tout
//! passe par 127.0.0.1 ; chaque commande a une durée maximale, et chaque
//! serveur est tué (puis attendu) à la fin du test, même en cas d'échec.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

/// Durée maximale d'un programme d'exemple qui doit se terminer seul.
const DUREE_MAX: Duration = Duration::from_secs(30);
/// Attente maximale d'une ligne de la sortie d'un serveur.
const ATTENTE_LIGNE: Duration = Duration::from_secs(10);

const DAYTIME: &str = env!("CARGO_BIN_EXE_exemple-daytime");
const ECHO: &str = env!("CARGO_BIN_EXE_exemple-echo");
const BAR: &str = env!("CARGO_BIN_EXE_exemple-bar");
const ARRET_PROPRE: &str = env!("CARGO_BIN_EXE_exemple-arret-propre");

/// Un serveur d'exemple lancé sur le port 0, tué quand il sort de portée.
struct Serveur {
    enfant: Child,
    lignes: Receiver<String>,
    port: u16,
}

impl Serveur {
    /// Lance `programme serveur 0` et relit le port annoncé sur sa première
    /// ligne (« … port 40123 … »).
    fn lancer(programme: &str) -> Serveur {
        let mut enfant = std::process::Command::new(programme)
            .args(["serveur", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("impossible de lancer {programme} : {e}"));
        // Un thread recopie les lignes de la sortie dans un canal : le test
        // peut ainsi les attendre avec un délai.
        let sortie = enfant.stdout.take().expect("sortie standard capturée");
        let (envoi, lignes) = mpsc::channel();
        thread::spawn(move || {
            for ligne in BufReader::new(sortie).lines().map_while(Result::ok) {
                if envoi.send(ligne).is_err() {
                    break;
                }
            }
        });
        let mut serveur = Serveur {
            enfant,
            lignes,
            port: 0,
        };
        let premiere = serveur.ligne();
        serveur.port = port_annonce(&premiere)
            .unwrap_or_else(|| panic!("pas de port dans la première ligne : {premiere:?}"));
        serveur
    }

    /// La ligne suivante de la sortie du serveur (attente bornée).
    fn ligne(&self) -> String {
        self.lignes
            .recv_timeout(ATTENTE_LIGNE)
            .unwrap_or_else(|e| panic!("le serveur n'a rien affiché ({e})"))
    }

    /// Attend une ligne qui contient `motif`, en sautant les autres.
    fn attendre(&self, motif: &str) -> String {
        loop {
            let ligne = self.ligne();
            if ligne.contains(motif) {
                return ligne;
            }
        }
    }

    fn adresse(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }
}

impl Drop for Serveur {
    fn drop(&mut self) {
        let _ = self.enfant.kill();
        let _ = self.enfant.wait();
    }
}

/// Le numéro qui suit le mot « port » dans une ligne.
fn port_annonce(ligne: &str) -> Option<u16> {
    let apres = &ligne[ligne.rfind("port ")? + "port ".len()..];
    let chiffres: String = apres.chars().take_while(char::is_ascii_digit).collect();
    chiffres.parse().ok()
}

/// Une commande d'exemple, avec une durée maximale.
fn commande(programme: &str) -> Command {
    let mut commande = Command::new(programme);
    commande.timeout(DUREE_MAX);
    commande
}

/// Une connexion de test, avec des délais de lecture et d'écriture.
fn connecter(adresse: SocketAddr) -> TcpStream {
    let flux = TcpStream::connect_timeout(&adresse, ATTENTE_LIGNE).expect("connexion au serveur");
    flux.set_read_timeout(Some(ATTENTE_LIGNE)).unwrap();
    flux.set_write_timeout(Some(ATTENTE_LIGNE)).unwrap();
    flux
}

// ---------------------------------------------------------------------------
// daytime
// ---------------------------------------------------------------------------

#[test]
fn daytime_repond_en_tcp_et_en_udp_sur_le_meme_port() {
    let serveur = Serveur::lancer(DAYTIME);
    for (client, transport) in [("client-tcp", "TCP"), ("client-udp", "UDP")] {
        let date = predicate::str::is_match(format!(
            r"^127\.0\.0\.1:{} \({transport}\) : \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}:\d{{2}} UTC\n$",
            serveur.port
        ))
        .unwrap();
        commande(DAYTIME)
            .args([client, &serveur.port.to_string()])
            .assert()
            .success()
            .stdout(date);
    }
    serveur.attendre("TCP : date envoyée à 127.0.0.1:");
}

#[test]
fn daytime_udp_sans_serveur_echoue_proprement() {
    // Un port UDP libre : on le prend, puis on le rend aussitôt.
    let libre = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = libre.local_addr().unwrap().port();
    drop(libre);
    commande(DAYTIME)
        .args(["client-udp", &port.to_string()])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("erreur : pas de réponse"));
}

#[test]
fn daytime_refuse_un_port_invalide() {
    commande(DAYTIME)
        .args(["serveur", "70000"])
        .assert()
        .code(64)
        .stderr(predicate::str::contains("port invalide").and(predicate::str::contains("usage :")));
}

// ---------------------------------------------------------------------------
// écho
// ---------------------------------------------------------------------------

#[test]
fn echo_renvoie_les_messages_de_plusieurs_clients_successifs() {
    let serveur = Serveur::lancer(ECHO);
    let port = serveur.port.to_string();
    // Plus long que le tampon de 32 octets du serveur : l'écho revient en
    // plusieurs morceaux, que read_exact recolle.
    let long = "Un message assez long pour être renvoyé en plusieurs morceaux, accents compris.";
    for message in ["bonjour", long] {
        commande(ECHO)
            .args(["client", &port, message])
            .assert()
            .success()
            .stdout(format!("Reçu : {message}\n"));
    }
    serveur.attendre(&format!(": {} octets renvoyés", "bonjour".len()));
    serveur.attendre(&format!(": {} octets renvoyés", long.len()));
}

#[test]
fn echo_client_sans_serveur_explique_le_refus() {
    let libre = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = libre.local_addr().unwrap().port();
    drop(libre);
    commande(ECHO)
        .args(["client", &port.to_string(), "allo"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "erreur : impossible de se connecter",
        ));
}

// ---------------------------------------------------------------------------
// bar
// ---------------------------------------------------------------------------

#[test]
fn bar_sert_un_client_jusqu_a_fin_puis_le_suivant() {
    let serveur = Serveur::lancer(BAR);
    let port = serveur.port.to_string();
    commande(BAR)
        .args(["client", &port])
        .write_stdin("un chocolat chaud\nfin\n")
        .assert()
        .success()
        .stdout(
            predicate::str::contains(format!(
                "Connecté au bar (port {port}) ; « fin » pour partir"
            ))
            .and(predicate::str::contains(
                "vous m'avez demandé : un chocolat chaud bien reçu 5 / 5\n",
            ))
            .and(predicate::str::contains(
                "vous m'avez demandé : fin bien reçu 5 / 5\n",
            ))
            .and(predicate::str::ends_with("Au revoir\n")),
        );
    serveur.attendre("  commande : un chocolat chaud");
    serveur.attendre(" parti");

    // Serveur itératif : le client suivant est servi à son tour. Une entrée
    // vide fait partir le client poliment, avec « fin ».
    commande(BAR)
        .args(["client", &port])
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "vous m'avez demandé : fin bien reçu 5 / 5",
        ));
    serveur.attendre("  commande : fin");
}

#[test]
fn bar_decoupe_les_commandes_par_ligne_quel_que_soit_l_envoi() {
    let serveur = Serveur::lancer(BAR);
    let mut flux = connecter(serveur.adresse());
    // Deux commandes collées dans un seul envoi, puis une troisième coupée
    // en deux envois : le serveur doit répondre une fois par ligne.
    flux.write_all("un café\nun thé\nune limo".as_bytes())
        .unwrap();
    thread::sleep(Duration::from_millis(50));
    flux.write_all(b"nade\nfin\n").unwrap();
    let mut reponse = String::new();
    flux.read_to_string(&mut reponse).unwrap();
    assert_eq!(
        reponse,
        "vous m'avez demandé : un café bien reçu 5 / 5\n\
         vous m'avez demandé : un thé bien reçu 5 / 5\n\
         vous m'avez demandé : une limonade bien reçu 5 / 5\n\
         vous m'avez demandé : fin bien reçu 5 / 5\n"
    );
}

#[test]
fn bar_survit_a_un_client_qui_part_sans_dire_fin() {
    let serveur = Serveur::lancer(BAR);
    let mut flux = connecter(serveur.adresse());
    flux.write_all(b"une pression\n").unwrap();
    let mut ligne = String::new();
    BufReader::new(&flux).read_line(&mut ligne).unwrap();
    assert_eq!(
        ligne,
        "vous m'avez demandé : une pression bien reçu 5 / 5\n"
    );
    drop(flux);
    serveur.attendre(" parti");
    commande(BAR)
        .args(["client", &serveur.port.to_string()])
        .write_stdin("fin\n")
        .assert()
        .success();
}

// ---------------------------------------------------------------------------
// Démonstrations qui se terminent seules
// ---------------------------------------------------------------------------

#[test]
fn envoi_partiel_write_court_seulement_non_bloquant_ou_sur_delai() {
    commande(env!("CARGO_BIN_EXE_exemple-envoi-partiel"))
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"write\(8388608 octets\) → \d+ octets acceptés")
                .unwrap()
                .and(predicate::str::contains("WouldBlock"))
                .and(predicate::str::contains(
                    "le lecteur a reçu 8388608 octets sur 8388608",
                ))
                .and(predicate::str::contains("dans l'ordre"))
                // Socket bloquante : un seul write prend les 8 Mio (Linux).
                .and(
                    predicate::str::is_match(
                        r"write\(8388608 octets\) → 8388608 octets acceptés, après \d+ ms",
                    )
                    .unwrap(),
                )
                // Délai d'écriture : le write bloquant rend un compte partiel.
                .and(
                    predicate::str::is_match(
                        r"write\(8388608 octets\) → [1-9]\d* octets acceptés : le délai a coupé",
                    )
                    .unwrap(),
                ),
        );
}

#[test]
fn cinq_cents_entiers_lecture_courte_puis_read_exact() {
    commande(env!("CARGO_BIN_EXE_exemple-cinq-cents-entiers"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("500 entiers annoncés")
                .and(predicate::str::is_match(r"read unique → \d+ octets sur 2000").unwrap())
                .and(predicate::str::contains("les 2000 octets sont là"))
                .and(predicate::str::contains("(ordre réseau) : 0x1234abcd"))
                .and(predicate::str::contains("(à tort)      : 0xcdab3412"))
                .and(predicate::str::contains("bien ceux envoyés")),
        );
}

#[test]
fn appels_bloquants_chaque_appel_attend_puis_depasse_son_delai() {
    let mut attendu = predicate::str::contains("Chaque appel reçoit un délai").boxed();
    for appel in ["accept", "connect", "read", "write", "recv_from"] {
        let motif = format!(r"(?m)^{appel} +.* : délai dépassé au bout de \d+ ms$");
        attendu = attendu
            .and(predicate::str::is_match(motif).unwrap())
            .boxed();
    }
    commande(env!("CARGO_BIN_EXE_exemple-appels-bloquants"))
        .assert()
        .success()
        .stdout(attendu);
}

#[test]
fn interblocage_montre_les_deux_cas_et_le_remede() {
    commande(env!("CARGO_BIN_EXE_exemple-interblocage"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("serveur : bloqué dans read")
                .and(predicate::str::contains("client : bloqué dans read"))
                .and(predicate::str::contains("serveur : bloqué dans write"))
                .and(predicate::str::contains("client : bloqué dans write"))
                .and(predicate::str::contains(
                    "client : 16 Mio envoyés, 16 Mio reçus",
                ))
                .and(predicate::str::contains("les deux messages sont passés")),
        );
}

#[test]
fn udp_concurrent_sert_tous_les_clients_avec_un_ou_quatre_fils() {
    commande(env!("CARGO_BIN_EXE_exemple-udp-concurrent"))
        .assert()
        .success()
        .stdout(
            // Le serveur itératif ne traite jamais deux requêtes à la fois.
            predicate::str::is_match(
                r"serveur itératif, 1 fil +: 4 réponses sur 4 en \d+ ms ; au plus 1 requête",
            )
            .unwrap()
            .and(
                predicate::str::is_match(r"réserve de 4 fils +: 4 réponses sur 4 en \d+ ms")
                    .unwrap(),
            )
            .and(predicate::str::contains("requête 4 : traitée par le fil ")),
        );
}

#[test]
fn arret_propre_demonstration_previent_le_client_et_refuse_les_suivants() {
    commande(ARRET_PROPRE).assert().success().stdout(
        predicate::str::contains("client : « bonjour » → « reçu : bonjour »")
            .and(predicate::str::contains(
                "client : « serveur en arrêt, au revoir », puis la fin du flux",
            ))
            .and(predicate::str::contains(
                "nouveau client : connexion refusée",
            ))
            .and(predicate::str::contains(
                "serveur : 1 session(s) terminée(s), arrêt propre",
            )),
    );
}

#[test]
fn arret_propre_sur_sigint_le_client_recoit_l_adieu_et_le_code_est_0() {
    let mut serveur = Serveur::lancer(ARRET_PROPRE);
    let flux = connecter(serveur.adresse());
    (&flux).write_all(b"salut\n").unwrap();
    let mut lecteur = BufReader::new(&flux);
    let mut ligne = String::new();
    lecteur.read_line(&mut ligne).unwrap();
    assert_eq!(ligne, "reçu : salut\n");

    // Ctrl+C : SIGINT au serveur.
    let pid = libc::pid_t::try_from(serveur.enfant.id()).unwrap();
    // SAFETY: kill() ne touche à aucune mémoire ; `pid` est notre enfant,
    // pas encore attendu, donc pas réutilisé.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);

    let mut reste = String::new();
    lecteur.read_to_string(&mut reste).unwrap();
    assert_eq!(reste, "serveur en arrêt, au revoir\n");
    serveur.attendre("Arrêt propre : 1 session(s) terminée(s)");
    // Le serveur finit de lui-même, avec le code 0 (attente bornée).
    let debut = std::time::Instant::now();
    let statut = loop {
        if let Some(statut) = serveur.enfant.try_wait().unwrap() {
            break statut;
        }
        assert!(
            debut.elapsed() < ATTENTE_LIGNE,
            "le serveur ne s'arrête pas après SIGINT"
        );
        thread::sleep(Duration::from_millis(20));
    };
    assert!(statut.success(), "code de sortie après SIGINT : {statut}");
}

#[test]
fn reveils_ecriture_un_abonnement_permanent_ne_reveille_pas_a_chaque_acquittement() {
    let sortie = commande(env!("CARGO_BIN_EXE_exemple-reveils-ecriture"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("1. À l'enregistrement : 1 réveil(s)").and(
                predicate::str::is_match(r"3\. Tampon rempli .* : [1-9]\d* réveil\(s\)").unwrap(),
            ),
        )
        .get_output()
        .stdout
        .clone();
    // epoll en mode front : aucun réveil tant que le tampon d'émission n'a
    // jamais été plein, si nombreux que soient les accusés de réception.
    if cfg!(target_os = "linux") {
        let texte = String::from_utf8_lossy(&sortie);
        assert!(
            texte.contains("200 envois de 100 octets, lus et acquittés : 0 réveil(s)"),
            "sous Linux, les accusés de réception ne devraient réveiller personne :\n{texte}"
        );
    }
}
