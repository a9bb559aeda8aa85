//! Les trois éditions du livre :
//! - l'édition étudiante (celle qu'on publie) ne contient aucune ligne
//!   propre aux corrigés, ni dans ses pages ni dans son index de recherche,
//!   ni les notes de séance ;
//! - l'édition « avec corrigés » (fin de semestre) contient le corrigé de
//!   chaque TP et aucune note de séance ;
//! - l'édition de l'enseignant contient les deux ;
//! - chaque chapitre de TP a ses deux blocs, bien formés : les notes de
//!   séance (qui n'incluent aucun corrigé), puis le corrigé.
//!
//! Les lignes « propres aux corrigés » sont calculées, pas listées : toute
//! ligne d'un fichier de `solutions/*/src/` qu'on ne trouve nulle part dans
//! ce que l'étudiant voit déjà (squelettes, exemples, texte des chapitres).
//! Un TP ajouté au cours est donc vérifié sans toucher à ce test.

use std::fs;
use std::path::{Path, PathBuf};

use outils::{
    Edition, construire_edition, retirer_blocs, retirer_blocs_enseignant, verifier_publication,
};

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
    // Ni notes de séance ni corrigé, vus par la vérification du workflow.
    verifier_les_pages_de_tp(dossier.path(), false, false);
    let rapport = verifier_publication(racine(), &sortie, Edition::Etudiant).unwrap();
    let fuites: Vec<String> = rapport.fuites.iter().map(ToString::to_string).collect();
    assert!(fuites.is_empty(), "{}", fuites.join("\n"));
}

#[test]
fn l_edition_enseignant_montre_les_notes_et_les_corriges_inclus() {
    let sortie = construire_dans_un_temporaire(Edition::Enseignant);
    verifier_les_pages_de_tp(sortie.path(), true, true);
}

#[test]
fn l_edition_avec_corriges_montre_les_corriges_sans_les_notes() {
    let sortie = construire_dans_un_temporaire(Edition::Corriges);
    verifier_les_pages_de_tp(sortie.path(), false, true);
    let html = sortie.path().join("html");
    // Aucune ligne des notes de séance, sous aucune forme, nulle part (pages,
    // impression, index de recherche) ; mais ce n'est pas l'édition
    // étudiante : la vérification de celle-ci y trouve les corrigés.
    let rapport = verifier_publication(racine(), &html, Edition::Corriges).unwrap();
    let fuites: Vec<String> = rapport.fuites.iter().map(ToString::to_string).collect();
    assert!(fuites.is_empty(), "{}", fuites.join("\n"));
    assert!(rapport.signatures > 50, "{} signatures", rapport.signatures);
    let comme_etudiante = verifier_publication(racine(), &html, Edition::Etudiant).unwrap();
    assert!(comme_etudiante.fuites.len() > 20);
}

/// Construit une édition dans `DOSSIER/html`.
fn construire_dans_un_temporaire(edition: Edition) -> tempfile::TempDir {
    let dossier = tempfile::tempdir().unwrap();
    construire_edition(racine(), Some(&dossier.path().join("html")), edition)
        .unwrap_or_else(|e| panic!("l'édition {edition} ne se construit pas : {e:#}"));
    dossier
}

/// Chaque page de TP montre (ou non) le titre des notes de séance et le
/// titre du corrigé, et (ou non) chaque ligne de corrigé que son bloc inclut.
fn verifier_les_pages_de_tp(dossier: &Path, notes: bool, corriges: bool) {
    let sortie = dossier.join("html");
    let mut verifiees = 0;
    for chapitre in chapitres_de_tp() {
        let page = sortie.join(chapitre.with_extension("html").file_name().unwrap());
        let brut = fs::read_to_string(&page).unwrap();
        let html = normaliser(&decoder(&brut));
        assert_eq!(
            html.contains("pourlenseignant"),
            notes,
            "{} : notes de séance",
            page.display()
        );
        // Le titre du bloc (« le corrigé » paraît aussi dans le texte).
        assert_eq!(
            brut.contains("<h2 id=\"le-corrigé\">"),
            corriges,
            "{} : titre du corrigé",
            page.display()
        );
        for (source, ligne) in lignes_incluses_dans_les_blocs(&chapitre) {
            assert_eq!(
                html.contains(&normaliser(&ligne)),
                corriges,
                "{} et cette ligne de {} :\n{ligne}",
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
fn chaque_chapitre_de_tp_a_ses_notes_et_un_corrige_qui_inclut_la_solution() {
    let chapitres = chapitres_de_tp();
    assert!(!chapitres.is_empty(), "aucun chapitre src/tpNN-….md");
    for chapitre in chapitres {
        let texte = fs::read_to_string(&chapitre).unwrap();
        let edition = |e| {
            retirer_blocs(&texte, e).unwrap_or_else(|e| panic!("{} : {e:#}", chapitre.display()))
        };
        let (etudiant, corriges, enseignant) = (
            edition(Edition::Etudiant),
            edition(Edition::Corriges),
            edition(Edition::Enseignant),
        );
        assert!(
            etudiant.len() < corriges.len(),
            "{} : pas de bloc <!-- CORRIGE -->",
            chapitre.display()
        );
        assert!(
            corriges.len() < enseignant.len(),
            "{} : pas de notes de séance <!-- ENSEIGNANT -->",
            chapitre.display()
        );
        assert!(
            !etudiant.contains("solutions/"),
            "{} cite un corrigé hors des blocs réservés",
            chapitre.display()
        );
        // Les notes de séance n'incluent aucun corrigé : tout ce qui vient
        // de solutions/ est dans le bloc du corrigé.
        assert_eq!(
            enseignant.matches("../solutions/").count(),
            corriges.matches("../solutions/").count(),
            "{} : des notes de séance incluent un corrigé",
            chapitre.display()
        );
        assert!(
            corriges.contains("../solutions/"),
            "{} : le corrigé n'inclut aucune solution",
            chapitre.display()
        );
    }
}

#[test]
fn les_marques_orphelines_sont_refusees() {
    let bon = "avant\n<!-- ENSEIGNANT -->\nsecret\n<!-- /ENSEIGNANT -->\naprès\n";
    assert_eq!(retirer_blocs_enseignant(bon).unwrap(), "avant\naprès\n");
    let deux = "a\n<!-- ENSEIGNANT -->\nnote\n<!-- /ENSEIGNANT -->\n<!-- CORRIGE -->\ncode\n<!-- /CORRIGE -->\nb\n";
    assert_eq!(retirer_blocs(deux, Edition::Etudiant).unwrap(), "a\nb\n");
    assert_eq!(
        retirer_blocs(deux, Edition::Corriges).unwrap(),
        "a\ncode\nb\n"
    );
    assert_eq!(
        retirer_blocs(deux, Edition::Enseignant).unwrap(),
        "a\nnote\ncode\nb\n"
    );
    for mauvais in [
        "<!-- CORRIGE -->\ncode\n<!-- /ENSEIGNANT -->\n",
        "<!-- CORRIGE -->\n<!-- ENSEIGNANT -->\n<!-- /ENSEIGNANT -->\n<!-- /CORRIGE -->\n",
        "texte\n<!-- /CORRIGE -->\n",
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
    let blocs = texte
        .lines()
        .filter(|l| l.contains("{{#include "))
        .filter(|l| !retirer_blocs_enseignant(&texte).unwrap().contains(*l))
        .collect::<Vec<_>>()
        .join("\n");
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
