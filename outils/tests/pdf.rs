//! `cargo livre pdf` : le livre imprimé en PDF par Chromium (ignoré par
//! `cargo test` : il faut Chromium, que `.ci/run` installe).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use outils::{Edition, imprimer_pdf};

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// Le nombre de pages d'un PDF (objets `/Type /Page`, pas `/Pages`).
fn pages(pdf: &[u8]) -> usize {
    let texte = String::from_utf8_lossy(pdf);
    texte
        .match_indices("/Type /Page")
        .filter(|(i, motif)| !texte[i + motif.len()..].starts_with('s'))
        .count()
}

/// Le titre du document (métadonnée /Title, en UTF-16 hexadécimal).
fn titre(pdf: &[u8]) -> Option<String> {
    let texte = String::from_utf8_lossy(pdf);
    let debut = texte.find("/Title <FEFF")? + "/Title <FEFF".len();
    let hexa: String = texte[debut..].chars().take_while(|c| *c != '>').collect();
    let unites: Vec<u16> = hexa
        .as_bytes()
        .chunks(4)
        .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
        .collect();
    String::from_utf16(&unites).ok()
}

#[test]
fn sans_chromium_l_erreur_dit_quoi_installer() {
    let dossier = tempfile::tempdir().unwrap();
    for (variable, attendu) in [
        (None, "Installez-le (paquet Debian `chromium`)"),
        (
            Some("/nulle/part/chromium"),
            "la variable CHROMIUM désigne /nulle/part/chromium",
        ),
    ] {
        let mut commande = Command::new(env!("CARGO_BIN_EXE_livre"));
        commande
            .args(["pdf", "--dest"])
            .arg(dossier.path().join("livre.pdf"))
            .current_dir(racine())
            .env("PATH", "")
            .env_remove("CHROMIUM");
        if let Some(valeur) = variable {
            commande.env("CHROMIUM", valeur);
        }
        let sortie = commande.output().unwrap();
        let erreurs = String::from_utf8_lossy(&sortie.stderr);
        assert_eq!(sortie.status.code(), Some(1), "{erreurs}");
        assert!(
            erreurs.starts_with("erreur : ") && erreurs.contains(attendu),
            "{erreurs}"
        );
        assert!(!dossier.path().join("livre.pdf").exists());
    }
}

#[test]
#[ignore = "il faut Chromium : cargo test -p outils --test pdf -- --ignored"]
fn le_livre_s_imprime_en_pdf_par_la_commande() {
    let dossier = tempfile::tempdir().unwrap();
    let fichier = dossier.path().join("livre.pdf");
    let sortie = Command::new(env!("CARGO_BIN_EXE_livre"))
        .args(["pdf", "--dest"])
        .arg(&fichier)
        .current_dir(racine())
        .output()
        .unwrap();
    assert!(
        sortie.status.success(),
        "{}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    let pdf = fs::read(&fichier).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let nombre = pages(&pdf);
    assert!(nombre > 150, "{nombre} pages seulement");
    assert_eq!(
        titre(&pdf).as_deref(),
        Some("Programmation réseau par sockets")
    );
}

/// Un schéma du livre est bien dessiné dans le PDF : le même chapitre avec
/// et sans l'image ne pèse pas le même poids (un schéma absent ou non
/// chargé n'ajoute presque rien).
#[test]
#[ignore = "il faut Chromium : cargo test -p outils --test pdf -- --ignored"]
fn les_schemas_sont_dans_le_pdf() {
    let poids = |avec_image: bool| {
        let livre = tempfile::tempdir().unwrap();
        fs::write(
            livre.path().join("book.toml"),
            "[book]\ntitle = \"Essai\"\n",
        )
        .unwrap();
        fs::create_dir(livre.path().join("src")).unwrap();
        fs::write(
            livre.path().join("src/SUMMARY.md"),
            "- [Schéma](schema.md)\n",
        )
        .unwrap();
        fs::copy(
            racine().join("src/images/protocole-tramage.svg"),
            livre.path().join("src/schema.svg"),
        )
        .unwrap();
        let image = if avec_image {
            "![Le tramage](schema.svg)"
        } else {
            "Le tramage"
        };
        fs::write(
            livre.path().join("src/schema.md"),
            format!("# Schéma\n\n{image}\n"),
        )
        .unwrap();
        let fichier = livre.path().join("essai.pdf");
        imprimer_pdf(livre.path(), &fichier, Edition::Etudiant).unwrap_or_else(|e| panic!("{e:#}"))
    };
    let (avec, sans) = (poids(true), poids(false));
    assert!(
        avec > sans + 4096,
        "le schéma n'ajoute que {} octets au PDF ({avec} contre {sans})",
        avec.saturating_sub(sans)
    );
}
