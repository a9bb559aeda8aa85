//! `banc` : compare les serveurs du cours sur cette machine (`cargo banc`).
//!
//! Construit les serveurs en release, lance chacun sur un port libre de la
//! boucle locale, le charge avec l'outil de charge à 1, 10, 100, 1 000 et
//! 10 000 clients simultanés, l'arrête, et écrit les résultats :
//! `performances/resultats/banc.csv`, `performances/resultats/tableau.md`
//! (inclus dans le chapitre) et `src/images/performances-*.svg`.

use ligne_de_commande::afficherln;
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use ligne_de_commande::clap::{self, Parser};
use ligne_de_commande::entier;
use performances::banc::{self, Chiffres, Issue, Ligne, Programme, Scenario, Serveur};
use performances::charge::{self, Reglages};
use performances::mesure::{decimal, duree_courte, milliers};
use performances::rendu::{self, Grandeur, Tampon};
use performances::{date, systeme};

/// Durée maximale d'une mesure : au-delà, l'outil de charge s'arrête et le dit.
const DELAI_MESURE: Duration = Duration::from_secs(60);
/// Au-delà de ce temps total, les mesures restantes ne sont pas lancées
/// (et le tableau le dit) : le banc entier reste sous la demi-heure.
const BUDGET_TOTAL: Duration = Duration::from_secs(20 * 60);
/// Attente maximale du démarrage d'un serveur.
const DELAI_DEMARRAGE: Duration = Duration::from_secs(10);

/// Compare les serveurs du cours sur cette machine et écrit le tableau et
/// les graphiques du chapitre « Performances mesurées »
#[derive(Parser)]
#[command(
    name = "banc",
    bin_name = "cargo banc",
    version,
    after_help = "Une mesure partielle (avec --niveaux ou --serveurs) n'écrit aucun fichier."
)]
struct Arguments {
    /// Ne mesurer qu'à ces nombres de clients (de 1 à 20000, séparés par
    /// des virgules) ; par défaut : 1,10,100,1000,10000
    #[arg(
        long,
        value_name = "LISTE",
        value_delimiter = ',',
        value_parser = entier::<usize>(1, 20_000)
    )]
    niveaux: Option<Vec<usize>>,
    /// Ne mesurer que ces serveurs (séparés par des virgules)
    #[arg(
        long,
        value_name = "LISTE",
        value_delimiter = ',',
        value_parser = banc::SERVEURS.map(|s| s.id)
    )]
    serveurs: Option<Vec<String>>,
}

/// Ce que la ligne de commande demande.
struct Demande {
    niveaux: Vec<usize>,
    serveurs: Vec<Serveur>,
    complete: bool,
}

impl From<Arguments> for Demande {
    fn from(arguments: Arguments) -> Self {
        let complete = arguments.niveaux.is_none() && arguments.serveurs.is_none();
        let serveurs = match arguments.serveurs {
            // `clap` n'accepte que les identifiants de banc::SERVEURS.
            Some(ids) => ids
                .iter()
                .filter_map(|id| banc::SERVEURS.iter().find(|s| s.id == id))
                .copied()
                .collect(),
            None => banc::SERVEURS.to_vec(),
        };
        Demande {
            niveaux: arguments.niveaux.unwrap_or(banc::NIVEAUX.to_vec()),
            serveurs,
            complete,
        }
    }
}

fn main() -> ExitCode {
    let demande: Demande = match ligne_de_commande::analyser::<Arguments>() {
        Ok(arguments) => arguments.into(),
        Err(code) => return code,
    };
    // La commande telle que tapée, pour le tampon du tableau (l'analyse
    // a déjà refusé tout argument qui n'est pas de l'UTF-8).
    let args: Vec<String> = std::env::args().skip(1).collect();
    match lancer(&demande, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
    }
}

