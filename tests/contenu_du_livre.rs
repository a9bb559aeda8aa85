//! Vérifications du contenu du livre, sur tout `src/` :
//!
//! - chaque image citée par un chapitre existe, et chaque SVG de
//!   `src/images/` est statique (sans script) ;
//! - aucun bloc de code Rust n'est écrit à la main : un bloc ```` ```rust ````
//!   (y compris `rust,ignore`…) ne contient que des lignes
//!   `{{#include …}}`, qui tirent le code d'un fichier compilé et testé.
//!   **Le marqueur « non compilé exprès »** est le langage du bloc : un
//!   listing C s'écrit dans un bloc ```` ```c ````, une sortie de programme
//!   ou un code volontairement faux dans un bloc ```` ```text ````, une
//!   session de terminal dans un bloc ```` ```console ```` ;
//! - chaque lien interne vers une ancre (`page.md#titre`, `#titre`) mène à
//!   un `id` qui existe dans la page construite.
//!
//! L'existence des fichiers visés par les liens internes est déjà vérifiée
//! par `outils::verifier_liens` (voir `tests/livre.rs`) ; on ne vérifie ici
//! que ce qu'il ne regarde pas : la partie `#ancre` des liens.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Le dossier des sources du livre.
fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Les fichiers de `dossier` (et de ses sous-dossiers) qui ont l'extension
/// donnée, triés.
fn fichiers(dossier: &Path, extension: &str) -> Vec<PathBuf> {
    let mut trouves = Vec::new();
    let mut a_voir = vec![dossier.to_path_buf()];
    while let Some(courant) = a_voir.pop() {
        for entree in fs::read_dir(&courant).unwrap() {
            let chemin = entree.unwrap().path();
            if chemin.is_dir() {
                a_voir.push(chemin);
            } else if chemin.extension().is_some_and(|e| e == extension) {
                trouves.push(chemin);
            }
        }
    }
    trouves.sort();
    trouves
}

/// Le chemin d'un fichier de `src/`, pour les messages.
fn nom(chemin: &Path) -> String {
    chemin
        .strip_prefix(sources())
        .unwrap_or(chemin)
        .display()
        .to_string()
}

/// Vrai pour une adresse externe (`https:`, `mailto:`, `//hôte`…).
fn externe(cible: &str) -> bool {
    cible.starts_with("//")
        || cible
            .split_once(':')
            .is_some_and(|(schema, _)| !schema.contains(['/', '#', '?']) && !schema.is_empty())
}

// ---------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------

/// Les images citées par un texte Markdown : `![texte](chemin)` et
/// `<img … src="chemin">`.
fn images_citees(texte: &str) -> Vec<String> {
    let mut images = Vec::new();
    for (debut, _) in texte.match_indices("![") {
        let reste = &texte[debut..];
        let Some(milieu) = reste.find("](") else {
            continue;
        };
        let cible = &reste[milieu + 2..];
        if let Some(fin) = cible.find(')') {
            // `![x](chemin "titre")` : le titre est facultatif.
            let chemin = cible[..fin].split_whitespace().next().unwrap_or("");
            images.push(chemin.to_string());
        }
    }
    for (debut, _) in texte.match_indices("<img") {
        let balise = &texte[debut..texte[debut..].find('>').map_or(texte.len(), |f| debut + f)];
        if let Some(position) = balise.find("src=\"") {
            let valeur = &balise[position + 5..];
            images.push(valeur[..valeur.find('"').unwrap_or(valeur.len())].to_string());
        }
    }
    images
}

#[test]
fn chaque_image_citee_existe() {
    let mut manquantes = Vec::new();
    let mut vues = 0;
    for page in fichiers(&sources(), "md") {
        let texte = fs::read_to_string(&page).unwrap();
        for image in images_citees(&texte) {
            if externe(&image) {
                continue;
            }
            vues += 1;
            let chemin = image.split(['#', '?']).next().unwrap_or("");
            if !page.parent().unwrap().join(chemin).is_file() {
                manquantes.push(format!("{} → {image}", nom(&page)));
            }
        }
    }
    assert!(vues > 0, "aucune image citée : le test ne vérifie rien");
    assert!(
        manquantes.is_empty(),
        "images citées mais absentes :\n  {}",
        manquantes.join("\n  ")
    );
}

#[test]
fn les_svg_sont_statiques() {
    let svg = fichiers(&sources().join("images"), "svg");
    assert!(!svg.is_empty(), "aucun SVG dans src/images");
    for image in svg {
        let texte = fs::read_to_string(&image).unwrap().to_lowercase();
        for interdit in [
            "<script",
            "javascript:",
            " onload=",
            " onclick=",
            "<foreignobject",
        ] {
            assert!(
                !texte.contains(interdit),
                "{} contient « {interdit} » : les schémas doivent rester statiques",
                nom(&image)
            );
        }
    }
}

