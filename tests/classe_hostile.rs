//! Une classe hostile : chaque copie tente une attaque contre la correction
//! (`cargo corriger`), à côté d'une copie honnête (le corrigé) et d'un
//! squelette. On prouve que chaque attaque échoue (sa note est celle du
//! squelette, rien de ce qu'elle vise n'a bougé, rien de secret n'apparaît
//! dans les rapports), que les témoins ont leur note exacte, que rien ne
//! reste derrière (processus, fichiers) et que `notes.csv` ne bouge plus
//! une fois la correction rendue. Voir SECURITE.md.
//!
//! Les attaques partent du squelette (elles ne savent rien faire d'autre
//! que tricher) : `attaque::lancer()` est appelé au début de `main`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use outils::notation::{Bornes, Note, Reglages, corriger_classe};

/// Une marque qu'aucune sortie de la correction ne doit contenir : elle
/// est dans la copie honnête, que les autres cherchent à lire.
const CANARI: &str = "canari-de-la-copie-honnete-5e1f";

fn racine() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn une_classe_hostile_ne_trompe_pas_la_correction() {
    let dossier = tempfile::tempdir().unwrap();
    let classe = dossier.path().join("classe");
    let sortie = dossier.path().join("sortie");
    let temoin_disque = std::env::temp_dir().join(format!("hostile-disque-{}", std::process::id()));
    let sources_du_correcteur = empreinte(&racine().join("correcteur/src"));
    fabriquer(&classe, &sortie, &temoin_disque);

    let mut bornes = Bornes::default();
    bornes.etape.delai = Duration::from_secs(10);
    bornes.total = Duration::from_secs(40);
    let reglages = Reglages {
        bornes,
        paralleles: 2,
        tp: Some("tp09".into()),
        ..Reglages::default()
    };
    let notes = corriger_classe(racine(), &classe, &sortie, &reglages)
        .unwrap_or_else(|e| panic!("correction impossible : {e:#}"));
    let rendu = Instant::now();
    let carnet = fs::read_to_string(sortie.join("notes.csv")).unwrap();

    // Les témoins : notes exactes.
    let total = correcteur::etapes::TP09.len();
    assert_eq!(note(&notes, "z-honnete"), (total, total), "{carnet}");
    assert_eq!(note(&notes, "z-squelette"), (0, total), "{carnet}");

    // Chaque attaque : la note du squelette, avec la raison attendue.
    for (etudiant, raison) in [
        ("a-remplace-exe", ""),
        ("a-sources-du-correcteur", ""),
        ("a-demon", ""),
        ("a-chemin-du-corrige", "ne compile pas"),
        ("a-inclut-le-corrige", "ne compile pas"),
        ("a-inclut-un-camarade", "ne compile pas"),
        ("a-inclut-etc-hostname", "ne compile pas"),
        ("a-espion", ""),
        ("a-tp09-lien", "lien symbolique refusé"),
        ("a-src-lien", "lien symbolique refusé"),
        ("a-tue-corriger", ""),
        ("a-bombe", ""),
        ("a-disque", ""),
    ] {
        assert_eq!(note(&notes, etudiant), (0, total), "{etudiant} :\n{carnet}");
        let rapport = rapport(&sortie, etudiant);
        assert!(rapport.contains(raison), "{etudiant} :\n{rapport}");
    }

    // Rien de secret dans les rapports ni dans les results.json.
    let hote = fs::read_to_string("/etc/hostname").unwrap_or_default();
    for fichier in fichiers(&sortie) {
        let texte = fs::read_to_string(&fichier).unwrap_or_default();
        assert!(
            !texte.contains(CANARI),
            "{} contient la copie honnête",
            fichier.display()
        );
        // (un nom trop court se trouverait n'importe où)
        if hote.trim().len() >= 6 {
            assert!(
                !texte.contains(hote.trim()),
                "{} contient le nom de la machine",
                fichier.display()
            );
        }
        // L'espion n'a pas pu lister la classe (`Ok(n)` sinon).
        assert!(
            !texte.contains("Ok("),
            "{} : la classe a été listée",
            fichier.display()
        );
    }

    // Les sources de l'enseignant n'ont pas bougé ; rien n'est écrit hors
    // du bac à sable ; le travail est supprimé.
    assert_eq!(
        empreinte(&racine().join("correcteur/src")),
        sources_du_correcteur
    );
    assert!(
        !temoin_disque.exists(),
        "{} a été écrit",
        temoin_disque.display()
    );
    assert!(!classe.join("z-honnete/vole").exists());
    assert!(
        !sortie.join("atelier").exists(),
        "le travail n'est pas supprimé"
    );

    // Le formule en nom de dossier est neutralisée.
    assert!(
        carnet.contains("\"'=HYPERLINK(\"\"exemple.invalid\"\",\"\"clic\"\")\""),
        "{carnet}"
    );

    // Plus rien ne tourne ni n'écrit : notes.csv n'a pas bougé quelques
    // secondes après (le démon attendait 2 s), aucun processus hostile.
    while rendu.elapsed() < Duration::from_secs(6) {
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            fs::read_to_string(sortie.join("notes.csv")).unwrap(),
            carnet
        );
        assert_eq!(processus_hostiles(), Vec::<String>::new());
    }
    assert!(!sortie.join("pirate").exists());
}

