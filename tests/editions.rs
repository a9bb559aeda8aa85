//! Les deux éditions du livre :
//! - l'édition étudiante (celle qu'on publie) ne contient aucune ligne
//!   propre aux corrigés, ni dans ses pages ni dans son index de recherche ;
//! - l'édition de l'enseignant contient le corrigé inclus dans chaque bloc
//!   de l'enseignant ;
//! - chaque chapitre de TP a son bloc de l'enseignant, bien formé.
//!
//! Les lignes « propres aux corrigés » sont calculées, pas listées : toute
//! ligne d'un fichier de `solutions/*/src/` qu'on ne trouve nulle part dans
//! ce que l'étudiant voit déjà (squelettes, exemples, texte des chapitres).
//! Un TP ajouté au cours est donc vérifié sans toucher à ce test.

use std::fs;
use std::path::{Path, PathBuf};

use outils::{Edition, construire_edition, retirer_blocs_enseignant};

/// En dessous de cette longueur (en caractères alphanumériques), une ligne
/// est trop banale pour prouver quoi que ce soit (`Ok(())`, `}`…).
const LONGUEUR_MIN: usize = 24;

fn racine() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn l_edition_etudiante_ne_montre_aucun_corrige() {
    let lignes = lignes_propres_aux_corriges();
    assert!(
        lignes.len() > 20,
        "trop peu de lignes propres aux corrigés pour que le test prouve quelque chose : {lignes:?}"
    );
    let dossier = tempfile::tempdir().unwrap();
    let sortie = construire_edition(
        racine(),
        Some(&dossier.path().join("html")),
        Edition::Etudiant,
    )
    .unwrap_or_else(|e| panic!("l'édition étudiante ne se construit pas : {e:#}"));
    let fichiers = fichiers_publies(&sortie);
    assert!(
        fichiers.iter().any(|f| nom(f).starts_with("searchindex")),
        "pas d'index de recherche parmi {fichiers:?}"
    );
    for fichier in fichiers {
        let texte = normaliser(&decoder(&fs::read_to_string(&fichier).unwrap()));
        assert!(
            !texte.contains("pourlenseignant"),
            "{} contient le titre du bloc de l'enseignant",
            fichier.display()
        );
        for (source, ligne) in &lignes {
            assert!(
                !texte.contains(&normaliser(ligne)),
                "{} montre une ligne du corrigé {} :\n{ligne}",
                fichier.display(),
                source.display()
            );
        }
    }
}

#[test]
fn l_edition_enseignant_montre_les_corriges_inclus() {
    let dossier = tempfile::tempdir().unwrap();
    let sortie = construire_edition(
        racine(),
        Some(&dossier.path().join("html")),
        Edition::Enseignant,
    )
    .unwrap_or_else(|e| panic!("l'édition de l'enseignant ne se construit pas : {e:#}"));
    let mut verifiees = 0;
    for chapitre in chapitres_de_tp() {
        let page = sortie.join(chapitre.with_extension("html").file_name().unwrap());
        let html = normaliser(&decoder(&fs::read_to_string(&page).unwrap()));
        assert!(
            html.contains("pourlenseignant"),
            "{} : pas de bloc",
            page.display()
        );
        for (source, ligne) in lignes_incluses_dans_les_blocs(&chapitre) {
            assert!(
                html.contains(&normaliser(&ligne)),
                "{} ne montre pas cette ligne de {} :\n{ligne}",
                page.display(),
                source.display()
            );
            verifiees += 1;
        }
    }
    assert!(
        verifiees > 20,
        "seulement {verifiees} lignes de corrigé vérifiées"
    );
}

#[test]
fn chaque_chapitre_de_tp_a_un_bloc_enseignant_qui_inclut_son_corrige() {
    let chapitres = chapitres_de_tp();
    assert!(!chapitres.is_empty(), "aucun chapitre src/tpNN-….md");
    for chapitre in chapitres {
        let texte = fs::read_to_string(&chapitre).unwrap();
        let retire = retirer_blocs_enseignant(&texte)
            .unwrap_or_else(|e| panic!("{} : {e:#}", chapitre.display()));
        assert!(
            retire.len() < texte.len(),
            "{} : pas de bloc enseignant",
            chapitre.display()
        );
        assert!(
            !retire.contains("solutions/"),
            "{} cite un corrigé hors du bloc de l'enseignant",
            chapitre.display()
        );
        assert!(
            texte.contains("../solutions/"),
            "{} : le bloc de l'enseignant n'inclut aucun corrigé",
            chapitre.display()
        );
    }
}

#[test]
fn les_marques_orphelines_sont_refusees() {
    let bon = "avant\n<!-- ENSEIGNANT -->\nsecret\n<!-- /ENSEIGNANT -->\naprès\n";
    assert_eq!(retirer_blocs_enseignant(bon).unwrap(), "avant\naprès\n");
    for mauvais in [
        "<!-- ENSEIGNANT -->\nsecret\n",
        "texte\n<!-- /ENSEIGNANT -->\n",
        "<!-- ENSEIGNANT -->\n<!-- ENSEIGNANT -->\n<!-- /ENSEIGNANT -->\n",
        "x <!-- ENSEIGNANT --> y\nsecret\n<!-- /ENSEIGNANT -->\n",
    ] {
        assert!(retirer_blocs_enseignant(mauvais).is_err(), "{mauvais:?}");
    }
}

