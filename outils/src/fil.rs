//! Ce qui passe sur le fil : les captures du chapitre du même nom.
//!
//! `cargo fil` lance les programmes du cours sur la boucle locale pendant
//! que `tcpdump -i lo` enregistre ce qui passe, et écrit une capture texte
//! par scénario dans `src/captures/` :
//! - `tp09-echange.txt` : un échange complet du TP09 (poignée de main en
//!   trois temps, segments de données, une fin de flux de chaque côté) ;
//! - `tp09-reinitialisation.txt` : un client qui ferme sa socket sans lire
//!   la bienvenue du serveur — son noyau répond par un RST ;
//! - `tp10-udp.txt` : une question et sa réponse du TP10 en UDP ;
//! - `tp10-port-injoignable.txt` : le client du TP10 face à un port où
//!   personne n'écoute — le noyau répond par un ICMP « port unreachable ».
//!
//! Les figures du chapitre viennent de là et de nulle part ailleurs : les
//! régénérer, c'est relancer `cargo fil` (il faut `tcpdump` et le droit de
//! capturer : root, ou la capacité CAP_NET_RAW). Les programmes lancés sont
//! les corrigés quand l'espace de travail les a, sinon les programmes de
//! l'étudiant (`tp09`, `tp10`).

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Le temps laissé à un programme ou à tcpdump pour démarrer.
const DELAI_DEMARRAGE: Duration = Duration::from_secs(10);
/// Le temps laissé à un scénario pour se terminer.
const DELAI_SCENARIO: Duration = Duration::from_secs(10);

/// Les binaires des TP09 et TP10 à faire parler.
#[derive(Debug, Clone)]
pub struct Programmes {
    pub tp09: PathBuf,
    pub tp10: PathBuf,
}

/// Une capture : son nom de fichier et ses lignes.
#[derive(Debug, Clone)]
pub struct Capture {
    pub fichier: &'static str,
    pub lignes: Vec<String>,
}

