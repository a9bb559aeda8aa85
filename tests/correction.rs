//! La correction d'une classe (`cargo corriger`) sur une classe fabriquée :
//! - alice a rendu le corrigé : toutes les étapes ;
//! - bruno a rendu le squelette (dans un `exercises/` complet) : aucune ;
//! - chloe a rendu le corrigé avec l'erreur `tp09-port-en-dur` du
//!   catalogue : seule l'étape de bienvenue du serveur échoue ;
//! - david a rendu un code qui ne compile pas ;
//! - emma a rendu un programme qui boucle sans fin : ses étapes sont
//!   arrêtées au bout du délai, et elle ne retarde personne d'autre.
//!
//! On vérifie le carnet de notes, les rapports et les `results.json`.
//!
//! Un second test (ignoré par défaut : il compile une copie de l'espace des
//! étudiants) prend une copie fausse à plusieurs endroits et vérifie que
//! `cargo corriger` et `cargo test -p tp09` la jugent étape par étape de la
//! même façon : l'enseignant note ce que l'étudiant a vu.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use outils::notation::{Bornes, Note, Reglages, corriger_classe};

fn racine() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn une_classe_fabriquee_est_notee_juste() {
    let dossier = tempfile::tempdir().unwrap();
    let classe = dossier.path().join("classe");
    fabriquer_la_classe(&classe);

    let mut bornes = Bornes::default();
    bornes.etape.delai = Duration::from_secs(4);
    bornes.total = Duration::from_secs(20);
    let reglages = Reglages {
        bornes,
        paralleles: 2,
        tp: Some("tp09".into()),
        ..Reglages::default()
    };
    let sortie = dossier.path().join("resultats");
    let notes = corriger_classe(racine(), &classe, &sortie, &reglages)
        .unwrap_or_else(|e| panic!("correction impossible : {e:#}"));

    let carnet = fs::read_to_string(sortie.join("notes.csv")).unwrap();
    assert!(
        carnet.starts_with("identifiant,etudiant,tp,reussies,total\n"),
        "{carnet}"
    );
    let ligne = |etudiant: &str| -> (usize, usize) {
        let note = tp09(&notes, etudiant);
        (note.correction.reussies(), note.correction.total)
    };
    let (_, total) = ligne("alice");
    assert!(total >= 10, "TP09 a au moins dix étapes : {carnet}");
    assert!(
        carnet.contains(&format!("alice,alice,tp09,{total},{total}\n")),
        "{carnet}"
    );
    assert!(
        carnet.contains(&format!("bruno,bruno,tp09,0,{total}\n")),
        "{carnet}"
    );
    assert!(
        carnet.contains(&format!("david,david,tp09,0,{total}\n")),
        "{carnet}"
    );
    assert!(
        carnet.contains(&format!("emma,emma,tp09,0,{total}\n")),
        "{carnet}"
    );
    let (chloe, _) = ligne("chloe");
    assert!(
        chloe > 0 && chloe < total,
        "chloe : {chloe}/{total}\n{carnet}"
    );

    // Les rapports disent pourquoi.
    let rapport = |etudiant: &str| {
        fs::read_to_string(sortie.join(format!("rapports/{etudiant}.md"))).unwrap()
    };
    assert!(
        rapport("bruno").contains("not yet implemented: Étape 1"),
        "{}",
        rapport("bruno")
    );
    let chloe = rapport("chloe");
    assert!(
        chloe.contains("✘ `serveur_2_bienvenue`") && chloe.contains("65432"),
        "{chloe}"
    );
    assert!(
        rapport("david").contains("ne compile pas") && rapport("david").contains("error"),
        "{}",
        rapport("david")
    );
    assert!(
        rapport("emma").contains("Délai dépassé"),
        "{}",
        rapport("emma")
    );

    // Gradescope : un test par étape, un point chacun.
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(sortie.join("gradescope/chloe/tp09/results.json")).unwrap(),
    )
    .unwrap();
    let tests = json["tests"].as_array().unwrap();
    assert_eq!(tests.len(), total);
    assert_eq!(json["max_score"], total);
    let bienvenue = tests
        .iter()
        .find(|t| t["name"] == "serveur_2_bienvenue")
        .unwrap();
    assert_eq!(bienvenue["status"], "failed");
    assert_eq!(bienvenue["score"], 0);
    assert!(bienvenue["output"].as_str().unwrap().contains("65432"));

    // Relancée, la correction reprend : les copies notées ne sont pas refaites.
    let date = |etudiant: &str| {
        fs::metadata(sortie.join(format!("resultats/{etudiant}/tp09.json")))
            .and_then(|m| m.modified())
            .unwrap()
    };
    let avant = ["alice", "bruno", "chloe"].map(date);
    corriger_classe(racine(), &classe, &sortie, &reglages).unwrap();
    assert_eq!(["alice", "bruno", "chloe"].map(date), avant);
    // Renoter un seul étudiant : lui seul change, le carnet garde les autres.
    let seul = Reglages {
        etudiant: Some("chloe".into()),
        refaire: true,
        ..reglages.clone()
    };
    let notes = corriger_classe(racine(), &classe, &sortie, &seul).unwrap();
    let apres = ["alice", "bruno", "chloe"].map(date);
    assert_eq!((apres[0], apres[1]), (avant[0], avant[1]));
    assert_ne!(apres[2], avant[2]);
    assert_eq!(notes.len(), 5, "{notes:?}");
    assert_eq!(
        fs::read_to_string(sortie.join("notes.csv")).unwrap(),
        carnet
    );
}