fn lancer(demande: &Demande, args: &[String]) -> Result<()> {
    let debut = Instant::now();
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("racine de l'espace de travail introuvable")?
        .to_path_buf();
    // Les serveurs lancés héritent de cette limite : elle vaut pour eux aussi.
    let descripteurs = systeme::relever_limite_descripteurs()
        .context("impossible de relever la limite de descripteurs")?;
    afficherln!(
        "Banc : {}, pour le banc et les serveurs qu'il lance.",
        descripteurs.phrase()
    );
    let charge_au_debut = charge_moyenne();

    let binaires = construire(&racine)?;
    let python = version_python();
    let journaux = std::env::temp_dir().join(format!("banc-{}", std::process::id()));
    fs::create_dir_all(&journaux).context("impossible de créer le dossier des journaux")?;

    // Chaque mesure est faite ESSAIS fois, en passes successives sur tous
    // les serveurs et tous les niveaux.
    let mesures: Vec<(Scenario, Serveur)> = banc::scenarios(&demande.niveaux)
        .into_iter()
        .flat_map(|scenario| {
            demande
                .serveurs
                .iter()
                .map(move |&serveur| (scenario, serveur))
        })
        .collect();
    let mut essais: Vec<Vec<Issue>> = vec![Vec::new(); mesures.len()];
    let total = mesures.len() * banc::ESSAIS;
    let mut numero = 0;
    for passe in 1..=banc::ESSAIS {
        afficherln!("Passe {passe} sur {} :", banc::ESSAIS);
        for ((scenario, serveur), essais) in mesures.iter().zip(&mut essais) {
            numero += 1;
            let issue = if let Some(raison) = banc::raison_de_ne_pas_lancer(serveur, scenario) {
                Issue::Ignore(raison)
            } else if matches!(serveur.programme, Programme::Python { .. }) && python.is_none() {
                Issue::Ignore("non lancé : python3 introuvable".to_string())
            } else if debut.elapsed() > BUDGET_TOTAL {
                Issue::Ignore(format!(
                    "non lancé : le banc dure déjà plus de {} min",
                    BUDGET_TOTAL.as_secs() / 60
                ))
            } else {
                let journal = journaux.join(format!("{numero}-{}.err", serveur.id));
                mesurer(serveur, scenario, &binaires, &racine, &journal)
            };
            // Une décision prise d'avance vaut pour tous les essais : elle
            // n'est dite qu'une fois.
            if matches!(issue, Issue::Ignore(_)) && !essais.is_empty() {
                continue;
            }
            afficher(numero, total, serveur, scenario, &issue);
            essais.push(issue);
        }
    }
    let lignes: Vec<Ligne> = mesures
        .iter()
        .zip(essais)
        .map(|((scenario, serveur), essais)| {
            // Les essais lancés comptent ; s'il n'y en a aucun, la raison.
            let lances: Vec<Issue> = essais
                .iter()
                .filter(|e| !matches!(e, Issue::Ignore(_)))
                .cloned()
                .collect();
            let issue = if lances.is_empty() {
                essais
                    .into_iter()
                    .next()
                    .unwrap_or(Issue::Ignore(String::new()))
            } else {
                banc::retenir(lances)
            };
            Ligne {
                id: serveur.id.to_string(),
                serveur: serveur.nom.to_string(),
                scenario: *scenario,
                issue,
                remarque: if serveur.rendez_vous {
                    String::new()
                } else {
                    "sans rendez-vous : un client servi à la fois".to_string()
                },
            }
        })
        .collect();
    let _ = fs::remove_dir_all(&journaux);

    let duree = debut.elapsed();
    afficherln!("Banc terminé en {}.", duree_lisible(duree));
    if !demande.complete {
        afficherln!("Mesure partielle : les fichiers du chapitre ne sont pas modifiés.");
        return Ok(());
    }
    let commande = if args.is_empty() {
        "cargo banc".to_string()
    } else {
        format!("cargo banc {}", args.join(" "))
    };
    let tampon = Tampon {
        commande,
        date: date::maintenant(),
        duree: duree_lisible(duree),
        machine: machine(python.as_deref(), &charge_au_debut, &charge_moyenne()),
    };
    ecrire(&racine, &lignes, &tampon)
}

