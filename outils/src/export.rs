//! L'export étudiant : un espace de travail complet et autonome, sans rien
//! de ce qui est réservé à l'enseignant.
//!
//! Ce qui part : le livre (`book.toml`, `src/` avec les blocs de l'enseignant
//! retirés des fichiers `.md`), chaque membre de l'espace de travail qui
//! n'est ni un corrigé (`solutions/…`) ni le catalogue des solutions fausses
//! (squelettes, correcteur, exemples, outils du livre), la configuration de
//! cargo (alias `cargo livre`…), le `Cargo.lock` et un `Cargo.toml` racine
//! réécrit : plus de paquet racine (ses tests prouvent les correcteurs avec
//! les corrigés et le catalogue), membres filtrés. Un README pour les
//! étudiants remplace celui du dépôt.
//!
//! En fin de semestre, l'export « avec corrigés » ([`exporter_edition`] avec
//! [`Edition::Corriges`]) ajoute les corrigés (`solutions/`) et garde dans le
//! livre les blocs du corrigé ; les notes de séance et le catalogue restent
//! chez l'enseignant.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

use crate::ancres::inclusions;
use crate::edition::{Edition, retirer_blocs};
use crate::tps;

/// Les membres de l'espace de travail réservés à l'enseignant pendant le
/// semestre.
const RESERVES: [&str; 2] = ["solutions", "catalogue"];
/// Ceux qui le restent dans l'export avec corrigés.
const RESERVES_AVEC_CORRIGES: [&str; 1] = ["catalogue"];
/// Le gabarit et les scripts du livre (interface en français).
const DOSSIER_THEME: &str = "theme";

/// Les fichiers de la racine copiés tels quels s'ils existent.
const FICHIERS_RACINE: [&str; 5] = [
    "book.toml",
    "Cargo.lock",
    ".gitignore",
    "rust-toolchain.toml",
    ".cargo/config.toml",
];

/// Ce que l'export a écrit.
#[derive(Debug)]
pub struct BilanExport {
    /// Nombre de fichiers écrits.
    pub fichiers: usize,
    /// Les TP exportés (`tp09`…).
    pub tps: Vec<String>,
}

/// Écrit dans `destination` (absente ou vide) l'espace de travail des
/// étudiants tiré de l'espace de travail `racine`.
pub fn exporter(racine: &Path, destination: &Path) -> anyhow::Result<BilanExport> {
    exporter_edition(racine, destination, Edition::Etudiant)
}

/// Comme [`exporter`], pour une édition : l'édition étudiante (pendant le
/// semestre) ou celle avec corrigés (fin de semestre). L'édition de
/// l'enseignant ne s'exporte pas.
pub fn exporter_edition(
    racine: &Path,
    destination: &Path,
    edition: Edition,
) -> anyhow::Result<BilanExport> {
    let reserves: &[&str] = match edition {
        Edition::Etudiant => &RESERVES,
        Edition::Corriges => &RESERVES_AVEC_CORRIGES,
        Edition::Enseignant => {
            bail!("l'édition de l'enseignant (notes de séance) ne s'exporte pas")
        }
    };
    preparer_destination(destination)?;
    let manifeste = lire_manifeste(racine)?;
    let membres = membres_exportes(racine, &manifeste, reserves)?;
    let mut fichiers = 0;

    for membre in &membres {
        fichiers += copier_dossier(&racine.join(membre), &destination.join(membre))?;
    }
    for fichier in FICHIERS_RACINE {
        let source = racine.join(fichier);
        if source.is_file() {
            copier_fichier(&source, &destination.join(fichier))?;
            fichiers += 1;
        }
    }
    fichiers += exporter_livre(racine, destination, &membres, edition)?;
    if racine.join(DOSSIER_THEME).is_dir() {
        fichiers += copier_dossier(
            &racine.join(DOSSIER_THEME),
            &destination.join(DOSSIER_THEME),
        )?;
    }

    let tps: Vec<String> = tps::decouvrir(destination, false)?
        .into_iter()
        .map(|tp| tp.nom)
        .collect();
    ecrire(
        &destination.join("Cargo.toml"),
        &manifeste_etudiant(manifeste, &membres)?,
    )?;
    ecrire(
        &destination.join("README.md"),
        &readme_etudiant(&tps, edition),
    )?;
    fichiers += 2;
    // Le workflow Classroom est tiré du correcteur, qui n'existe que sous
    // Unix (sous Windows, seul le livre se construit).
    #[cfg(unix)]
    {
        ecrire(
            &destination.join(".github/workflows/classroom.yml"),
            &workflow_classroom(&tps),
        )?;
        fichiers += 1;
    }
    elaguer_le_verrou(destination)?;
    Ok(BilanExport { fichiers, tps })
}

