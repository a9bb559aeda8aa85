//! Noter une copie (un étudiant, un TP) : le modèle du TP est compilé une
//! fois (dépendances et exécutables de test, depuis les sources vierges) ;
//! chaque copie ne compile plus que son binaire, dans un dossier cible à
//! elle amorcé par des liens physiques vers celui du modèle, puis chaque
//! étape est lancée à part. Tout passe par le bac à sable ; sans lui (option
//! explicite de l'enseignant), chaque copie recompile aussi ses tests.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use super::atelier;
use super::bac_a_sable::{BANC, BacASable, CIBLE, Montage};
use super::banc::{self, Bornes, Correction};
use super::execution::{Issue, lancer_borne};
use super::limites::Limites;
use crate::tps::Tp;

/// Où compiler et exécuter : dans le bac à sable, ou directement (risque
/// accepté par l'enseignant).
#[derive(Debug, Clone)]
pub enum Lanceur {
    BacASable(BacASable),
    /// Sans bac à sable. En root (`setpriv` donné), les étapes tournent
    /// quand même sous un utilisateur sans privilège propre au fil.
    Direct(Option<PathBuf>),
}

/// Le modèle d'un TP : l'atelier vierge, le dossier cible compilé une fois,
/// les exécutables de test et la liste des étapes.
#[derive(Debug, Clone)]
pub struct Modele {
    pub tp: Tp,
    atelier: PathBuf,
    cible: PathBuf,
    /// Les exécutables de test, en exécution seule (voir SECURITE.md).
    banc: PathBuf,
    /// (nom de l'exécutable dans le banc, étape), dans l'ordre des étapes.
    pub etapes: Vec<(String, String)>,
    /// Les exécutables de test dans le dossier cible (à ne pas amorcer).
    tests: Vec<PathBuf>,
}

impl Lanceur {
    /// La commande qui lance `programme` (chemin du bac à sable : /chaine,
    /// /banc…) avec `montage`. Sans bac à sable, les chemins sont réels.
    fn commande(&self, montage: &Montage, programme: &Path, pid_1: bool) -> Command {
        match self {
            Lanceur::BacASable(bac) => bac.commande(montage, programme, pid_1),
            Lanceur::Direct(setpriv) => {
                let mut c = match (setpriv, montage.cible_en_ecriture) {
                    // Les étapes (cible en lecture seule) : l'utilisateur du fil.
                    (Some(setpriv), false) => {
                        let uid = uid_du_fil(montage.fil).to_string();
                        let mut c = Command::new(setpriv);
                        c.args(["--reuid", &uid, "--regid", &uid, "--clear-groups"])
                            .args(["--inh-caps=-all", "--"])
                            .arg(programme);
                        c
                    }
                    _ => Command::new(programme),
                };
                c.current_dir(montage.atelier)
                    .env("CARGO_TARGET_DIR", montage.cible)
                    .env("CARGO_INCREMENTAL", "0")
                    .env("CARGO_TERM_COLOR", "never");
                c
            }
        }
    }

    fn cargo(&self) -> PathBuf {
        match self {
            Lanceur::BacASable(bac) => bac.cargo(),
            Lanceur::Direct(_) => {
                std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
            }
        }
    }

    /// Les limites d'un lancement du fil `fil` (l'uid dont RLIMIT_NPROC compte
    /// les processus).
    fn limites(&self, limites: &Limites, fil: u32) -> Limites {
        let mut limites = *limites;
        limites.uid = match self {
            Lanceur::BacASable(bac) => bac.uid(fil),
            Lanceur::Direct(Some(_)) => Some(uid_du_fil(fil)),
            Lanceur::Direct(None) => None,
        };
        limites
    }

    fn donner(&self, dossier: &Path, fil: u32) -> anyhow::Result<()> {
        match self {
            Lanceur::BacASable(bac) => bac.donner(dossier, fil),
            Lanceur::Direct(_) => Ok(()),
        }
    }

    /// Sans bac à sable, en root : tue tout ce qui tourne encore sous
    /// l'utilisateur du fil (un démon détaché de l'étape).
    fn nettoyer(&self, fil: u32) {
        if let Lanceur::Direct(Some(_)) = self {
            super::execution::tuer_l_utilisateur(uid_du_fil(fil));
        }
    }