/// Les schémas (`![…](images/x.svg)`) d'un texte qui ne sont pas le
/// contenu d'un lien vers eux-mêmes (`[![…](images/x.svg)](images/x.svg)`).
fn schemas_sans_lien_plein_ecran(texte: &str) -> Vec<String> {
    let mut sans_lien = Vec::new();
    for (debut, _) in texte.match_indices("![") {
        let reste = &texte[debut..];
        let Some(milieu) = reste.find("](") else {
            continue;
        };
        let Some(fin) = reste[milieu..].find(')') else {
            continue;
        };
        let cible = reste[milieu + 2..milieu + fin]
            .split_whitespace()
            .next()
            .unwrap_or("");
        if externe(cible) || !cible.ends_with(".svg") {
            continue;
        }
        let apres = &reste[milieu + fin + 1..];
        let entoure = texte[..debut].ends_with('[') && apres.starts_with(&format!("]({cible})"));
        if !entoure {
            sans_lien.push(cible.to_string());
        }
    }
    sans_lien
}

#[test]
fn chaque_schema_s_ouvre_en_grand() {
    // Sur un téléphone, un schéma réduit à la largeur de l'écran est
    // illisible : chacun est un lien vers lui-même, qu'on ouvre et qu'on
    // agrandit.
    let mut fautes = Vec::new();
    let mut vus = 0;
    for page in fichiers(&sources(), "md") {
        let texte = fs::read_to_string(&page).unwrap();
        vus += images_citees(&texte)
            .iter()
            .filter(|i| i.ends_with(".svg"))
            .count();
        for cible in schemas_sans_lien_plein_ecran(&texte) {
            fautes.push(format!("{} → {cible}", nom(&page)));
        }
    }
    assert!(vus > 0, "aucun schéma SVG : le test ne vérifie rien");
    assert!(
        fautes.is_empty(),
        "schémas à entourer d'un lien vers eux-mêmes, [![texte](images/x.svg)](images/x.svg) :\n  {}",
        fautes.join("\n  ")
    );
}

#[test]
fn un_schema_sans_lien_est_repere() {
    let texte = "[![a](images/a.svg)](images/a.svg)\n![b](images/b.svg)\n\
                 [![c](images/c.svg)](images/autre.svg)\n![d](images/d.png)";
    assert_eq!(
        schemas_sans_lien_plein_ecran(texte),
        ["images/b.svg", "images/c.svg"]
    );
}

#[test]
fn les_images_sont_reperees() {
    let texte =
        "![a](images/a.svg \"titre\") <img alt=\"b\" src=\"images/b.svg\"> ![c](https://x/c.png)";
    let images = images_citees(texte);
    assert_eq!(images, ["images/a.svg", "https://x/c.png", "images/b.svg"]);
    assert!(externe(&images[1]) && !externe(&images[0]));
}

// ---------------------------------------------------------------------------
// Blocs de code Rust
// ---------------------------------------------------------------------------

/// Un bloc de code délimité : la ligne où il commence, son langage (premier
/// mot de l'annonce, avant toute virgule) et ses lignes.
struct Bloc {
    ligne: usize,
    langage: String,
    contenu: Vec<String>,
}

/// Les blocs délimités par ```` ``` ```` ou `~~~` d'un texte Markdown.
fn blocs(texte: &str) -> Vec<Bloc> {
    let mut trouves = Vec::new();
    let mut ouvert: Option<(String, Bloc)> = None;
    for (numero, ligne) in texte.lines().enumerate() {
        let retrait = ligne.trim_start();
        // La suite de ``` ou de ~~~ qui commence la ligne, s'il y en a une.
        let barriere_de = |caractere: char| -> String {
            retrait.chars().take_while(|&c| c == caractere).collect()
        };
        match &mut ouvert {
            Some((barriere, bloc)) => {
                // Une barrière ferme le bloc si elle est faite du même
                // caractère, au moins aussi longue, et seule sur sa ligne.
                let cloture = barriere_de(barriere.chars().next().unwrap());
                if cloture.len() >= barriere.len() && retrait[cloture.len()..].trim().is_empty() {
                    trouves.push(ouvert.take().unwrap().1);
                } else {
                    bloc.contenu.push(ligne.to_string());
                }
            }
            None => {
                let Some(barriere) = ['`', '~']
                    .into_iter()
                    .map(barriere_de)
                    .find(|b| b.len() >= 3)
                else {
                    continue;
                };
                let langage = retrait[barriere.len()..]
                    .trim()
                    .split([',', ' ', '{'])
                    .next()
                    .unwrap_or("")
                    .to_string();
                let bloc = Bloc {
                    ligne: numero + 1,
                    langage,
                    contenu: Vec::new(),
                };
                ouvert = Some((barriere, bloc));
            }
        }
    }
    trouves
}

