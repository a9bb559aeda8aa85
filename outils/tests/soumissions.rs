//! Les soumissions en archive zip : une archive saine donne ses étudiants ;
//! une entrée qui sortirait du dossier (zip-slip) ou un lien symbolique la
//! font refuser entière, avec la raison, sans rien écrire hors du dossier.

use std::fs;
use std::io::Write;
use std::path::Path;

use outils::notation::soumissions::{etudiants, src_rendu};
use zip::write::SimpleFileOptions;

fn archive(chemin: &Path, entrees: &[(&str, Option<&str>)]) {
    let mut zip = zip::ZipWriter::new(fs::File::create(chemin).unwrap());
    for (nom, lien) in entrees {
        match lien {
            Some(cible) => zip
                .add_symlink(*nom, *cible, SimpleFileOptions::default())
                .unwrap(),
            None => {
                zip.start_file(*nom, SimpleFileOptions::default()).unwrap();
                zip.write_all(b"fn main() {}\n").unwrap();
            }
        }
    }
    zip.finish().unwrap();
}

#[test]
fn une_archive_saine_donne_ses_etudiants() {
    let dossier = tempfile::tempdir().unwrap();
    let zip = dossier.path().join("classe.zip");
    archive(
        &zip,
        &[
            ("alice/tp09/src/main.rs", None),
            ("bruno/exercises/tp09/src/main.rs", None),
        ],
    );
    let liste = etudiants(&zip, &dossier.path().join("travail")).unwrap();
    let noms: Vec<&str> = liste.iter().map(|e| e.nom.as_str()).collect();
    assert_eq!(noms, ["alice", "bruno"]);
    for etudiant in &liste {
        assert!(etudiant.refus.is_none());
        assert!(src_rendu(&etudiant.dossier, "tp09").unwrap().is_some());
    }
}

#[test]
fn une_archive_qui_sort_du_dossier_est_refusee() {
    let dossier = tempfile::tempdir().unwrap();
    let zip = dossier.path().join("classe.zip");
    archive(
        &zip,
        &[("alice/tp09/src/main.rs", None), ("../evade.rs", None)],
    );
    let erreur = etudiants(&zip, &dossier.path().join("a/b/travail")).unwrap_err();
    assert!(
        format!("{erreur:#}").contains("sort du dossier"),
        "{erreur:#}"
    );
    assert!(!dossier.path().join("a/b/evade.rs").exists());
    assert!(!dossier.path().join("a/evade.rs").exists());
}

#[test]
fn une_archive_avec_un_lien_symbolique_est_refusee() {
    let dossier = tempfile::tempdir().unwrap();
    let zip = dossier.path().join("classe.zip");
    archive(
        &zip,
        &[
            ("alice/tp09/src/main.rs", None),
            ("alice/tp09/src/serveur.rs", Some("/etc/passwd")),
        ],
    );
    let erreur = etudiants(&zip, &dossier.path().join("travail")).unwrap_err();
    assert!(
        format!("{erreur:#}").contains("lien symbolique"),
        "{erreur:#}"
    );
}

#[test]
fn un_lien_sur_le_chemin_d_une_copie_la_fait_refuser() {
    let dossier = tempfile::tempdir().unwrap();
    let vrai = dossier.path().join("ailleurs/src");
    fs::create_dir_all(&vrai).unwrap();
    fs::write(vrai.join("main.rs"), "fn main() {}\n").unwrap();
    let etudiant = dossier.path().join("classe/alice");
    fs::create_dir_all(&etudiant).unwrap();
    std::os::unix::fs::symlink(dossier.path().join("ailleurs"), etudiant.join("tp09")).unwrap();
    let refus = src_rendu(&etudiant, "tp09").unwrap_err();
    assert!(refus.contains("lien symbolique refusé"), "{refus}");
}