    /// Le chemin réel d'un chemin du bac à sable sous /cible.
    fn hors_du_bac(&self, chemin: &str, cible: &Path) -> PathBuf {
        match (self, Path::new(chemin).strip_prefix(CIBLE)) {
            (Lanceur::BacASable(_), Ok(relatif)) => cible.join(relatif),
            _ => PathBuf::from(chemin),
        }
    }
}

/// L'uid (hors du bac à sable) du fil de notation `fil`, en root.
pub fn uid_du_fil(fil: u32) -> u32 {
    1_000_000 + (std::process::id() % 100_000) * 64 + fil.min(63)
}

/// Compile le modèle du `tp` dans `dossier` (vidé) : l'atelier vierge, ses
/// dépendances, ses exécutables de test, sa liste d'étapes.
pub fn preparer_modele(
    lanceur: &Lanceur,
    enseignant: &Path,
    tp: &Tp,
    dossier: &Path,
    bornes: &Bornes,
) -> anyhow::Result<Modele> {
    let atelier = dossier.join("atelier");
    atelier::preparer(&atelier, enseignant, tp)?;
    ajuster_verrou(&atelier, &bornes.compilation)?;
    let cible = dossier.join("cible");
    atelier::vider(&cible)?;
    lanceur.donner(&cible, 0)?;
    let montage = Montage {
        atelier: &atelier,
        src: Some((&tp.nom, &tp.dossier.join("src"))),
        cible: &cible,
        cible_en_ecriture: true,
        banc: None,
        fil: 0,
    };
    let direct_src;
    if let Lanceur::Direct(_) = lanceur {
        direct_src = atelier.join("exercises").join(&tp.nom).join("src");
        atelier::copier_src(&tp.dossier.join("src"), &direct_src)?;
    }
    let issue = compiler(lanceur, &montage, &tp.paquet, true, &bornes.compilation)?;
    if !issue.reussie() {
        bail!(
            "le squelette de {} ne compile pas dans l'atelier :\n{}",
            tp.nom,
            issue.erreurs.trim()
        );
    }
    let tests: Vec<PathBuf> = executables_de_test(&issue.sortie)
        .iter()
        .map(|e| lanceur.hors_du_bac(e, &cible))
        .collect();
    let banc = dossier.join("banc");
    atelier::vider(&banc)?;
    let mut etapes = Vec::new();
    for test in &tests {
        let nom = test
            .file_name()
            .context("exécutable de test sans nom")?
            .to_string_lossy()
            .into_owned();
        let copie = banc.join(&nom);
        fs::copy(test, &copie).with_context(|| format!("copie de {}", test.display()))?;
        // Exécution seule : un processus lancé d'un fichier illisible n'est
        // pas « dumpable » ; le programme de l'étudiant, même utilisateur,
        // ne peut ni le tracer, ni lire sa mémoire, ni ouvrir ses descripteurs.
        fs::set_permissions(&copie, fs::Permissions::from_mode(0o111))?;
        for etape in banc::lister_borne(&copie, &bornes.etape)? {
            etapes.push((nom.clone(), etape));
        }
    }
    let _ = fs::remove_dir_all(cible.join("debug/incremental"));
    Ok(Modele {
        tp: tp.clone(),
        atelier,
        cible,
        banc,
        etapes,
        tests,
    })
}