/// Vrai si la ligne est une inclusion mdBook (`{{#include …}}` ou
/// `{{#rustdoc_include …}}`), seule sur sa ligne.
fn est_une_inclusion(ligne: &str) -> bool {
    let ligne = ligne.trim();
    (ligne.starts_with("{{#include ") || ligne.starts_with("{{#rustdoc_include "))
        && ligne.ends_with("}}")
}

/// Les blocs Rust d'un texte qui contiennent autre chose que des inclusions.
fn blocs_rust_ecrits_a_la_main(texte: &str) -> Vec<usize> {
    blocs(texte)
        .into_iter()
        .filter(|bloc| bloc.langage == "rust")
        .filter(|bloc| {
            let lignes: Vec<_> = bloc
                .contenu
                .iter()
                .filter(|l| !l.trim().is_empty())
                .collect();
            lignes.is_empty() || !lignes.iter().all(|l| est_une_inclusion(l))
        })
        .map(|bloc| bloc.ligne)
        .collect()
}

#[test]
fn aucun_bloc_rust_n_est_ecrit_a_la_main() {
    let mut fautifs = Vec::new();
    let mut blocs_rust = 0;
    for page in fichiers(&sources(), "md") {
        let texte = fs::read_to_string(&page).unwrap();
        blocs_rust += blocs(&texte).iter().filter(|b| b.langage == "rust").count();
        for ligne in blocs_rust_ecrits_a_la_main(&texte) {
            fautifs.push(format!("{}:{ligne}", nom(&page)));
        }
    }
    assert!(blocs_rust > 0, "aucun bloc Rust : le test ne vérifie rien");
    assert!(
        fautifs.is_empty(),
        "blocs ```rust écrits à la main (le code doit venir d'un {{{{#include …}}}} ; \
         un listing non compilé exprès prend un autre langage : ```text, ```c…) :\n  {}",
        fautifs.join("\n  ")
    );
}

#[test]
fn le_reperage_des_blocs_rust_distingue_inclusions_et_code_a_la_main() {
    let texte = "\
Texte.

```rust
{{#include ../exemples/src/bin/a.rs:ancre}}
```

```rust,ignore
{{#include ../solutions/x.rs:deroule}}

{{#include ../solutions/x.rs:suite}}
```

```rust
fn main() {}
```

````text
```rust
fn dans_un_bloc_texte() {}
```
````

```c
int main(void) { return 0; }
```

~~~rust,no_run
let x = 1;
~~~

```rust
```
";
    assert_eq!(blocs_rust_ecrits_a_la_main(texte), [13, 27, 31]);
}

// ---------------------------------------------------------------------------
// Ancres des liens internes
// ---------------------------------------------------------------------------

