//! L'interface du lecteur en français, dans chaque page produite : le
//! gabarit traduit (theme/index.hbs), la page 404 (src/404.md), le script
//! qui traduit ce que les scripts de mdBook écrivent (theme/francais.js ;
//! son effet sur le compte des résultats de recherche est vérifié dans
//! Chromium par tests/navigateur.rs).

use std::fs;
use std::path::Path;

use outils::construire;

/// Les textes anglais du gabarit et de la page 404 de mdBook 0.5.
const ANGLAIS: [&str; 14] = [
    "Search this book",
    "Toggle Searchbar",
    "Previous chapter",
    "Next chapter",
    "Print this book",
    "Toggle Table of Contents",
    "Table of contents",
    "Keyboard shortcuts",
    "Change theme",
    "Page navigation",
    "Page not found",
    "Document not found",
    "This URL is invalid",
    "<p>Press ",
];

#[test]
fn chaque_page_a_une_interface_en_francais() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dossier = tempfile::tempdir().unwrap();
    let sortie = construire(racine, Some(&dossier.path().join("html")))
        .unwrap_or_else(|e| panic!("le livre ne se construit pas : {e:#}"));
    let mut pages = 0;
    for entree in fs::read_dir(&sortie).unwrap() {
        let chemin = entree.unwrap().path();
        if chemin.extension().is_none_or(|e| e != "html") || chemin.ends_with("toc.html") {
            continue;
        }
        pages += 1;
        let html = fs::read_to_string(&chemin).unwrap();
        for anglais in ANGLAIS {
            assert!(
                !html.contains(anglais),
                "{} contient « {anglais} »",
                chemin.display()
            );
        }
        for francais in [
            "<html lang=\"fr\"",
            "placeholder=\"Rechercher dans le livre…\"",
            "title=\"Changer de thème\"",
            "aria-label=\"Table des matières\"",
            "Raccourcis clavier",
            "francais",
        ] {
            assert!(
                html.contains(francais),
                "{} ne contient pas « {francais} »",
                chemin.display()
            );
        }
    }
    assert!(pages > 20, "seulement {pages} pages");
    let accueil = fs::read_to_string(sortie.join("index.html")).unwrap();
    assert!(accueil.contains("title=\"Chapitre suivant\""));
    let introuvable = fs::read_to_string(sortie.join("404.html")).unwrap();
    assert!(introuvable.contains("<title>Page introuvable - "));
    assert!(introuvable.contains("Page introuvable (erreur 404)"));
    // mdBook ajoute une empreinte au nom : theme/francais-XXXXXXXX.js.
    let script = fs::read_dir(sortie.join("theme"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|nom| nom.starts_with("francais"))
        .expect("theme/francais.js n'est pas publié");
    assert!(accueil.contains(&format!("src=\"theme/{script}\"")));
}