fn tp09<'a>(notes: &'a [Note], etudiant: &str) -> &'a Note {
    notes
        .iter()
        .find(|n| n.etudiant == etudiant && n.tp == "tp09")
        .unwrap_or_else(|| panic!("pas de note TP09 pour {etudiant} : {notes:?}"))
}

/// Les cinq copies, tirées du corrigé et du squelette du dépôt.
fn fabriquer_la_classe(classe: &Path) {
    let corrige = racine().join("solutions/tp09/src");
    copier(&corrige, &classe.join("alice/tp09/src"));
    copier(
        &racine().join("exercises/tp09/src"),
        &classe.join("bruno/exercises/tp09/src"),
    );

    copier(&corrige, &classe.join("chloe/tp09/src"));
    remplacer(
        &classe.join("chloe/tp09/src/serveur.rs"),
        "envoyer_bienvenue(&mut service, port)?",
        "envoyer_bienvenue(&mut service, 65432)?",
    );

    copier(&corrige, &classe.join("david/tp09/src"));
    remplacer(
        &classe.join("david/tp09/src/client.rs"),
        "Ok(())\n}",
        "Ok(()\n}",
    );

    copier(&corrige, &classe.join("emma/tp09/src"));
    remplacer(
        &classe.join("emma/tp09/src/main.rs"),
        "fn main() -> ExitCode {",
        "fn main() -> ExitCode {\n    #[allow(clippy::empty_loop)]\n    loop {}\n    #[allow(unreachable_code)]",
    );
}

fn remplacer(fichier: &Path, avant: &str, apres: &str) {
    let texte = fs::read_to_string(fichier).unwrap();
    assert!(
        texte.contains(avant),
        "{} ne contient pas {avant}",
        fichier.display()
    );
    fs::write(fichier, texte.replacen(avant, apres, 1)).unwrap();
}

fn copier(source: &Path, cible: &Path) {
    fs::create_dir_all(cible).unwrap();
    for entree in fs::read_dir(source).unwrap() {
        let chemin = entree.unwrap().path();
        fs::copy(&chemin, cible.join(chemin.file_name().unwrap())).unwrap();
    }
}

#[test]
#[ignore = "compile une copie de l'espace des étudiants : cargo test --test correction -- --ignored"]
fn corriger_et_cargo_test_jugent_chaque_etape_pareil() {
    let dossier = tempfile::tempdir().unwrap();
    let espace = dossier.path().join("espace");
    outils::exporter(racine(), &espace).expect("export de l'espace des étudiants");
    // Le corrigé, faux à deux endroits indépendants : la bienvenue du serveur
    // (un accent perdu) et le client qui n'annonce plus sa connexion.
    let sources = espace.join("exercises/tp09/src");
    copier(&racine().join("solutions/tp09/src"), &sources);
    remplacer(
        &sources.join("serveur.rs"),
        "la connexion est établie",
        "la connexion est etablie",
    );
    remplacer(
        &sources.join("client.rs"),
        "Connecté au serveur",
        "Connecte au serveur",
    );

    let vu_par_cargo_test = verdicts_de_cargo_test(&espace);
    let classe = dossier.path().join("classe");
    copier(&sources, &classe.join("chloe/tp09/src"));
    let reglages = Reglages {
        paralleles: 2,
        tp: Some("tp09".into()),
        ..Reglages::default()
    };
    let notes = corriger_classe(
        racine(),
        &classe,
        &dossier.path().join("resultats"),
        &reglages,
    )
    .unwrap_or_else(|e| panic!("correction impossible : {e:#}"));
    let note = tp09(&notes, "chloe");
    assert!(note.correction.probleme.is_none(), "{:?}", note.correction);
    let vu_par_corriger: BTreeMap<String, bool> = note
        .correction
        .etapes
        .iter()
        .map(|e| (e.nom.clone(), e.reussie))
        .collect();

    let ratees: Vec<&String> = vu_par_cargo_test
        .iter()
        .filter(|(_, reussie)| !**reussie)
        .map(|(nom, _)| nom)
        .collect();
    eprintln!("étapes ratées selon cargo test : {ratees:?}");
    assert!(
        ratees.len() >= 2 && ratees.len() < vu_par_cargo_test.len(),
        "la copie doit rater quelques étapes, pas toutes : {vu_par_cargo_test:?}"
    );
    assert_eq!(
        vu_par_corriger, vu_par_cargo_test,
        "cargo corriger (à gauche) et cargo test -p tp09 (à droite) ne jugent pas pareil"
    );
}

/// Chaque étape de `cargo test -p tp09` dans `espace` : réussie ou non.
fn verdicts_de_cargo_test(espace: &Path) -> BTreeMap<String, bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cible = Path::new(env!("CARGO_TARGET_TMPDIR")).join("correction-verdicts");
    let sortie = Command::new(cargo)
        .current_dir(espace)
        .args(["test", "-p", "tp09", "--no-fail-fast"])
        .env("CARGO_TARGET_DIR", cible)
        .output()
        .expect("cargo test");
    let texte = String::from_utf8_lossy(&sortie.stdout);
    let verdicts: BTreeMap<String, bool> = texte
        .lines()
        .filter_map(|ligne| {
            let reste = ligne.strip_prefix("test ")?;
            let (nom, verdict) = reste.rsplit_once(" ... ")?;
            match verdict {
                "ok" => Some((nom.to_string(), true)),
                "FAILED" => Some((nom.to_string(), false)),
                _ => None,
            }
        })
        .collect();
    assert_eq!(
        verdicts.len(),
        correcteur::etapes::TP09.len(),
        "une ligne par étape attendue dans la sortie de cargo test :\n{texte}\n{}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    verdicts
}