fn note(notes: &[Note], etudiant: &str) -> (usize, usize) {
    let note = notes
        .iter()
        .find(|n| n.etudiant == etudiant && n.tp == "tp09")
        .unwrap_or_else(|| panic!("pas de note TP09 pour {etudiant}"));
    (note.correction.reussies(), note.correction.total)
}

fn rapport(sortie: &Path, etudiant: &str) -> String {
    fs::read_to_string(sortie.join(format!("rapports/{etudiant}.md"))).unwrap()
}

/// La classe : les témoins, puis une copie par attaque.
fn fabriquer(classe: &Path, sortie: &Path, temoin_disque: &Path) {
    let corrige = racine().join("solutions/tp09/src");
    let squelette = racine().join("exercises/tp09/src");
    let honnete = classe.join("z-honnete/tp09/src");
    copier(&corrige, &honnete);
    let main = honnete.join("main.rs");
    let texte = fs::read_to_string(&main).unwrap();
    fs::write(&main, format!("// {CANARI}\n{texte}")).unwrap();
    copier(&squelette, &classe.join("z-squelette/tp09/src"));
    copier(
        &squelette,
        &classe.join("=HYPERLINK(\"exemple.invalid\",\"clic\")/tp09/src"),
    );

    let notes = sortie.join("notes.csv");
    let honnete_main = main.display().to_string();
    let corrige_serveur = corrige.join("serveur.rs").display().to_string();
    let attaques: Vec<(&str, String)> = vec![
        // Remplacer l'exécutable de test parent par un script « 1 passed ».
        (
            "a-remplace-exe",
            r##"let ppid = fs::read_to_string("/proc/self/stat").unwrap_or_default()
                .split_whitespace().nth(3).unwrap_or("1").to_string();
            let script = "#!/bin/sh\necho 'test x ... ok'\necho 'test result: ok. 1 passed'\n";
            for cible in [format!("/proc/{ppid}/exe"), "/proc/1/exe".into()] {
                if let Ok(vrai) = fs::read_link(&cible) {
                    let _ = fs::remove_file(&vrai);
                    let _ = fs::write(&vrai, script);
                }
                let _ = fs::write(&cible, script);
            }
            if let Ok(entrees) = fs::read_dir("/banc") {
                for e in entrees.flatten() { let _ = fs::write(e.path(), script); }
            }"##
            .into(),
        ),
        // Modifier les sources partagées du correcteur.
        (
            "a-sources-du-correcteur",
            r#"let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
            let tp09 = racine.join("correcteur/src/tp09.rs");
            let _ = fs::write(&tp09, "pub fn serveur_1_ecoute(_: &std::path::Path) -> Result<(), crate::Diagnostic> { Ok(()) }");
            let _ = fs::remove_dir_all(racine.join("correcteur"));
            let _ = fs::remove_dir_all("/cible/debug/deps");"#
                .into(),
        ),
        // Un démon détaché qui réécrit le carnet après la correction.
        (
            "a-demon",
            format!(
                r#"let _ = Command::new("setsid").args(["-f", "sh", "-c",
                    "sleep 2; echo pirate > '{notes}'; echo pirate > '{sortie}/pirate'"])
                    .env_clear().spawn();"#,
                notes = notes.display(),
                sortie = sortie.display()
            ),
        ),
        // Lire les copies et la ligne de commande des ancêtres, les afficher.
        (
            "a-espion",
            format!(
                r#"for e in fs::read_dir("/proc").into_iter().flatten().flatten() {{
                    if let Ok(c) = fs::read(e.path().join("cmdline")) {{ eprintln!("{{}}", String::from_utf8_lossy(&c)); }}
                }}
                eprintln!("{{:?}}", fs::read_dir("{classe}").map(|d| d.count()));
                eprintln!("{{}}", fs::read_to_string("{honnete_main}").unwrap_or_default());
                let _ = fs::write("{classe}/z-honnete/vole", "x");"#,
                classe = classe.display()
            ),
        ),
        // Tuer corriger : remonter les parents dans /proc, kill -9 partout.
        (
            "a-tue-corriger",
            r#"let _ = Command::new("sh").args(["-c",
                "for p in /proc/[0-9]*; do kill -9 ${p#/proc/} 2>/dev/null; done; kill -9 -1"]).status();"#
                .into(),
        ),
        // Une bombe à fork (en root, RLIMIT_NPROC ne s'applique pas à root).
        (
            "a-bombe",
            r#"let _ = Command::new("sh").args(["-c", "f(){ f|f& };f"]).spawn();
            std::thread::sleep(std::time::Duration::from_millis(300));"#
                .into(),
        ),
        // Des centaines de Mio hors du dossier de l'étape.
        (
            "a-disque",
            format!(
                r#"let bloc = vec![0u8; 1 << 20];
                for chemin in ["{temoin}", "/tmp/gros", "{classe}/gros"] {{
                    if let Ok(mut f) = fs::File::create(chemin) {{
                        for _ in 0..300 {{ if std::io::Write::write_all(&mut f, &bloc).is_err() {{ break; }} }}
                    }}
                }}"#,
                temoin = temoin_disque.display(),
                classe = classe.display()
            ),
        ),
    ];
    for (etudiant, code) in attaques {
        attaque(classe, etudiant, &code, None);
    }
    // Compiler le corrigé, un camarade, un fichier de la machine.
    attaque(
        classe,
        "a-chemin-du-corrige",
        "",
        Some((
            "mod serveur;",
            "#[path = \"../../../../solutions/tp09/src/serveur.rs\"]\nmod serveur;".into(),
        )),
    );
    attaque(
        classe,
        "a-inclut-le-corrige",
        &format!("eprintln!(\"{{}}\", include_str!(\"{corrige_serveur}\"));"),
        None,
    );
    attaque(
        classe,
        "a-inclut-un-camarade",
        &format!("eprintln!(\"{{}}\", include_str!(\"{honnete_main}\"));"),
        None,
    );
    attaque(
        classe,
        "a-inclut-etc-hostname",
        "eprintln!(\"{}\", include_str!(\"/etc/hostname\"));",
        None,
    );
    // Des liens symboliques vers le corrigé.
    fs::create_dir_all(classe.join("a-tp09-lien")).unwrap();
    std::os::unix::fs::symlink(
        racine().join("solutions/tp09"),
        classe.join("a-tp09-lien/tp09"),
    )
    .unwrap();
    let src = classe.join("a-src-lien/tp09/src");
    copier(&squelette, &src);
    fs::remove_file(src.join("serveur.rs")).unwrap();
    std::os::unix::fs::symlink(&corrige_serveur, src.join("serveur.rs")).unwrap();
}

