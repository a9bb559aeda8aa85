//! Ce que les tests de l'espace de travail partagent : trouver (et au
//! besoin construire) les binaires des autres paquets.
//!
//! Cargo ne donne `CARGO_BIN_EXE_…` que pour les binaires du paquet testé.
//! Les squelettes d'exercices et le catalogue ne sont pas construits par
//! un `cargo test` ordinaire : on appelle donc `cargo build` une fois, dans
//! le même dossier cible, avec le même profil.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use correcteur::processus::Programme;
use std::sync::OnceLock;

#[allow(dead_code)]
pub mod regles;

/// Les paquets dont les binaires servent aux tests de l'espace de travail.
const PAQUETS: [&str; 18] = [
    "tp08",
    "tp08-corrige",
    "tp09",
    "tp09-corrige",
    "tp10",
    "tp10-corrige",
    "tp11",
    "tp11-corrige",
    "tp12",
    "tp12-corrige",
    "tp13",
    "tp13-corrige",
    "tp14",
    "tp14-corrige",
    "tp15",
    "tp15-corrige",
    "catalogue",
    "performances",
];

/// Le chemin d'un binaire de l'espace de travail, construit s'il le faut.
pub fn binaire(nom: &str) -> PathBuf {
    static DOSSIER: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let dossier = DOSSIER
        .get_or_init(construire)
        .as_ref()
        .unwrap_or_else(|e| panic!("{e}"));
    let chemin = dossier.join(nom);
    assert!(
        chemin.exists(),
        "binaire introuvable : {}",
        chemin.display()
    );
    chemin
}

/// `cargo build --bins -p …` dans le dossier cible de ce test ; rend le
/// dossier du profil (`target/debug`).
fn construire() -> Result<PathBuf, String> {
    // Ce test tourne depuis target/<profil>/deps/ : on remonte de deux crans.
    let executable = std::env::current_exe().map_err(|e| e.to_string())?;
    let profil = executable
        .parent()
        .and_then(Path::parent)
        .ok_or("dossier du profil introuvable")?
        .to_path_buf();
    let cible = profil.parent().ok_or("dossier cible introuvable")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut commande = Command::new(cargo);
    commande
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--quiet", "--bins", "--target-dir"])
        .arg(cible);
    if profil.file_name().is_some_and(|n| n == "release") {
        commande.arg("--release");
    }
    for paquet in PAQUETS {
        commande.args(["-p", paquet]);
    }
    let sortie = commande
        .output()
        .map_err(|e| format!("cargo introuvable : {e}"))?;
    if !sortie.status.success() {
        return Err(format!(
            "la construction des binaires a échoué :\n{}",
            String::from_utf8_lossy(&sortie.stderr)
        ));
    }
    Ok(profil)
}

/// Lance une étape sur un binaire et rend son diagnostic, qui doit exister.
pub fn echec(binaire: &str, etape: correcteur::Verification) -> String {
    match correcteur::verifier(etape, &self::binaire(binaire)) {
        Ok(()) => panic!("{binaire} passe l'étape alors qu'il devrait échouer"),
        Err(diagnostic) => diagnostic.to_string(),
    }
}

/// Lance une étape sur un binaire qui doit la réussir.
/// (Seuls les TP qui ont un programme `tpNN-etape-1-seulement` s'en servent.)
#[allow(dead_code)]
pub fn reussite(binaire: &str, etape: correcteur::Verification) {
    if let Err(diagnostic) = etape(&self::binaire(binaire)) {
        panic!("{binaire} devrait réussir l'étape :\n{diagnostic}");
    }
}

/// Le diagnostic porte le titre attendu (première ligne) et chaque extrait.
pub fn verifier(diagnostic: &str, titre: &str, extraits: &[&str]) {
    let premiere = diagnostic.lines().next().unwrap_or_default();
    assert!(
        premiere.contains(titre),
        "titre inattendu : « {premiere} », attendu « {titre} »\n{diagnostic}"
    );
    for extrait in extraits {
        assert!(
            diagnostic.contains(extrait),
            "le diagnostic ne contient pas « {extrait} » :\n{diagnostic}"
        );
    }
}