/// Réduit le `Cargo.lock` de l'atelier à son seul membre (mêmes versions),
/// hors du bac à sable : les sources sont vierges, et dans le bac à sable
/// l'atelier est en lecture seule (cargo y compile avec `--locked`).
///
/// Hors ligne, `cargo metadata` voudrait le manifeste de chaque paquet du
/// verrou, même de ceux d'autres plateformes (`r-efi`, pour UEFI), que cette
/// machine n'a jamais téléchargés : `--filter-platform` s'en tient à la
/// plateforme hôte, la seule où l'atelier compile. Le verrou écrit, lui, ne
/// dépend pas de ce filtre.
fn ajuster_verrou(atelier: &Path, limites: &Limites) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut commande = Command::new(cargo);
    commande
        .args([
            "metadata",
            "--offline",
            "--filter-platform",
            &plateforme_hote(limites)?,
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(atelier.join("Cargo.toml"));
    let issue = lancer_borne(commande, limites)?;
    if !issue.reussie() {
        bail!(
            "cargo metadata a échoué dans l'atelier {} :\n{}",
            atelier.display(),
            issue.erreurs.trim()
        );
    }
    Ok(())
}

/// Le triplet de la plateforme hôte (`x86_64-unknown-linux-gnu`…), d'après
/// `rustc -vV`.
fn plateforme_hote(limites: &Limites) -> anyhow::Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let mut commande = Command::new(rustc);
    commande.arg("-vV");
    let issue = lancer_borne(commande, limites)?;
    issue
        .sortie
        .lines()
        .find_map(|ligne| ligne.strip_prefix("host: "))
        .map(str::to_owned)
        .with_context(|| {
            format!(
                "rustc -vV ne dit pas la plateforme hôte :\n{}",
                issue.erreurs.trim()
            )
        })
}

/// `cargo build` du paquet (avec ses tests si `tests`), borné ; la sortie
/// est le JSON de cargo, les erreurs celles du compilateur.
fn compiler(
    lanceur: &Lanceur,
    montage: &Montage,
    paquet: &str,
    tests: bool,
    limites: &Limites,
) -> anyhow::Result<Issue> {
    let mut commande = lanceur.commande(montage, &lanceur.cargo(), false);
    commande.args([
        "build",
        "--offline",
        "--locked",
        "--quiet",
        "--message-format=json-render-diagnostics",
        "-p",
        paquet,
    ]);
    if tests {
        commande.arg("--tests");
    } else {
        commande.args(["--bin", paquet]);
    }
    lancer_borne(commande, &lanceur.limites(limites, montage.fil))
}