/// Une copie hostile : le squelette, dont `main` appelle d'abord
/// `attaque::lancer()` (le `code` donné) ; `remplacement` modifie `main.rs`.
fn attaque(classe: &Path, etudiant: &str, code: &str, remplacement: Option<(&str, String)>) {
    let src = classe.join(etudiant).join("tp09/src");
    copier(&racine().join("exercises/tp09/src"), &src);
    let main = src.join("main.rs");
    let mut texte = fs::read_to_string(&main).unwrap().replacen(
        "fn main() -> ExitCode {",
        "mod attaque;\n\nfn main() -> ExitCode {\n    attaque::lancer();",
        1,
    );
    if let Some((avant, apres)) = remplacement {
        assert!(texte.contains(avant));
        texte = texte.replacen(avant, &apres, 1);
    }
    fs::write(&main, texte).unwrap();
    fs::write(
        src.join("attaque.rs"),
        format!(
            "#![allow(unused_imports)]\nuse std::fs;\nuse std::process::Command;\n\n\
             pub fn lancer() {{\n    {code}\n}}\n"
        ),
    )
    .unwrap();
}

/// Les processus encore vivants lancés par une attaque.
fn processus_hostiles() -> Vec<String> {
    let mut restes = Vec::new();
    for entree in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(ligne) = fs::read(entree.path().join("cmdline")) else {
            continue;
        };
        let ligne = String::from_utf8_lossy(&ligne).replace('\0', " ");
        if ligne.contains("f|f&") || ligne.contains("echo pirate") {
            restes.push(ligne);
        }
    }
    restes
}

/// Une empreinte d'un dossier : chaque fichier et son contenu.
fn empreinte(dossier: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fichiers(dossier)
        .into_iter()
        .map(|f| {
            let contenu = fs::read(&f).unwrap();
            (f, contenu)
        })
        .collect()
}

fn fichiers(dossier: &Path) -> Vec<PathBuf> {
    let mut liste = Vec::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(d) = a_voir.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                a_voir.push(e.path());
            } else {
                liste.push(e.path());
            }
        }
    }
    liste.sort();
    liste
}

fn copier(source: &Path, cible: &Path) {
    fs::create_dir_all(cible).unwrap();
    for entree in fs::read_dir(source).unwrap() {
        let chemin = entree.unwrap().path();
        fs::copy(&chemin, cible.join(chemin.file_name().unwrap())).unwrap();
    }
}