/// `cargo build --release` des serveurs ; rend le dossier des binaires.
///
/// Dans l'espace de travail des étudiants (`cargo livre exporter`), il n'y a
/// pas de corrigés : ce sont alors VOS serveurs des TP12 et TP13
/// (`exercises/`) qui sont construits et mesurés, sous le même nom de binaire.
fn construire(racine: &Path) -> Result<PathBuf> {
    let corriges = racine.join("solutions").is_dir();
    let (tp12, tp13, tp15) = if corriges {
        ("tp12-corrige", "tp13-corrige", "tp15-corrige")
    } else {
        afficherln!(
            "Pas de corrigés ici : ce sont vos serveurs des TP12, TP13 et TP15 (exercises/) qui \
             sont mesurés. Un todo!() restant arrête le serveur : la mesure le dira."
        );
        ("tp12", "tp13", "tp15")
    };
    afficherln!("Construction des serveurs en release…");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let statut = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bins"])
        .args([
            "-p",
            "exemples",
            "-p",
            tp12,
            "-p",
            tp13,
            "-p",
            tp15,
            "-p",
            "performances",
        ])
        .status()
        .context("impossible de lancer cargo build")?;
    if !statut.success() {
        bail!("la construction des serveurs a échoué ({statut})");
    }
    // Ce programme est lui-même dans target/release : les serveurs aussi.
    let moi = std::env::current_exe().context("chemin du banc introuvable")?;
    moi.parent()
        .map(Path::to_path_buf)
        .context("dossier du banc introuvable")
}

/// Le binaire à lancer : le corrigé que nomme le plan du banc, ou, sans
/// corrigés (espace de travail des étudiants), le TP de l'étudiant.
fn binaire_a_lancer(binaires: &Path, racine: &Path, binaire: &str) -> PathBuf {
    if racine.join("solutions").is_dir() {
        binaires.join(binaire)
    } else {
        binaires.join(binaire.trim_end_matches("-corrige"))
    }
}

/// `Python 3.11.7`, ou None si python3 n'est pas là.
fn version_python() -> Option<String> {
    let sortie = Command::new("python3").arg("--version").output().ok()?;
    sortie
        .status
        .success()
        .then(|| String::from_utf8_lossy(&sortie.stdout).trim().to_string())
}

/// Un port libre de la boucle locale, choisi par le noyau (le port 0).
fn port_libre() -> Result<u16> {
    let ecoute = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("aucun port libre")?;
    Ok(ecoute.local_addr().context("port illisible")?.port())
}

/// Un serveur lancé ; tué avec tout son groupe de processus (les fils du
/// serveur Python à fork() compris), puis attendu, quand on le lâche.
struct Lance {
    enfant: Child,
}

impl Drop for Lance {
    fn drop(&mut self) {
        let groupe = self.enfant.id() as libc::pid_t;
        // SAFETY : kill() ne touche à aucune mémoire. Le groupe a pour
        // numéro celui du serveur (process_group(0) au lancement) : on ne
        // vise que lui et ses descendants.
        unsafe {
            libc::kill(-groupe, libc::SIGKILL);
        }
        let _ = self.enfant.wait();
    }
}