/// Les exécutables de test annoncés par cargo (`--message-format=json`).
fn executables_de_test(sortie: &str) -> Vec<String> {
    sortie
        .lines()
        .filter_map(|ligne| serde_json::from_str::<serde_json::Value>(ligne).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter_map(|m| m["executable"].as_str().map(str::to_string))
        .collect()
}

/// Note la copie dont le `src/` (déjà vérifié) est `src`, dans `dossier`
/// (vidé, puis supprimé), par le fil `fil`.
pub fn noter(
    lanceur: &Lanceur,
    modele: &Modele,
    src: &Path,
    dossier: &Path,
    bornes: &Bornes,
    fil: u32,
) -> Correction {
    let total = modele.etapes.len();
    let correction = noter_dans(lanceur, modele, src, dossier, bornes, fil)
        .unwrap_or_else(|e| Correction::impossible(total, format!("Copie non notée : {e:#}")));
    let _ = fs::remove_dir_all(dossier);
    correction
}

fn noter_dans(
    lanceur: &Lanceur,
    modele: &Modele,
    src: &Path,
    dossier: &Path,
    bornes: &Bornes,
    fil: u32,
) -> anyhow::Result<Correction> {
    let total = modele.etapes.len();
    atelier::vider(dossier)?;
    let copie_src = dossier.join("src");
    if let Err(e) = atelier::copier_src(src, &copie_src) {
        return Ok(Correction::impossible(
            total,
            format!("Copie refusée : {e:#}"),
        ));
    }
    let cible = dossier.join("cible");
    let direct = matches!(lanceur, Lanceur::Direct(_));
    let atelier = if direct {
        // Sans bac à sable, pas de montage : un atelier par copie.
        let atelier = dossier.join("atelier");
        atelier::preparer_copie_directe(&modele.atelier, &atelier, &modele.tp.nom, &copie_src)?;
        atelier
    } else {
        modele.atelier.clone()
    };
    amorcer(
        &modele.cible,
        &cible,
        &modele.tp.paquet,
        &modele.tests,
        &|d| lanceur.donner(d, fil),
    )?;
    let montage = Montage {
        atelier: &atelier,
        src: Some((&modele.tp.nom, &copie_src)),
        cible: &cible,
        cible_en_ecriture: true,
        banc: None,
        fil,
    };
    let issue = compiler(
        lanceur,
        &montage,
        &modele.tp.paquet,
        direct,
        &bornes.compilation,
    )?;
    if issue.statut.is_none() {
        return Ok(Correction::impossible(
            total,
            format!(
                "Compilation interrompue : plus de {} s.",
                bornes.compilation.delai.as_secs()
            ),
        ));
    }
    if !issue.reussie() {
        let erreurs = issue.erreurs.trim();
        return Ok(Correction::impossible(
            total,
            format!("Le code ne compile pas.\n{erreurs}"),
        ));
    }
    let mut bornes = *bornes;
    bornes.etape = lanceur.limites(&bornes.etape, fil);
    if direct {
        // Les tests recompilés de la copie, à leur place réelle, en
        // exécution seule (voir le bac à sable).
        let tests = executables_de_test(&issue.sortie);
        let mut a_lancer = Vec::new();
        for test in tests {
            fs::set_permissions(&test, fs::Permissions::from_mode(0o111))?;
            for etape in banc::lister_borne(Path::new(&test), &bornes.etape)? {
                a_lancer.push((PathBuf::from(&test), etape));
            }
        }
        let montage = Montage {
            cible_en_ecriture: false,
            ..montage
        };
        let correction = banc::executer_etapes(&a_lancer, &bornes, |exe, nom| {
            let mut c = lanceur.commande(&montage, exe, true);
            c.args(banc::arguments_d_etape(nom));
            c
        });
        lanceur.nettoyer(fil);
        return Ok(correction);
    }
    let montage = Montage {
        cible_en_ecriture: false,
        banc: Some(&modele.banc),
        ..montage
    };
    let a_lancer: Vec<(PathBuf, String)> = modele
        .etapes
        .iter()
        .map(|(exe, etape)| (Path::new(BANC).join(exe), etape.clone()))
        .collect();
    Ok(banc::executer_etapes(&a_lancer, &bornes, |exe, nom| {
        let mut c = lanceur.commande(&montage, exe, true);
        c.args(banc::arguments_d_etape(nom));
        c
    }))
}

/// Amorce le dossier cible d'une copie : des liens physiques vers les
/// fichiers du modèle (les dépendances compilées), sauf ce qui appartient au
/// paquet du TP lui-même, que la copie recompile. Les dossiers sont créés
/// neufs et donnés à la copie ; les fichiers liés restent au modèle (en
/// root : un autre utilisateur, la copie ne peut pas les modifier).
fn amorcer(
    modele: &Path,
    cible: &Path,
    paquet: &str,
    tests: &[PathBuf],
    donner: &dyn Fn(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let crate_ = paquet.replace('-', "_");
    let propre = |nom: &str| {
        nom == paquet
            || nom.starts_with(&format!("{paquet}-"))
            || nom.starts_with(&format!("{paquet}."))
            || nom.starts_with(&format!("{crate_}-"))
            || nom.starts_with(&format!("lib{crate_}-"))
    };
    let mut a_voir = vec![PathBuf::new()];
    fs::create_dir_all(cible)?;
    donner(cible)?;
    while let Some(relatif) = a_voir.pop() {
        for entree in fs::read_dir(modele.join(&relatif))? {
            let entree = entree?;
            let nom = entree.file_name().to_string_lossy().into_owned();
            let chemin = relatif.join(&nom);
            let genre = entree.file_type()?;
            let profondeur = relatif.components().count();
            let a_sauter = (profondeur == 0 && !genre.is_dir())
                || nom == "incremental"
                || nom == ".cargo-lock"
                || (profondeur >= 1 && propre(&nom))
                || tests.iter().any(|t| {
                    *t == modele.join(&chemin) || t.with_extension("d") == modele.join(&chemin)
                });
            if a_sauter || genre.is_symlink() {
                continue;
            }
            if genre.is_dir() {
                fs::create_dir(cible.join(&chemin))?;
                donner(&cible.join(&chemin))?;
                a_voir.push(chemin);
            } else {
                fs::hard_link(entree.path(), cible.join(&chemin))
                    .with_context(|| format!("lien vers {}", entree.path().display()))?;
            }
        }
    }
    Ok(())
}
