//! Le workflow GitHub Pages (`.github/workflows/pages.yml`) : ses deux
//! étapes, construire puis vérifier, exécutées telles qu'elles y sont
//! écrites (`cargo livre` remplacé par l'exécutable déjà compilé).
//!
//! L'ancienne vérification cherchait « Pour l'enseignant » avec une
//! apostrophe droite, alors que mdBook rend une apostrophe typographique :
//! elle laissait passer l'édition de l'enseignant. Ici, la vérification du
//! workflow doit échouer sur cette édition.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use outils::{Edition, construire_edition};

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// La commande de l'étape du workflow qui lance `cargo livre SOUS_COMMANDE`.
fn etape(sous_commande: &str) -> String {
    let workflow = fs::read_to_string(racine().join(".github/workflows/pages.yml")).unwrap();
    let cherche = format!("cargo livre {sous_commande}");
    let lignes: Vec<&str> = workflow
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && l.contains(&cherche))
        .collect();
    assert_eq!(
        lignes.len(),
        1,
        "une seule étape « {cherche} » : {lignes:?}"
    );
    lignes[0]
        .strip_prefix("run: ")
        .unwrap_or_else(|| panic!("pas une commande d'étape : {}", lignes[0]))
        .to_string()
}

/// Exécute une commande d'étape dans `dossier`, comme le ferait GitHub
/// Actions (bash), avec l'édition choisie au lancement du workflow.
fn executer(commande: &str, dossier: &Path, edition: &str) -> Output {
    let commande = commande.replace("cargo livre", &format!("'{}'", env!("CARGO_BIN_EXE_livre")));
    Command::new("bash")
        .args(["-c", &commande])
        .current_dir(dossier)
        .env("EDITION", edition)
        .output()
        .unwrap()
}

fn texte(sortie: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    )
}

#[test]
fn la_verification_du_workflow_refuse_l_edition_de_l_enseignant() {
    let dossier = tempfile::tempdir().unwrap();
    // Quelqu'un a construit l'édition de l'enseignant là où le workflow
    // attend celle qu'il va publier.
    construire_edition(
        &racine(),
        Some(&dossier.path().join("publie")),
        Edition::Enseignant,
    )
    .unwrap();
    for edition in ["etudiante", "corriges"] {
        let sortie = executer(&etape("verifier"), dossier.path(), edition);
        let texte = texte(&sortie);
        assert!(
            !sortie.status.success(),
            "EDITION={edition} : l'édition de l'enseignant passe la vérification :\n{texte}"
        );
        assert!(
            texte.contains("contenu réservé") && texte.contains("ne le publiez pas"),
            "{texte}"
        );
    }
}

#[test]
fn le_workflow_construit_et_publie_l_edition_etudiante() {
    let dossier = tempfile::tempdir().unwrap();
    let construction = executer(&etape("construire"), dossier.path(), "etudiante");
    assert!(construction.status.success(), "{}", texte(&construction));
    let verification = executer(&etape("verifier"), dossier.path(), "etudiante");
    assert!(verification.status.success(), "{}", texte(&verification));
    assert!(dossier.path().join("publie/index.html").is_file());
}

#[test]
fn le_workflow_construit_et_publie_l_edition_avec_corriges() {
    let dossier = tempfile::tempdir().unwrap();
    let construction = executer(&etape("construire"), dossier.path(), "corriges");
    assert!(construction.status.success(), "{}", texte(&construction));
    let verification = executer(&etape("verifier"), dossier.path(), "corriges");
    assert!(verification.status.success(), "{}", texte(&verification));
    // Et ce livre-là n'est pas l'édition étudiante : il a les corrigés.
    let comme_etudiante = executer(&etape("verifier"), dossier.path(), "etudiante");
    assert!(
        !comme_etudiante.status.success(),
        "{}",
        texte(&comme_etudiante)
    );
}

#[test]
fn une_poussee_ne_publie_que_l_edition_etudiante() {
    let workflow = fs::read_to_string(racine().join(".github/workflows/pages.yml")).unwrap();
    // L'édition vient d'une entrée du lancement manuel, vide lors d'une
    // poussée, et l'édition de l'enseignant n'est pas au choix.
    assert!(
        workflow.contains("EDITION: ${{ inputs.edition || 'etudiante' }}"),
        "{workflow}"
    );
    assert!(
        workflow.contains("options: [etudiante, corriges]"),
        "{workflow}"
    );
    assert_eq!(workflow.matches("options:").count(), 1, "{workflow}");
}
