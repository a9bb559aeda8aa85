//! Le banc de correction : compiler les tests d'un paquet de TP, les
//! énumérer, puis exécuter chaque étape à part, bornée, pour savoir
//! laquelle passe et garder le diagnostic de celles qui échouent.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};

use super::execution::{Issue, lancer_borne};
use super::limites::Limites;

/// Le résultat d'une étape (un `#[test]` du correcteur).
#[derive(Debug, Clone)]
pub struct Etape {
    /// Le nom du test : `serveur_2_bienvenue`.
    pub nom: String,
    pub reussie: bool,
    /// L'étape ne peut pas être vérifiée sur cette machine (elle lit
    /// `/proc`, hors Linux) : ni réussie ni ratée, le diagnostic dit pourquoi.
    pub non_verifiable: bool,
    /// Le diagnostic du correcteur (vide si l'étape passe).
    pub diagnostic: String,
}

impl Etape {
    /// Le titre du diagnostic (« TP09 · serveur · étape 2 — … ») s'il en
    /// commence un, sinon le nom du test.
    pub fn titre_ou_nom(&self) -> &str {
        self.diagnostic
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .filter(|l| l.contains(" · étape "))
            .unwrap_or(&self.nom)
    }
}

/// La correction d'un TP : ses étapes, ou la raison pour laquelle aucune
/// n'a pu être lancée (le code ne compile pas…).
#[derive(Debug, Clone)]
pub struct Correction {
    pub etapes: Vec<Etape>,
    /// Le nombre d'étapes prévues par le correcteur (même si non lancées).
    pub total: usize,
    /// Ce qui a empêché de corriger (compilation ratée, délai total…).
    pub probleme: Option<String>,
}

impl Correction {
    pub fn reussies(&self) -> usize {
        self.etapes.iter().filter(|e| e.reussie).count()
    }

    /// Les étapes que cette machine ne peut pas vérifier.
    pub fn non_verifiables(&self) -> usize {
        self.etapes.iter().filter(|e| e.non_verifiable).count()
    }

    /// La première étape à reprendre : ni réussie, ni invérifiable ici.
    pub fn a_reprendre(&self) -> Option<&Etape> {
        self.etapes.iter().find(|e| !e.reussie && !e.non_verifiable)
    }

    /// Tout ce qui peut être vérifié ici est juste.
    pub fn complete(&self) -> bool {
        self.probleme.is_none()
            && self.total > 0
            && self.reussies() + self.non_verifiables() == self.total
    }

    /// Une correction impossible : aucune étape réussie sur `total`.
    pub fn impossible(total: usize, probleme: impl Into<String>) -> Self {
        Correction {
            etapes: Vec::new(),
            total,
            probleme: Some(probleme.into()),
        }
    }
}

/// Les bornes d'une correction.
#[derive(Debug, Clone, Copy)]
pub struct Bornes {
    /// Pour la compilation (cargo et rustc).
    pub compilation: Limites,
    /// Pour chaque étape (le test, et le programme de l'étudiant qu'il lance).
    pub etape: Limites,
    /// Pour toutes les étapes d'un TP réunies.
    pub total: Duration,
}

impl Default for Bornes {
    fn default() -> Self {
        const MIO: u64 = 1024 * 1024;
        Bornes {
            compilation: Limites {
                delai: Duration::from_secs(300),
                memoire: 4096 * MIO,
                fichier: 1024 * MIO,
                processus: 512,
                uid: None,
            },
            etape: Limites {
                delai: Duration::from_secs(30),
                // Mesuré sur les corrigés : l'étape 6 du TP14 (200 électeurs
                // à la fois) fait tourner ~200 fils dans le test et ~200 dans
                // le serveur ; chacun réserve sa pile et son tas (arène de
                // malloc) dans l'espace d'adressage : 16/17 avec 1 Gio.
                memoire: 4096 * MIO,
                fichier: 64 * MIO,
                processus: 1024,
                uid: None,
            },
            total: Duration::from_secs(180),
        }
    }
}

/// Compile les tests du paquet `paquet` de l'espace de travail `espace` et
/// rend les exécutables de test. L'erreur est la sortie du compilateur.
pub fn compiler(
    espace: &Path,
    paquet: &str,
    cible: &Path,
    limites: &Limites,
) -> anyhow::Result<Result<Vec<PathBuf>, String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut commande = Command::new(cargo);
    commande
        .current_dir(espace)
        .args([
            "build",
            "--tests",
            "--quiet",
            "--message-format=json-render-diagnostics",
        ])
        .args(["-p", paquet, "--target-dir"])
        .arg(cible)
        .env_remove("CARGO_TARGET_DIR")
        .env("CARGO_TERM_COLOR", "never");
    let issue = lancer_borne(commande, limites)?;
    if issue.statut.is_none() {
        return Ok(Err(format!(
            "compilation interrompue : plus de {} s",
            limites.delai.as_secs()
        )));
    }
    if !issue.reussie() {
        return Ok(Err(erreurs_de_compilation(&issue)));
    }
    let mut executables = Vec::new();
    for ligne in issue.sortie.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(ligne) else {
            continue;
        };
        let est_test = message["profile"]["test"].as_bool() == Some(true);
        if message["reason"] == "compiler-artifact"
            && est_test
            && let Some(chemin) = message["executable"].as_str()
        {
            executables.push(PathBuf::from(chemin));
        }
    }
    Ok(Ok(executables))
}