/// Remplace les entités HTML qu'on trouve dans une adresse ou un `id`.
fn decoder_entites(valeur: &str) -> String {
    valeur
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Décode les séquences `%XX` (les ancres accentuées sont parfois écrites
/// ainsi dans les liens).
fn decoder_pourcent(texte: &str) -> String {
    let octets = texte.as_bytes();
    let mut resultat = Vec::with_capacity(octets.len());
    let mut i = 0;
    while i < octets.len() {
        let hexa = octets
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (octets[i], hexa) {
            (b'%', Some(octet)) => {
                resultat.push(octet);
                i += 3;
            }
            (octet, _) => {
                resultat.push(octet);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&resultat).into_owned()
}

/// Les valeurs d'un attribut (`id=` ou `href=`) entre guillemets doubles,
/// précédé d'un blanc.
fn attributs<'a>(page: &'a str, nom: &str) -> Vec<&'a str> {
    let motif = format!("{nom}=\"");
    page.match_indices(&motif)
        .filter(|(debut, _)| page[..*debut].ends_with(|c: char| c.is_ascii_whitespace()))
        .filter_map(|(debut, _)| {
            let reste = &page[debut + motif.len()..];
            reste.find('"').map(|fin| &reste[..fin])
        })
        .collect()
}

#[test]
fn chaque_lien_vers_une_ancre_mene_a_un_id_existant() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dossier = tempfile::tempdir().unwrap();
    let sortie = outils::construire(racine, Some(&dossier.path().join("html")))
        .unwrap_or_else(|e| panic!("le livre ne se construit pas : {e:#}"));

    // Les `id` de chaque page (chemin relatif à la sortie → ensemble d'id).
    let pages = fichiers(&sortie, "html");
    let textes: HashMap<PathBuf, String> = pages
        .iter()
        .map(|p| {
            (
                p.strip_prefix(&sortie).unwrap().to_path_buf(),
                fs::read_to_string(p).unwrap(),
            )
        })
        .collect();
    let ids: HashMap<&PathBuf, HashSet<String>> = textes
        .iter()
        .map(|(page, texte)| {
            (
                page,
                attributs(texte, "id")
                    .into_iter()
                    .map(decoder_entites)
                    .collect(),
            )
        })
        .collect();

    let mut casses = Vec::new();
    let mut verifies = 0;
    for (page, texte) in &textes {
        for lien in attributs(texte, "href") {
            let lien = decoder_entites(lien);
            let Some((chemin, ancre)) = lien.split_once('#') else {
                continue;
            };
            if externe(&lien) || ancre.is_empty() {
                continue;
            }
            // La page visée : la page elle-même (`#ancre`), ou un chemin
            // relatif au dossier de la page.
            let cible = if chemin.is_empty() {
                page.clone()
            } else {
                let mut cible = page.parent().unwrap_or(Path::new("")).to_path_buf();
                for morceau in decoder_pourcent(chemin).split('/') {
                    match morceau {
                        "." | "" => {}
                        ".." => {
                            cible.pop();
                        }
                        autre => cible.push(autre),
                    }
                }
                cible
            };
            // Un fichier absent est l'affaire de `verifier_liens`.
            let Some(ids_cible) = ids.get(&cible) else {
                continue;
            };
            verifies += 1;
            if !ids_cible.contains(&decoder_pourcent(ancre)) {
                casses.push(format!("{} → {lien}", page.display()));
            }
        }
    }
    casses.sort();
    assert!(
        verifies > 0,
        "aucun lien vers une ancre : le test ne vérifie rien"
    );
    assert!(
        casses.is_empty(),
        "liens vers une ancre introuvable :\n  {}",
        casses.join("\n  ")
    );
}

// ---------------------------------------------------------------------------
// Une voix propre : aucun renvoi aux documents d'où le cours est tiré
// ---------------------------------------------------------------------------

/// Les tournures qui renvoient le lecteur à des documents qu'il n'a jamais
/// sous les yeux (« le cours d'origine », « le sujet d'origine », « la
/// version d'origine de ce TP »…). Comparées en minuscules, apostrophe
/// droite ou courbe.
const RENVOIS_INTERDITS: [&str; 8] = [
    "d'origine",
    "le cours pose",
    "le cours propose",
    "le cours dit",
    "le cours montre",
    "le cours en cite",
    "du sujet en",
    "le cours retient",
];

/// Les lignes de `texte` qui contiennent un renvoi interdit.
fn renvois_aux_sources(texte: &str) -> Vec<(usize, String)> {
    texte
        .lines()
        .enumerate()
        .filter_map(|(numero, ligne)| {
            let normale = ligne.to_lowercase().replace('\u{2019}', "'");
            RENVOIS_INTERDITS
                .iter()
                .any(|motif| normale.contains(motif))
                .then(|| (numero + 1, ligne.trim().to_string()))
        })
        .collect()
}

#[test]
fn le_livre_et_le_code_ne_renvoient_pas_aux_documents_sources() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut fichiers_lus = 0;
    let mut fautes = Vec::new();
    let mut examiner = |chemin: &Path| {
        fichiers_lus += 1;
        let texte = fs::read_to_string(chemin).unwrap();
        for (numero, ligne) in renvois_aux_sources(&texte) {
            let nom = chemin.strip_prefix(racine).unwrap_or(chemin).display();
            fautes.push(format!("{nom}:{numero} : {ligne}"));
        }
    };
    for page in fichiers(&sources(), "md") {
        examiner(&page);
    }
    for dossier in [
        "exemples",
        "exercises",
        "solutions",
        "catalogue",
        "correcteur",
        "performances",
    ] {
        for extension in ["rs", "py"] {
            for fichier in fichiers(&racine.join(dossier), extension) {
                examiner(&fichier);
            }
        }
    }
    assert!(
        fichiers_lus > 50,
        "trop peu de fichiers lus ({fichiers_lus})"
    );
    assert!(
        fautes.is_empty(),
        "le livre doit se suffire : ces lignes renvoient à des documents que le \
         lecteur n'a pas (reformulez sans eux) :\n  {}",
        fautes.join("\n  ")
    );
}

#[test]
fn les_renvois_aux_sources_sont_reperes() {
    let texte = "Une ligne propre.\n\
                 Le cours d’origine propose une fonction.\n\
                 Comme le sujet d'origine en C.\n\
                 Le cours pose la question.\n\
                 C'est la traduction littérale du sujet d'origine en C.\n";
    let lignes: Vec<usize> = renvois_aux_sources(texte)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(lignes, [2, 3, 4, 5]);
}