/// Construit les binaires (les corrigés s'ils sont là) et rend leurs chemins.
pub fn construire_les_programmes(racine: &Path) -> Result<Programmes> {
    let corriges = racine.join("solutions").exists();
    let (tp09, tp10) = if corriges {
        ("tp09-corrige", "tp10-corrige")
    } else {
        ("tp09", "tp10")
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let sortie = Command::new(cargo)
        .current_dir(racine)
        .args([
            "build",
            "--quiet",
            "--message-format=json",
            "-p",
            tp09,
            "-p",
            tp10,
        ])
        .stderr(Stdio::inherit())
        .output()
        .context("impossible de lancer cargo")?;
    if !sortie.status.success() {
        bail!("la construction de {tp09} et {tp10} a échoué");
    }
    let trouve = |nom: &str| -> Result<PathBuf> {
        String::from_utf8_lossy(&sortie.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|m| m["target"]["name"] == nom)
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .with_context(|| format!("exécutable {nom} introuvable après la construction"))
    };
    Ok(Programmes {
        tp09: trouve(tp09)?,
        tp10: trouve(tp10)?,
    })
}

/// Capture les quatre scénarios, et vérifie que chacun montre ce que le
/// chapitre en dit ([`verifier`]).
pub fn capturer(programmes: &Programmes) -> Result<Vec<Capture>> {
    verifier_tcpdump()?;
    let captures = vec![
        Capture {
            fichier: "tp09-echange.txt",
            lignes: echange_tp09(&programmes.tp09)?,
        },
        Capture {
            fichier: "tp09-reinitialisation.txt",
            lignes: reinitialisation(&programmes.tp09)?,
        },
        Capture {
            fichier: "tp10-udp.txt",
            lignes: echange_udp(&programmes.tp10)?,
        },
        Capture {
            fichier: "tp10-port-injoignable.txt",
            lignes: port_injoignable(&programmes.tp10)?,
        },
    ];
    for capture in &captures {
        verifier(capture.fichier, &capture.lignes).map_err(|e| {
            anyhow::anyhow!("{} : {e}\n{}", capture.fichier, capture.lignes.join("\n"))
        })?;
    }
    Ok(captures)
}

/// Les drapeaux TCP d'une ligne de tcpdump (« S », « S. », « P. », « F. »,
/// « R. », « . »), et son sens (« 127.0.0.1.41234 > 127.0.0.1.40123 »).
fn segment(ligne: &str) -> Option<(&str, &str)> {
    let drapeaux = ligne.split("Flags [").nth(1)?.split(']').next()?;
    let sens = ligne.split(" IP ").nth(1)?.split(':').next()?;
    Some((drapeaux, sens))
}

/// Vérifie qu'une capture montre ce que le chapitre en dit : la poignée de
/// main et une fin de flux de chaque côté pour l'échange TCP, un RST pour la
/// réinitialisation, la question et la réponse UDP, l'ICMP « port
/// unreachable ». Sert à `cargo fil` avant d'écrire, et aux tests sur les
/// captures publiées.
pub fn verifier(fichier: &str, lignes: &[String]) -> Result<(), String> {
    let lignes: Vec<&str> = lignes
        .iter()
        .map(String::as_str)
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    let segments: Vec<(&str, &str)> = lignes.iter().filter_map(|l| segment(l)).collect();
    let poignee_de_main = || {
        let premiers: Vec<&str> = segments.iter().take(3).map(|(d, _)| *d).collect();
        if premiers == ["S", "S.", "."] {
            Ok(())
        } else {
            Err(format!(
                "poignée de main attendue (S, S., .), vu {premiers:?}"
            ))
        }
    };
    match fichier {
        "tp09-echange.txt" => {
            poignee_de_main()?;
            let client = segments.first().map(|(_, sens)| *sens).unwrap_or_default();
            let fin_de = |du_client: bool| {
                segments
                    .iter()
                    .any(|(d, sens)| d.contains('F') && (*sens == client) == du_client)
            };
            if !segments.iter().any(|(d, _)| d.contains('P')) {
                return Err("aucun segment de données (P)".into());
            }
            if !lignes.iter().any(|l| l.contains("length 68")) {
                return Err("la bienvenue du serveur (68 octets) manque".into());
            }
            if !(fin_de(true) && fin_de(false)) {
                return Err("il faut une fin de flux (F) de chaque côté".into());
            }
            Ok(())
        }
        "tp09-reinitialisation.txt" => {
            poignee_de_main()?;
            let client = segments.first().map(|(_, sens)| *sens).unwrap_or_default();
            if segments
                .iter()
                .any(|(d, sens)| d.starts_with('R') && *sens == client)
            {
                Ok(())
            } else {
                Err("le client doit réinitialiser la connexion (R)".into())
            }
        }
        "tp10-udp.txt" => {
            let udp: Vec<&&str> = lignes
                .iter()
                .filter(|l| l.contains(": UDP, length"))
                .collect();
            match udp.as_slice() {
                [question, reponse, ..] if reponse.contains("length 4") && question != reponse => {
                    Ok(())
                }
                _ => Err(format!(
                    "une question UDP et sa réponse de 4 octets attendues : {udp:?}"
                )),
            }
        }
        "tp10-port-injoignable.txt" => {
            if lignes.iter().any(|l| l.contains(": UDP, length"))
                && lignes
                    .iter()
                    .any(|l| l.contains("ICMP") && l.contains("unreachable"))
            {
                Ok(())
            } else {
                Err("un datagramme et l'ICMP « port unreachable » qui lui répond attendus".into())
            }
        }
        autre => Err(format!("capture inconnue : {autre}")),
    }
}

/// Écrit les captures dans `dossier`, chacune avec la commande qui l'a
/// produite en tête.
pub fn ecrire(captures: &[Capture], dossier: &Path) -> Result<()> {
    std::fs::create_dir_all(dossier)
        .with_context(|| format!("impossible de créer {}", dossier.display()))?;
    for capture in captures {
        let chemin = dossier.join(capture.fichier);
        let mut texte = String::from("# Capturé par `cargo fil` (tcpdump -i lo -n -ttttt)\n");
        for ligne in &capture.lignes {
            texte.push_str(ligne);
            texte.push('\n');
        }
        std::fs::write(&chemin, texte)
            .with_context(|| format!("impossible d'écrire {}", chemin.display()))?;
    }
    Ok(())
}

fn verifier_tcpdump() -> Result<()> {
    match Command::new("tcpdump").arg("--version").output() {
        Ok(sortie) if sortie.status.success() => Ok(()),
        _ => bail!(
            "tcpdump est introuvable : installez-le (Debian, Ubuntu : apt install tcpdump ; \
             macOS : il est déjà là)"
        ),
    }
}

/// Un port libre de la boucle locale, choisi par le noyau.
fn port_libre_tcp() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn port_libre_udp() -> Result<u16> {
    Ok(UdpSocket::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// tcpdump en train d'écouter la boucle locale, et ses lignes à venir.
struct Ecoute {
    tcpdump: Child,
    lignes: mpsc::Receiver<String>,
}

impl Ecoute {
    /// Lance `tcpdump -i lo` avec ce filtre et attend qu'il écoute vraiment
    /// (il l'annonce sur sa sortie d'erreur).
    fn lancer(filtre: &str) -> Result<Ecoute> {
        let mut tcpdump = Command::new("tcpdump")
            .args(["-i", "lo", "-n", "-l", "-ttttt", "--immediate-mode", filtre])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("impossible de lancer tcpdump")?;
        let (envoi, lignes) = mpsc::channel();
        let sortie = tcpdump.stdout.take().context("sortie de tcpdump")?;
        thread::spawn(move || {
            for ligne in BufReader::new(sortie).lines().map_while(Result::ok) {
                if envoi.send(ligne).is_err() {
                    break;
                }
            }
        });
        let erreurs = tcpdump.stderr.take().context("erreurs de tcpdump")?;
        let (pret, attente) = mpsc::channel();
        thread::spawn(move || {
            let mut texte = String::new();
            for ligne in BufReader::new(erreurs).lines().map_while(Result::ok) {
                if ligne.contains("listening on") {
                    let _ = pret.send(Ok(()));
                }
                texte.push_str(&ligne);
                texte.push('\n');
            }
            let _ = pret.send(Err(texte));
        });
        match attente.recv_timeout(DELAI_DEMARRAGE) {
            Ok(Ok(())) => Ok(Ecoute { tcpdump, lignes }),
            Ok(Err(texte)) => {
                let _ = tcpdump.kill();
                let _ = tcpdump.wait();
                bail!(
                    "tcpdump n'a pas pu capturer sur la boucle locale (il faut être root ou \
                     avoir CAP_NET_RAW) :\n{texte}"
                )
            }
            Err(_) => {
                let _ = tcpdump.kill();
                let _ = tcpdump.wait();
                bail!("tcpdump n'a pas commencé à écouter en {DELAI_DEMARRAGE:?}")
            }
        }
    }

    /// Attend `nombre` lignes au moins (bornée), puis arrête tcpdump et rend
    /// tout ce qu'il a écrit.
    fn terminer(mut self, nombre: usize) -> Result<Vec<String>> {
        let limite = Instant::now() + DELAI_SCENARIO;
        let mut recues = Vec::new();
        while recues.len() < nombre {
            let reste = limite.saturating_duration_since(Instant::now());
            match self.lignes.recv_timeout(reste) {
                Ok(ligne) => recues.push(ligne),
                Err(_) => break,
            }
        }
        // SIGINT : tcpdump vide ses tampons et s'arrête proprement.
        // SAFETY: kill(2) sur un enfant que nous avons lancé.
        unsafe {
            libc::kill(self.tcpdump.id() as libc::pid_t, libc::SIGINT);
        }
        let _ = self.tcpdump.wait();
        // Le fil de lecture envoie ce que tcpdump a vidé en s'arrêtant, puis
        // se termine (le canal se ferme).
        while let Ok(ligne) = self.lignes.recv_timeout(DELAI_DEMARRAGE) {
            recues.push(ligne);
        }
        if recues.len() < nombre {
            bail!(
                "tcpdump n'a vu que {} paquet(s), {nombre} attendus :\n{}",
                recues.len(),
                recues.join("\n")
            );
        }
        Ok(recues)
    }
}

/// Un programme du cours, lancé pour un scénario, tué s'il traîne.
struct Lance(Child);

impl Lance {
    fn demarrer(binaire: &Path, args: &[&str]) -> Result<Lance> {
        Command::new(binaire)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map(Lance)
            .with_context(|| format!("impossible de lancer {}", binaire.display()))
    }

    /// Attend la première ligne de sa sortie (un serveur annonce qu'il
    /// écoute : pas de connexion de sonde, qui se verrait dans la capture).
    fn attendre_l_annonce(&mut self) -> Result<String> {
        let sortie = self.0.stdout.take().context("sortie du programme")?;
        let (envoi, annonce) = mpsc::channel();
        thread::spawn(move || {
            let mut lecteur = BufReader::new(sortie);
            let mut ligne = String::new();
            let _ = lecteur.read_line(&mut ligne);
            let _ = envoi.send(ligne);
            // Le reste de la sortie est lu et jeté : le programme ne bloque
            // jamais sur un tube plein.
            let _ = std::io::copy(&mut lecteur, &mut std::io::sink());
        });
        annonce
            .recv_timeout(DELAI_DEMARRAGE)
            .context("le programme n'a rien annoncé")
    }

    /// Attend la fin du programme (bornée).
    fn attendre_fin(&mut self) -> Result<()> {
        let limite = Instant::now() + DELAI_SCENARIO;
        while self.0.try_wait()?.is_none() {
            if Instant::now() > limite {
                bail!("le programme ne s'est pas arrêté en {DELAI_SCENARIO:?}");
            }
            thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }
}

impl Drop for Lance {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Le TP09 de bout en bout : serveur et client du cours.
fn echange_tp09(tp09: &Path) -> Result<Vec<String>> {
    let port = port_libre_tcp()?.to_string();
    let ecoute = Ecoute::lancer(&format!("tcp port {port}"))?;
    let mut serveur = Lance::demarrer(tp09, &["serveur", &port])?;
    serveur.attendre_l_annonce()?;
    let mut client = Lance::demarrer(tp09, &["client", "127.0.0.1", &port])?;
    client.attendre_fin()?;
    serveur.attendre_fin()?;
    // Poignée de main (3), bienvenue + ACK, messages du client + ACK,
    // deux FIN et leurs ACK : au moins dix segments.
    ecoute.terminer(10)
}

/// Un client qui ferme sans lire ce que le serveur lui a envoyé.
fn reinitialisation(tp09: &Path) -> Result<Vec<String>> {
    let port = port_libre_tcp()?;
    let ecoute = Ecoute::lancer(&format!("tcp port {port}"))?;
    let mut serveur = Lance::demarrer(tp09, &["serveur", &port.to_string()])?;
    serveur.attendre_l_annonce()?;
    let client = TcpStream::connect(("127.0.0.1", port)).context("connexion au serveur")?;
    // On attend que la bienvenue soit arrivée dans notre tampon de
    // réception (peek ne la consomme pas), puis on ferme sans la lire.
    client.set_read_timeout(Some(DELAI_SCENARIO))?;
    let mut coup_d_oeil = [0u8; 1];
    client
        .peek(&mut coup_d_oeil)
        .context("la bienvenue n'est pas arrivée")?;
    drop(client);
    serveur.attendre_fin().ok();
    // Poignée de main, bienvenue et son ACK, puis le RST.
    ecoute.terminer(6)
}

/// Une question et sa réponse en UDP (TP10).
fn echange_udp(tp10: &Path) -> Result<Vec<String>> {
    let port = port_libre_udp()?.to_string();
    let ecoute = Ecoute::lancer(&format!("udp port {port}"))?;
    let mut serveur = Lance::demarrer(tp10, &["serveur", &port])?;
    serveur.attendre_l_annonce()?;
    let mut client = Lance::demarrer(tp10, &["client", "127.0.0.1", &port, "Bonjour"])?;
    client.attendre_fin()?;
    ecoute.terminer(2)
}

/// Le client UDP face à un port où personne n'écoute.
fn port_injoignable(tp10: &Path) -> Result<Vec<String>> {
    // Un port UDP réservé puis libéré : personne n'y écoute.
    let port = port_libre_udp()?.to_string();
    let ecoute = Ecoute::lancer(&format!("udp port {port} or icmp"))?;
    let mut client = Lance::demarrer(
        tp10,
        &["client", "--delai", "200", "127.0.0.1", &port, "Bonjour"],
    )?;
    client.attendre_fin()?;
    // Le datagramme et l'ICMP qui lui répond, au moins une fois.
    ecoute.terminer(2)
}