/// Les erreurs du compilateur, sans le bruit de cargo.
fn erreurs_de_compilation(issue: &Issue) -> String {
    let texte = issue.erreurs.trim();
    if texte.is_empty() {
        format!("la compilation a échoué ({:?})", issue.statut)
    } else {
        texte.to_string()
    }
}

/// Les tests d'un exécutable de test, dans l'ordre des étapes : le numéro
/// d'étape dans le nom d'abord (`serveur_2_…` avant `client_3_…`), puis
/// l'ordre alphabétique ; les tests sans numéro (`croise_…`) à la fin.
/// L'énumération est bornée comme une étape par défaut.
pub fn lister(executable: &Path) -> anyhow::Result<Vec<String>> {
    lister_borne(executable, &Bornes::default().etape)
}

/// Comme [`lister`], borné par `limites` (le délai ramené à 20 s au plus).
pub fn lister_borne(executable: &Path, limites: &Limites) -> anyhow::Result<Vec<String>> {
    let mut commande = Command::new(executable);
    commande.args(["--list", "--format", "terse"]);
    let mut limites = *limites;
    limites.delai = limites.delai.min(DELAI_LISTE);
    let issue = lancer_borne(commande, &limites)
        .with_context(|| format!("impossible de lancer {}", executable.display()))?;
    if !issue.reussie() {
        bail!(
            "{} --list a échoué ou dépassé {} s",
            executable.display(),
            limites.delai.as_secs()
        );
    }
    let mut noms: Vec<String> = issue
        .sortie
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect();
    noms.sort_by_key(|nom| (numero_d_etape(nom), nom.clone()));
    Ok(noms)
}

/// Énumérer les tests d'un exécutable ne prend qu'un instant.
const DELAI_LISTE: Duration = Duration::from_secs(20);

/// Le premier nombre du nom (`serveur_2_bienvenue` → 2), sinon « après tout ».
fn numero_d_etape(nom: &str) -> u32 {
    nom.split('_')
        .find_map(|morceau| morceau.parse().ok())
        .unwrap_or(u32::MAX)
}

/// Exécute les étapes des exécutables de test, une à une, bornées ; au-delà
/// du délai total, les étapes restantes sont comptées ratées.
pub fn executer(executables: &[PathBuf], bornes: &Bornes) -> anyhow::Result<Correction> {
    let mut a_lancer = Vec::new();
    for executable in executables {
        for nom in lister_borne(executable, &bornes.etape)? {
            a_lancer.push((executable.clone(), nom));
        }
    }
    Ok(executer_etapes(&a_lancer, bornes, |executable, nom| {
        let mut commande = Command::new(executable);
        commande.args(arguments_d_etape(nom));
        commande
    }))
}

/// Les arguments qui lancent la seule étape `nom` d'un exécutable de test.
pub fn arguments_d_etape(nom: &str) -> [&str; 4] {
    ["--exact", nom, "--nocapture", "--test-threads=1"]
}

/// Exécute les étapes `(exécutable, nom)` une à une, chacune par la commande
/// que rend `commande` (directe, ou dans le bac à sable), bornées ; au-delà
/// du délai total, les étapes restantes sont comptées ratées. Une étape qui
/// ne peut pas être lancée est ratée, avec la raison.
pub fn executer_etapes(
    a_lancer: &[(PathBuf, String)],
    bornes: &Bornes,
    commande: impl Fn(&Path, &str) -> Command,
) -> Correction {
    let total = a_lancer.len();
    let mut etapes = Vec::new();
    let mut ecoule = Duration::ZERO;
    let mut probleme = None;
    for (executable, nom) in a_lancer {
        let nom = nom.clone();
        let reste = bornes.total.saturating_sub(ecoule);
        if reste.is_zero() {
            probleme = Some(format!(
                "délai total de {} s dépassé : étapes suivantes non lancées",
                bornes.total.as_secs()
            ));
            etapes.push(Etape {
                nom,
                reussie: false,
                non_verifiable: false,
                diagnostic: "Étape non lancée : le délai total de la correction est dépassé."
                    .into(),
            });
            continue;
        }
        let mut limites = bornes.etape;
        limites.delai = limites.delai.min(reste);
        let mut lancement = commande(executable, &nom);
        lancement.env("RUST_BACKTRACE", "0");
        match lancer_borne(lancement, &limites) {
            Ok(issue) => {
                ecoule += issue.duree;
                etapes.push(etape_de(nom, &issue, &limites));
            }
            Err(e) => etapes.push(Etape {
                nom,
                reussie: false,
                non_verifiable: false,
                diagnostic: format!("Étape non lancée : {e:#}"),
            }),
        }
    }
    Correction {
        etapes,
        total,
        probleme,
    }
}