/// Lance le serveur sur un port libre et attend qu'il accepte une connexion.
fn demarrer(
    serveur: &Serveur,
    binaires: &Path,
    racine: &Path,
    journal: &Path,
) -> Result<(Lance, SocketAddr)> {
    let mut derniere_erreur = String::new();
    // Un autre programme peut prendre le port entre notre choix et le bind
    // du serveur : on réessaie alors avec un autre.
    for _ in 0..3 {
        let port = port_libre()?.to_string();
        let (programme, args): (PathBuf, Vec<String>) = match serveur.programme {
            Programme::Rust { binaire, args } => (
                binaire_a_lancer(binaires, racine, binaire),
                args.iter().map(|a| a.replace("{port}", &port)).collect(),
            ),
            Programme::Python { script } => (
                PathBuf::from("python3"),
                vec![
                    racine
                        .join("performances/python")
                        .join(script)
                        .display()
                        .to_string(),
                    port.clone(),
                ],
            ),
        };
        let erreurs = File::create(journal).context("impossible de créer un journal")?;
        let mut commande = Command::new(&programme);
        // Un serveur mesuré ne doit rien hériter qui change son coût
        // (PYTHONUNBUFFERED, par exemple) : voir banc::VARIABLES_RETIREES.
        let enfant = banc::environnement_de_mesure(&mut commande)
            .args(&args)
            // Le journal de chaque commande part dans /dev/null : le lire
            // coûterait du processeur au banc, pris aux serveurs mesurés.
            .stdout(Stdio::null())
            .stderr(erreurs)
            .stdin(Stdio::null())
            .env("RUST_BACKTRACE", "0")
            .process_group(0)
            .spawn()
            .with_context(|| format!("impossible de lancer {}", programme.display()))?;
        let mut lance = Lance { enfant };
        let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, port.parse::<u16>()?));
        let limite = Instant::now() + DELAI_DEMARRAGE;
        loop {
            if let Ok(Some(statut)) = lance.enfant.try_wait() {
                derniere_erreur = format!(
                    "le serveur s'est arrêté au démarrage ({statut}) : {}",
                    derniere_ligne(journal)
                );
                break;
            }
            // La sonde se connecte et repart aussitôt : le serveur y voit un
            // client parti sans rien commander.
            if TcpStream::connect_timeout(&adresse, Duration::from_millis(200)).is_ok() {
                return Ok((lance, adresse));
            }
            if Instant::now() > limite {
                bail!(
                    "le serveur n'accepte aucune connexion après {} s",
                    DELAI_DEMARRAGE.as_secs()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
    bail!("{derniere_erreur}")
}

/// Ce que dit le journal d'erreurs d'un serveur tombé : le message de sa
/// panique s'il en a une (la ligne qui suit « panicked at »), sinon sa
/// dernière ligne.
fn derniere_ligne(journal: &Path) -> String {
    let texte = fs::read_to_string(journal).unwrap_or_default();
    let lignes: Vec<&str> = texte.lines().filter(|l| !l.trim().is_empty()).collect();
    let panique = lignes
        .iter()
        .position(|l| l.contains("panicked at"))
        .and_then(|i| lignes.get(i + 1));
    panique
        .or(lignes.last())
        .map_or("(sortie d'erreur vide)".to_string(), |l| {
            l.trim().to_string()
        })
}

/// Une mesure : démarrer le serveur, le charger, l'arrêter.
fn mesurer(
    serveur: &Serveur,
    scenario: &Scenario,
    binaires: &Path,
    racine: &Path,
    journal: &Path,
) -> Issue {
    let (lance, adresse) = match demarrer(serveur, binaires, racine, journal) {
        Ok(demarre) => demarre,
        Err(erreur) => return Issue::Echec(format!("indisponible : {erreur:#}")),
    };
    let reglages = Reglages {
        adresse,
        clients: scenario.clients,
        commandes: scenario.commandes,
        visites: scenario.visites,
        mode: serveur.mode,
        delai: DELAI_MESURE,
        // Un thread de charge par cœur (chacun sa boucle d'événements) : un
        // seul saturait son cœur dès 10 clients et cachait l'écart entre les
        // serveurs rapides. Sur une petite machine, ces threads prennent du
        // processeur au serveur : le tableau donne la part de chacun, pour
        // voir qui, de l'outil ou du serveur, limite la mesure.
        fils: std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(scenario.clients),
        rendez_vous: serveur.rendez_vous,
        barre: true,
    };
    let pid = lance.enfant.id();
    let processeur_avant = processeur_de(pid);
    let issue = match charge::lancer(&reglages) {
        Ok(rapport) => {
            let mut chiffres = Chiffres::de(&rapport);
            chiffres.processeur_serveur = processeur_avant
                .zip(processeur_de(pid))
                .map(|(avant, apres)| (apres - avant) / rapport.duree.as_secs_f64());
            Issue::Mesure(chiffres)
        }
        Err(erreur) => Issue::Echec(format!("outil de charge : {erreur:#}")),
    };
    drop(lance);
    issue
}

/// Le temps de processeur d'un processus, en secondes : ses threads
/// (utime, stime) et ses fils déjà récoltés par waitpid (cutime, cstime),
/// lus dans /proc/PID/stat.
fn processeur_de(pid: u32) -> Option<f64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Le nom du programme, entre parenthèses, peut contenir des espaces :
    // les champs se comptent après la dernière parenthèse fermante. Après
    // elle, le champ 3 (l'état) a l'indice 0 ; utime (14) a l'indice 11.
    let champs: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let tops: u64 = champs
        .get(11..15)?
        .iter()
        .map(|c| c.parse::<u64>().unwrap_or(0))
        .sum();
    // SAFETY : sysconf ne lit qu'une constante du système.
    let par_seconde = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (par_seconde > 0).then(|| tops as f64 / par_seconde as f64)
}

/// Une ligne de progression par essai.
fn afficher(numero: usize, total: usize, serveur: &Serveur, s: &Scenario, issue: &Issue) {
    let quoi = format!(
        "[{numero:>2}/{total}] {:<34} {:>6} clients × {} visite(s) × {} commandes",
        serveur.nom,
        milliers(s.clients as u64),
        milliers(s.visites as u64),
        milliers(s.commandes as u64)
    );
    let bilan = match issue {
        Issue::Mesure(c) => format!(
            "{} {} req/s, médiane {}, p99 {}, pic {}, processeur {:.0} % / {} %{}",
            if c.reussi() { "✓" } else { "✗" },
            milliers(c.debit.round() as u64),
            duree_courte(Duration::from_nanos((c.p50_us * 1e3) as u64)),
            duree_courte(Duration::from_nanos((c.p99_us * 1e3) as u64)),
            milliers(c.pic as u64),
            c.processeur_outil * 100.0,
            c.processeur_serveur
                .map_or("?".to_string(), |p| format!("{:.0}", p * 100.0)),
            c.diagnostic
                .as_ref()
                .map(|d| format!("\n        {}", d.replace('\n', "\n        ")))
                .unwrap_or_default()
        ),
        Issue::Ignore(raison) | Issue::Echec(raison) => format!("— {raison}"),
    };
    afficherln!("{quoi} : {bilan}");
    let _ = io::stdout().flush();
}

/// La charge moyenne du système sur 1, 5 et 15 minutes (/proc/loadavg).
fn charge_moyenne() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// La machine, en une phrase : processeur, cœurs, mémoire, noyau, Python.
fn machine(python: Option<&str>, au_debut: &str, a_la_fin: &str) -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let modele = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("processeur inconnu", |(_, m)| m.trim())
        .to_string();
    let coeurs = thread::available_parallelism().map_or(0, |n| n.get());
    let memoire = fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .map_or("?".to_string(), |kio| decimal(kio / 1024.0 / 1024.0, 0));
    let noyau = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{coeurs} cœurs ({modele}), {memoire} Gio, Linux {}, {} ; charge moyenne du système \
         (1, 5, 15 min) au départ {au_debut}, à la fin {a_la_fin}",
        noyau.trim(),
        python.unwrap_or("sans python3")
    )
}

fn duree_lisible(duree: Duration) -> String {
    let s = duree.as_secs();
    if s >= 60 {
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

/// Écrit le CSV, le tableau et les deux graphiques.
fn ecrire(racine: &Path, lignes: &[Ligne], tampon: &Tampon) -> Result<()> {
    let fichiers = [
        (
            racine.join("performances/resultats/banc.csv"),
            rendu::csv(lignes, tampon),
        ),
        (
            racine.join("performances/resultats/tableau.md"),
            rendu::tableau(lignes, tampon),
        ),
        (
            racine.join("src/images/performances-debit.svg"),
            rendu::graphique(lignes, tampon, Grandeur::Debit),
        ),
        (
            racine.join("src/images/performances-latence.svg"),
            rendu::graphique(lignes, tampon, Grandeur::P99),
        ),
    ];
    for (chemin, contenu) in fichiers {
        fs::write(&chemin, contenu)
            .with_context(|| format!("impossible d'écrire {}", chemin.display()))?;
        afficherln!("Écrit : {}", chemin.display());
    }
    Ok(())
}