/// Une solution fausse du catalogue : son binaire, l'étape qu'elle doit
/// rater, le titre de cette étape et ce que le diagnostic doit dire. Le
/// diagnostic doit aussi nommer la règle que le programme déclare enfreindre
/// (première ligne de son source), et l'étape doit être l'une de celles que
/// le chapitre donne pour cette règle.
macro_rules! solution_fausse {
    ($test:ident : $binaire:literal, $etape:path, $titre:literal, [$($extrait:literal),+ $(,)?]) => {
        #[test]
        fn $test() {
            $crate::commun::refus_prouve(
                $binaire,
                stringify!($etape),
                $etape,
                $titre,
                &[$($extrait),+],
            );
        }
    };
}

/// Le corps de `solution_fausse!` : voir la macro.
pub fn refus_prouve(
    binaire: &str,
    chemin_etape: &str,
    etape: correcteur::Verification,
    titre: &str,
    extraits: &[&str],
) {
    let id = regles::regle_enfreinte(binaire);
    let tp = binaire.split('-').next().unwrap_or_default();
    let nom = regles::nom_d_etape(chemin_etape);
    let regle = regles::du_chapitre(tp)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{binaire} enfreint {id}, absente du chapitre"));
    assert!(
        regle.etapes.iter().any(|e| e == nom),
        "{binaire} enfreint {id}, que le chapitre fait vérifier par {:?}, pas par {nom}",
        regle.etapes
    );
    let diagnostic = echec(binaire, etape);
    verifier(&diagnostic, titre, extraits);
    let nommee = format!("Règle enfreinte : {id} ");
    assert!(
        diagnostic.contains(&nommee),
        "le diagnostic de {binaire} doit nommer la règle {id} (« {nommee}») :\n{diagnostic}"
    );
}

/// Une variante correcte du catalogue : elle doit passer toutes les étapes
/// du TP (`variante_correcte!(nom: "tp09-correct-…", TP09)`).
#[allow(unused_macros)]
macro_rules! variante_correcte {
    ($test:ident : $binaire:literal, $liste:ident) => {
        #[test]
        fn $test() {
            $crate::commun::tout_reussit($binaire, correcteur::etapes::$liste);
        }
    };
}

/// Le corps de `variante_correcte!` : chaque étape, et la liste des échecs.
#[allow(dead_code)]
pub fn tout_reussit(binaire: &str, etapes: &[(&str, correcteur::Verification)]) {
    let chemin = self::binaire(binaire);
    let echecs: Vec<String> = etapes
        .iter()
        .filter_map(|(nom, etape)| etape(&chemin).err().map(|d| format!("{nom} :\n{d}")))
        .collect();
    assert!(
        echecs.is_empty(),
        "{binaire} est correct mais rate {} étape(s) :\n{}",
        echecs.len(),
        echecs.join("\n")
    );
}

/// Combien de temps un programme a pour s'arrêter de lui-même.
const DELAI_DE_FIN: Duration = Duration::from_secs(5);

/// Lance un binaire, attend sa fin (bornée) et rend son code, sa sortie
/// d'erreur et le programme (pour lire sa sortie).
pub fn executer(binaire: &str, args: &[&str]) -> (Option<i32>, String, Programme) {
    let mut programme =
        Programme::lancer(&self::binaire(binaire), binaire, args).expect("lancement");
    let statut = programme
        .attendre_fin(DELAI_DE_FIN)
        .expect("le programme doit s'arrêter seul");
    // Ses sorties se ferment avec lui : attendre qu'elles soient lues en
    // entier, plutôt que lire une fois ce qui est déjà arrivé.
    programme.attendre_sorties_fermees(DELAI_DE_FIN);
    (statut.code(), programme.erreurs(), programme)
}

/// Aucune trace de panique (une erreur se signale en français).
pub fn sans_panique(erreurs: &str) {
    assert!(
        !erreurs.contains("panicked"),
        "panique inattendue :\n{erreurs}"
    );
}

/// Le binaire refuse ces arguments comme le veut le sujet : code 64
/// (EX_USAGE), « erreur : … » puis l'usage, en français, sans panique.
pub fn refuse_avec_usage(binaire: &str, args: &[&str]) {
    let (code, erreurs, _) = executer(binaire, args);
    assert_eq!(
        code,
        Some(64),
        "{binaire} {args:?} doit finir avec EX_USAGE : {erreurs}"
    );
    assert!(
        erreurs.starts_with("erreur : ") && erreurs.contains("usage : "),
        "{erreurs}"
    );
    sans_panique(&erreurs);
}