/// Interprète l'issue d'un test lancé seul.
fn etape_de(nom: String, issue: &Issue, limites: &Limites) -> Etape {
    if issue.reussie() {
        // `cargo test` ignore hors Linux les étapes qui lisent `/proc`, et
        // donne la raison : « test … ... ignored, non vérifiable sur… ».
        if let Some(raison) = raison_d_ignorer(&issue.sortie) {
            return Etape {
                nom,
                reussie: false,
                non_verifiable: true,
                diagnostic: raison,
            };
        }
        // Un contrôle que la machine ne permet pas (pas de boucle locale
        // IPv6, pas de bwrap…) ne se sait qu'en cours d'étape : l'étape
        // réussit, mais l'a signalé (correcteur::non_verifiable).
        let signalement = correcteur::non_verifiable::lire(&issue.erreurs)
            .or_else(|| correcteur::non_verifiable::lire(&issue.sortie));
        if let Some(raison) = signalement {
            return Etape {
                nom,
                reussie: false,
                non_verifiable: true,
                diagnostic: raison.to_string(),
            };
        }
        return Etape {
            nom,
            // Code 0 sans test lancé (nom inconnu) n'est pas une réussite.
            reussie: issue.sortie.contains("1 passed"),
            non_verifiable: false,
            diagnostic: String::new(),
        };
    }
    let diagnostic = match issue.statut {
        None => format!(
            "Délai dépassé : l'étape tournait encore au bout de {} s ; elle a été arrêtée.\n\
             Indice : un appel bloquant qui attend sans fin (accept, read) ou une boucle infinie ?",
            limites.delai.as_secs()
        ),
        Some(_) => nettoyer(&issue.erreurs),
    };
    Etape {
        nom,
        reussie: false,
        non_verifiable: false,
        diagnostic,
    }
}

/// La raison d'un test ignoré (`test nom ... ignored, raison`), si le test
/// lancé l'a été.
fn raison_d_ignorer(sortie: &str) -> Option<String> {
    if !sortie.contains(" 1 ignored") {
        return None;
    }
    let raison = sortie
        .lines()
        .find_map(|l| l.split_once(" ... ignored"))
        .map(|(_, reste)| reste.trim_start_matches(',').trim().to_string())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "non vérifiable sur cette machine".to_string());
    Some(raison)
}

/// Le diagnostic sans les lignes du banc de test (`thread … panicked`,
/// `note: run with RUST_BACKTRACE`…).
fn nettoyer(erreurs: &str) -> String {
    let garde: Vec<&str> = erreurs
        .lines()
        .filter(|l| {
            !l.starts_with("note: run with `RUST_BACKTRACE") && !l.starts_with("error: test failed")
        })
        .collect();
    let texte = garde.join("\n").trim().to_string();
    if texte.is_empty() {
        "L'étape a échoué sans diagnostic (le test s'est arrêté brutalement).".into()
    } else {
        texte
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    fn issue(sortie: &str) -> Issue {
        Issue {
            statut: Some(std::process::ExitStatus::from_raw(0)),
            sortie: sortie.into(),
            erreurs: String::new(),
            duree: Duration::ZERO,
        }
    }

    /// Hors Linux, `cargo test` ignore les étapes qui lisent `/proc` : la
    /// notation les dit non vérifiables, avec la raison, sans les compter
    /// ni réussies ni à reprendre.
    #[test]
    fn une_etape_ignoree_est_non_verifiable_avec_sa_raison() {
        let limites = Bornes::default().etape;
        let ignoree = etape_de(
            "serveur_4_descripteurs".into(),
            &issue(
                "\nrunning 1 test\ntest serveur_4_descripteurs ... ignored, non vérifiable sur \
                 cette machine : /proc/PID/fd\n\ntest result: ok. 0 passed; 0 failed; 1 ignored; \
                 0 measured; 18 filtered out\n",
            ),
            &limites,
        );
        assert!(ignoree.non_verifiable && !ignoree.reussie);
        assert_eq!(
            ignoree.diagnostic,
            "non vérifiable sur cette machine : /proc/PID/fd"
        );
        let reussie = etape_de(
            "serveur_1_ecoute".into(),
            &issue("test result: ok. 1 passed; 0 failed; 0 ignored"),
            &limites,
        );
        assert!(reussie.reussie && !reussie.non_verifiable);
        let sans_ipv6 = etape_de(
            "client_1_ipv6".into(),
            &Issue {
                erreurs: format!(
                    "{}tp10 · client · étape 1 — serveur en IPv6 : non vérifiable sur cette \
                     machine.\n",
                    correcteur::non_verifiable::MARQUE
                ),
                ..issue("test result: ok. 1 passed; 0 failed; 0 ignored")
            },
            &limites,
        );
        assert!(sans_ipv6.non_verifiable && !sans_ipv6.reussie);
        assert!(sans_ipv6.diagnostic.starts_with("tp10 · client · étape 1"));
        let correction = Correction {
            etapes: vec![reussie, ignoree],
            total: 2,
            probleme: None,
        };
        assert!(correction.complete());
        assert!(correction.a_reprendre().is_none());
        assert_eq!(
            (correction.reussies(), correction.non_verifiables()),
            (1, 1)
        );
    }
}