#[test]
fn un_bloc_non_ferme_fait_echouer_l_edition_etudiante() {
    let livre = tempfile::tempdir().unwrap();
    fs::write(
        livre.path().join("book.toml"),
        "[book]\ntitle = \"Essai\"\n",
    )
    .unwrap();
    fs::create_dir(livre.path().join("src")).unwrap();
    fs::write(
        livre.path().join("src/SUMMARY.md"),
        "- [Chapitre](chapitre.md)\n",
    )
    .unwrap();
    fs::write(
        livre.path().join("src/chapitre.md"),
        "# Chapitre\n\n<!-- ENSEIGNANT -->\nCorrigé secret\n",
    )
    .unwrap();
    let sortie = tempfile::tempdir().unwrap();
    let erreur = construire_edition(livre.path(), Some(sortie.path()), Edition::Etudiant)
        .expect_err("un bloc jamais fermé doit faire échouer la construction");
    assert!(format!("{erreur:#}").contains("jamais fermé"), "{erreur:#}");
}

// ─── Outillage ───────────────────────────────────────────────────────────

/// Les lignes des corrigés absentes de tout ce que l'étudiant voit, avec
/// leur fichier.
fn lignes_propres_aux_corriges() -> Vec<(PathBuf, String)> {
    let visible = normaliser(&texte_visible_par_l_etudiant());
    let mut lignes = Vec::new();
    for fichier in fichiers_rs(&racine().join("solutions")) {
        for ligne in fs::read_to_string(&fichier).unwrap().lines() {
            let cle = normaliser(ligne);
            if cle.chars().count() >= LONGUEUR_MIN && !visible.contains(&cle) {
                lignes.push((fichier.clone(), ligne.trim().to_string()));
            }
        }
    }
    lignes
}

/// Squelettes, correcteur, exemples et chapitres sans leurs blocs de
/// l'enseignant : tout ce qui part chez les étudiants.
fn texte_visible_par_l_etudiant() -> String {
    let mut texte = String::new();
    for dossier in ["exercises", "correcteur", "exemples"] {
        for fichier in fichiers_rs(&racine().join(dossier)) {
            texte.push_str(&fs::read_to_string(fichier).unwrap());
        }
    }
    for entree in fs::read_dir(racine().join("src")).unwrap() {
        let chemin = entree.unwrap().path();
        if chemin.extension().is_some_and(|e| e == "md") {
            let brut = fs::read_to_string(&chemin).unwrap();
            texte.push_str(&retirer_blocs_enseignant(&brut).unwrap());
        }
    }
    texte
}

/// Les lignes propres aux corrigés qui tombent dans une ancre incluse par
/// un bloc de l'enseignant du chapitre.
fn lignes_incluses_dans_les_blocs(chapitre: &Path) -> Vec<(PathBuf, String)> {
    let texte = fs::read_to_string(chapitre).unwrap();
    let blocs = texte.replace(&retirer_blocs_enseignant(&texte).unwrap(), "");
    let propres = lignes_propres_aux_corriges();
    let mut trouvees = Vec::new();
    for directive in blocs.split("{{#include ").skip(1) {
        let argument = directive.split("}}").next().unwrap().trim();
        let (fichier, ancre) = argument.split_once(':').unwrap_or((argument, ""));
        let fichier = chapitre
            .parent()
            .unwrap()
            .join(fichier)
            .canonicalize()
            .unwrap();
        let extrait = extrait_d_ancre(&fs::read_to_string(&fichier).unwrap(), ancre);
        for (source, ligne) in &propres {
            if source.canonicalize().unwrap() == fichier && extrait.contains(ligne.as_str()) {
                trouvees.push((source.clone(), ligne.clone()));
            }
        }
    }
    trouvees
}

/// Le texte entre `ANCHOR: ancre` et `ANCHOR_END: ancre` (tout le fichier
/// sans ancre).
fn extrait_d_ancre(texte: &str, ancre: &str) -> String {
    if ancre.is_empty() {
        return texte.to_string();
    }
    let debut = texte
        .find(&format!("ANCHOR: {ancre}"))
        .unwrap_or_else(|| panic!("ancre {ancre} absente"));
    let fin = texte
        .find(&format!("ANCHOR_END: {ancre}"))
        .unwrap_or(texte.len());
    texte[debut..fin].to_string()
}

fn chapitres_de_tp() -> Vec<PathBuf> {
    let mut chapitres: Vec<PathBuf> = fs::read_dir(racine().join("src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let nom = nom(p);
            nom.starts_with("tp") && nom.ends_with(".md")
        })
        .collect();
    chapitres.sort();
    chapitres
}

/// Les pages et index de recherche produits (HTML, JS, JSON).
fn fichiers_publies(sortie: &Path) -> Vec<PathBuf> {
    fs::read_dir(sortie)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "html" || e == "js" || e == "json")
        })
        .collect()
}

fn fichiers_rs(dossier: &Path) -> Vec<PathBuf> {
    let mut fichiers = Vec::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(courant) = a_voir.pop() {
        for entree in fs::read_dir(&courant).unwrap() {
            let chemin = entree.unwrap().path();
            if chemin.is_dir() && nom(&chemin) != "target" {
                a_voir.push(chemin);
            } else if chemin.extension().is_some_and(|e| e == "rs") {
                fichiers.push(chemin);
            }
        }
    }
    fichiers
}

fn nom(chemin: &Path) -> String {
    chemin.file_name().unwrap().to_string_lossy().into_owned()
}

/// Les entités HTML que mdBook produit dans le code.
fn decoder(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Seuls les caractères alphanumériques comptent : ni les blancs, ni la
/// ponctuation, ni les échappements (HTML, JSON de l'index) ne séparent
/// une ligne de sa trace dans une page.
fn normaliser(texte: &str) -> String {
    texte
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