/// Le `Cargo.lock` copié nomme encore les paquets de l'enseignant (corrigés,
/// catalogue, paquet racine). Cargo les retire dès qu'il relit l'espace de
/// travail : on le laisse faire ici, une fois, pour que le dépôt des
/// étudiants ne change pas à leur première compilation et que `--locked`
/// y marche. `cargo metadata` ne met à jour aucune dépendance : il ne fait
/// qu'accorder le verrou aux membres présents.
fn elaguer_le_verrou(destination: &Path) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let accorder = |hors_ligne: bool| {
        let mut commande = std::process::Command::new(&cargo);
        commande
            .current_dir(destination)
            .args(["metadata", "--format-version", "1"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        if hors_ligne {
            commande.arg("--offline");
        }
        commande.output()
    };
    // Hors ligne d'abord : les dépendances sont déjà dans le cache de cargo.
    let sortie = match accorder(true) {
        Ok(sortie) if sortie.status.success() => sortie,
        _ => accorder(false).context("impossible de lancer cargo metadata")?,
    };
    if !sortie.status.success() {
        bail!(
            "cargo n'a pas pu accorder le Cargo.lock de l'export :\n{}",
            String::from_utf8_lossy(&sortie.stderr)
        );
    }
    Ok(())
}

/// La destination doit être absente ou vide : on n'écrase rien.
fn preparer_destination(destination: &Path) -> anyhow::Result<()> {
    if destination.exists() {
        let vide = fs::read_dir(destination)
            .with_context(|| format!("impossible de lire {}", destination.display()))?
            .next()
            .is_none();
        if !vide {
            bail!(
                "{} n'est pas vide : choisissez un dossier absent ou vide",
                destination.display()
            );
        }
    }
    fs::create_dir_all(destination)
        .with_context(|| format!("impossible de créer {}", destination.display()))
}

fn lire_manifeste(racine: &Path) -> anyhow::Result<toml::Table> {
    let chemin = racine.join("Cargo.toml");
    fs::read_to_string(&chemin)
        .with_context(|| format!("impossible de lire {}", chemin.display()))?
        .parse()
        .with_context(|| format!("{} n'est pas un TOML valide", chemin.display()))
}

/// Les membres de l'espace de travail à exporter : tous sauf la racine et
/// les dossiers réservés, dans l'ordre du manifeste.
fn membres_exportes(
    racine: &Path,
    manifeste: &toml::Table,
    reserves: &[&str],
) -> anyhow::Result<Vec<String>> {
    let membres = manifeste
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
        .context("le Cargo.toml racine n'a pas de [workspace] members")?;
    let mut gardes = Vec::new();
    for membre in membres {
        let membre = membre
            .as_str()
            .context("un membre de [workspace] members n'est pas une chaîne")?;
        if membre.contains('*') {
            bail!("membre « {membre} » : les motifs ne sont pas gérés par l'export");
        }
        if est_exportable(membre, reserves) && racine.join(membre).join("Cargo.toml").is_file() {
            gardes.push(membre.to_string());
        }
    }
    Ok(gardes)
}

/// Vrai pour un chemin relatif qui n'est ni la racine ni sous un dossier réservé.
fn est_exportable(chemin: &str, reserves: &[&str]) -> bool {
    let premier = Path::new(chemin).components().find_map(|c| match c {
        Component::Normal(nom) => Some(nom.to_string_lossy().into_owned()),
        _ => None,
    });
    premier.is_some_and(|p| !reserves.contains(&p.as_str()))
}

/// Copie les sources du livre en retirant les blocs que l'édition ne montre
/// pas, et vérifie que chaque fichier inclus par un chapitre est exporté.
fn exporter_livre(
    racine: &Path,
    destination: &Path,
    membres: &[String],
    edition: Edition,
) -> anyhow::Result<usize> {
    let config = crate::construction::lire_config(racine)?;
    let src = config.book.src.clone();
    let mut fichiers = 0;
    for fichier in fichiers_sous(&racine.join(&src))? {
        let relatif = fichier.strip_prefix(racine).unwrap_or(&fichier);
        let cible = destination.join(relatif);
        if fichier.extension().is_some_and(|e| e == "md") {
            let texte = fs::read_to_string(&fichier)
                .with_context(|| format!("impossible de lire {}", fichier.display()))?;
            let texte = retirer_blocs(&texte, edition)
                .with_context(|| format!("bloc réservé mal formé dans {}", relatif.display()))?;
            verifier_inclusions(&texte, relatif, &src, membres)?;
            ecrire(&cible, &texte)?;
        } else {
            copier_fichier(&fichier, &cible)?;
        }
        fichiers += 1;
    }
    Ok(fichiers)
}

/// Un chapitre exporté ne doit inclure que des fichiers exportés : sinon le
/// livre des étudiants ne se construirait pas (ou montrerait un corrigé).
fn verifier_inclusions(
    texte: &str,
    chapitre: &Path,
    src: &Path,
    membres: &[String],
) -> anyhow::Result<()> {
    let dossier = chapitre.parent().unwrap_or(Path::new(""));
    for (inclus, _) in inclusions(texte) {
        let chemin = normaliser_relatif(&dossier.join(inclus));
        let exporte = chemin.starts_with(src) || membres.iter().any(|m| chemin.starts_with(m));
        if !exporte {
            bail!(
                "{} inclut {inclus} hors d'un bloc enseignant, mais {} n'est pas exporté",
                chapitre.display(),
                chemin.display()
            );
        }
    }
    Ok(())
}

/// Résout les `..` d'un chemin relatif à la racine, sans toucher au disque.
fn normaliser_relatif(chemin: &Path) -> PathBuf {
    let mut resultat = PathBuf::new();
    for composant in chemin.components() {
        match composant {
            Component::ParentDir => {
                resultat.pop();
            }
            Component::Normal(nom) => resultat.push(nom),
            _ => {}
        }
    }
    resultat
}

/// Le `Cargo.toml` racine des étudiants : un espace de travail virtuel.
fn manifeste_etudiant(mut manifeste: toml::Table, membres: &[String]) -> anyhow::Result<String> {
    manifeste.remove("package");
    manifeste.remove("dev-dependencies");
    let espace = manifeste
        .get_mut("workspace")
        .and_then(|w| w.as_table_mut())
        .context("le Cargo.toml racine n'a pas de [workspace]")?;
    let liste = |chemins: Vec<String>| {
        toml::Value::Array(chemins.into_iter().map(toml::Value::String).collect())
    };
    let par_defaut: Vec<String> = espace
        .get("default-members")
        .and_then(|d| d.as_array())
        .map(|d| {
            d.iter()
                .filter_map(|m| m.as_str())
                .filter(|m| membres.iter().any(|garde| garde == m))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    espace.insert("members".into(), liste(membres.to_vec()));
    if par_defaut.is_empty() {
        espace.remove("default-members");
    } else {
        espace.insert("default-members".into(), liste(par_defaut));
    }
    let texte = toml::to_string(&manifeste).context("impossible d'écrire le Cargo.toml")?;
    Ok(format!(
        "# Espace de travail des étudiants, produit par `cargo livre exporter`.\n\
         # `cargo test -p tpNN` note un TP ; `cargo progression` les note tous ;\n\
         # `cargo livre` sert le livre. `cargo test` seul vérifie les exemples et l'outil de charge.\n\n{texte}"
    ))
}

/// Le workflow GitHub Classroom de l'export : un test Classroom d'un point
/// par étape du correcteur (`correcteur::etapes`, la liste même qui produit
/// les tests : elle ne peut pas dériver), pour chaque TP qui a des étapes ;
/// les dépendances et les tests compilés sont gardés en cache d'une
/// exécution à l'autre.
#[cfg(unix)]
pub fn workflow_classroom(tps: &[String]) -> String {
    use std::fmt::Write as _;
    let mut etapes = Vec::new();
    for tp in tps {
        for (etape, _) in correcteur::etapes::du_tp(tp).unwrap_or_default() {
            etapes.push((tp.as_str(), *etape, format!("{tp}_{etape}")));
        }
    }
    let paquets: String = tps
        .iter()
        .filter(|tp| correcteur::etapes::du_tp(tp).is_some_and(|e| !e.is_empty()))
        .map(|tp| format!(" -p {tp}"))
        .collect();
    let mut yaml = format!(
        "# Correction automatique GitHub Classroom : un test d'un point par étape\n\
         # du correcteur, pour chaque TP. Produit par `cargo livre exporter` à partir\n\
         # de correcteur::etapes ; ne le modifiez pas à la main.\n\
         # L'étudiant possède son dépôt (et ce fichier) : la note de Classroom est\n\
         # indicative, celle de `cargo corriger` fait foi (voir SECURITE.md).\n\
         name: Correction automatique\n\n\
         on: [push, workflow_dispatch]\n\n\
         permissions:\n  checks: write\n  actions: read\n  contents: read\n\n\
         jobs:\n  correction:\n    runs-on: ubuntu-latest\n    timeout-minutes: 60\n    steps:\n\
         \x20     - uses: actions/checkout@v4\n\
         \x20     - uses: dtolnay/rust-toolchain@stable\n\
         \x20     - name: Cache de compilation\n\
         \x20       uses: actions/cache@v4\n\
         \x20       with:\n\
         \x20         path: |\n\
         \x20           ~/.cargo/registry\n\
         \x20           ~/.cargo/git\n\
         \x20           target\n\
         \x20         key: correction-${{{{ runner.os }}}}-${{{{ hashFiles('Cargo.lock') }}}}-${{{{ github.sha }}}}\n\
         \x20         restore-keys: correction-${{{{ runner.os }}}}-${{{{ hashFiles('Cargo.lock') }}}}-\n\
         \x20     - name: Compiler les tests\n\
         \x20       run: cargo test --no-run{paquets}\n"
    );
    for (tp, etape, id) in &etapes {
        let _ = write!(
            yaml,
            "      - id: {id}\n\
             \x20       uses: classroom-resources/autograding-command-grader@v1\n\
             \x20       with:\n\
             \x20         test-name: \"{} · {etape}\"\n\
             \x20         command: cargo test -q -p {tp} --test correcteur -- --exact {etape}\n\
             \x20         timeout: 2\n\
             \x20         max-score: 1\n",
            tp.to_uppercase()
        );
    }
    yaml.push_str("      - name: Bilan\n        uses: classroom-resources/autograding-grading-reporter@v1\n        env:\n");
    for (_, _, id) in &etapes {
        let _ = writeln!(
            yaml,
            "          {}_RESULTS: \"${{{{ steps.{id}.outputs.result }}}}\"",
            id.to_uppercase()
        );
    }
    let ids: Vec<&str> = etapes.iter().map(|(_, _, id)| id.as_str()).collect();
    let _ = writeln!(yaml, "        with:\n          runners: {}", ids.join(","));
    yaml
}

/// Le README des étudiants.
fn readme_etudiant(tps: &[String], edition: Edition) -> String {
    let corriges = if edition == Edition::Corriges {
        "\n## Les corrigés\n\n\
         Cet espace contient aussi les corrigés : `solutions/tpNN/` (paquet `tpNN-corrige`,\n\
         `cargo test -p tpNN-corrige` les vérifie), et le livre montre le corrigé à la fin\n\
         de chaque TP.\n"
    } else {
        ""
    };
    let premier = tps.first().map_or("tpNN", String::as_str);
    let liste: String = tps
        .iter()
        .map(|tp| format!("- `exercises/{tp}/` : `cargo test -p {tp}`\n"))
        .collect();
    format!(
        "# Programmation réseau par sockets — espace de travail\n\n\
         Il faut Linux et Rust (installé avec [rustup](https://rustup.rs)) ; rien d'autre.\n\n\
         ## Lire le livre\n\n```sh\ncargo livre\n```\n\n\
         construit le livre et le sert sur <http://127.0.0.1:3000/> (Ctrl+C pour arrêter).\n\n\
         ## Faire un TP\n\n\
         1. Ouvrez les fichiers de `exercises/{premier}/src/` et remplacez les `todo!()`\n   \
         dans l'ordre des étapes.\n\
         2. Lancez `cargo test -p {premier}` (ou une seule étape : `cargo test -p {premier} serveur_1`).\n\
         3. Lisez le diagnostic : étape, octets attendus et reçus, indice.\n\
         4. Recommencez jusqu'à ce que tout soit vert.\n\n\
         Ou gardez ouvert un terminal avec `cargo suivre` : il recorrige le TP à chaque\n\
         sauvegarde, montre la première étape ratée et, touche `i`, des indices.\n\n\
         Les TP :\n\n{liste}\n\
         ## Où en suis-je ?\n\n```sh\ncargo progression\n```\n\n\
         note tous les TP et affiche, pour chacun, les étapes réussies, le temps passé\n\
         et la première qui échoue.\n\n\
         ## Rendre votre travail\n\n\
         Rendez le dossier `src/` de chaque TP (ou tout `exercises/`) : les tests de\n\
         correction sont ceux de l'enseignant, les vôtres ne sont pas relus.\n{corriges}"
    )
}

/// Tous les fichiers sous `dossier`, récursivement, sans les dossiers `target`.
fn fichiers_sous(dossier: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut fichiers = Vec::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(courant) = a_voir.pop() {
        let entrees = fs::read_dir(&courant)
            .with_context(|| format!("impossible de lire {}", courant.display()))?;
        for entree in entrees {
            let entree =
                entree.with_context(|| format!("impossible de lire {}", courant.display()))?;
            let genre = entree.file_type()?;
            if genre.is_dir() {
                if entree.file_name() != "target" {
                    a_voir.push(entree.path());
                }
            } else if genre.is_file() {
                fichiers.push(entree.path());
            }
        }
    }
    fichiers.sort();
    Ok(fichiers)
}

fn copier_dossier(source: &Path, cible: &Path) -> anyhow::Result<usize> {
    let fichiers = fichiers_sous(source)?;
    for fichier in &fichiers {
        let relatif = fichier.strip_prefix(source).unwrap_or(fichier);
        copier_fichier(fichier, &cible.join(relatif))?;
    }
    Ok(fichiers.len())
}

fn copier_fichier(source: &Path, cible: &Path) -> anyhow::Result<()> {
    if let Some(parent) = cible.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("impossible de créer {}", parent.display()))?;
    }
    fs::copy(source, cible).with_context(|| {
        format!(
            "impossible de copier {} vers {}",
            source.display(),
            cible.display()
        )
    })?;
    Ok(())
}

fn ecrire(chemin: &Path, texte: &str) -> anyhow::Result<()> {
    if let Some(parent) = chemin.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("impossible de créer {}", parent.display()))?;
    }
    fs::write(chemin, texte).with_context(|| format!("impossible d'écrire {}", chemin.display()))
}
