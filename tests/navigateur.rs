//! Le livre dans un vrai navigateur : Chromium sans tête (paquet Debian
//! `chromium`) ouvre l'édition étudiante, servie sur 127.0.0.1 par le
//! serveur de l'outil du livre (`outils::Serveur`), et on vérifie ce qu'il a
//! réellement construit, scripts de mdBook exécutés :
//!
//! - la page d'accueil s'affiche, avec son titre et le sommaire complet ;
//! - la recherche (`index.html?search=accept`) affiche des résultats ;
//! - sur chaque page, chaque lien interne du DOM rendu (sommaire compris) mène
//!   à une cible servie avec le code 200, et son `#ancre` existe comme `id`
//!   dans la page visée ; chaque image (les schémas SVG) s'affiche ; aucune
//!   ressource ne vient d'ailleurs que du serveur local ;
//! - une capture d'écran d'un chapitre de TP est gardée comme artefact :
//!   `target/artefacts/navigateur/<page>.png`.
//!
//! Ces vérifications refusent un livre abîmé (schéma supprimé, lien, ancre
//! et lien du sommaire cassés, index de recherche absent, ressource externe),
//! chaque dégât avec son message.
//!
//! Chromium n'est pas une dépendance de `cargo test` : ces tests sont
//! ignorés par défaut. `.ci/run` installe Chromium et les lance à part :
//!
//! ```sh
//! cargo test --test navigateur -- --ignored
//! ```
//!
//! Sans Chromium, ils échouent en disant comment l'installer.

#[path = "navigateur/chromium.rs"]
mod chromium;
#[path = "navigateur/verifications.rs"]
mod verifications;

use std::collections::HashSet;
use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use chromium::Chromium;
use outils::{Serveur, construire};
use tempfile::TempDir;
use verifications::Chapitre;

/// Le chapitre de TP photographié (le seul nom de page écrit ici).
const PAGE_CAPTUREE: &str = "tp09-client-serveur-tcp.html";

/// Les dimensions de la capture.
const FENETRE: (u32, u32) = (1280, 2000);

/// Le mot cherché dans la barre de recherche.
const MOT_CHERCHE: &str = "accept";

/// Le dossier du banc d'essai, ajouté au livre servi (jamais une page du livre).
const BANC: &str = "_banc-navigateur";

// ---------------------------------------------------------------------------
// Le vrai livre
// ---------------------------------------------------------------------------

#[test]
#[ignore = "ouvre le livre dans Chromium : cargo test --test navigateur -- --ignored"]
fn l_accueil_s_affiche_avec_son_titre_et_tout_le_sommaire() {
    let chromium = Chromium::trouver();
    let livre = Livre::construit();
    let dom = chromium
        .dom(&livre.url("index.html"))
        .unwrap_or_else(|e| panic!("{e}"));
    let constats = verifications::accueil(&dom, &titre_du_livre(), &chapitres_du_sommaire());
    assert!(constats.is_empty(), "{}", enumerer(&constats));
}

#[test]
#[ignore = "ouvre le livre dans Chromium : cargo test --test navigateur -- --ignored"]
fn la_recherche_trouve_accept() {
    let chromium = Chromium::trouver();
    let livre = Livre::construit();
    let dom = chromium
        .dom(&livre.url(&format!("index.html?search={MOT_CHERCHE}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let pages: HashSet<String> = livre.pages().into_iter().collect();
    let constats = verifications::recherche(&dom, MOT_CHERCHE, &pages);
    assert!(constats.is_empty(), "{}", enumerer(&constats));
}

#[test]
#[ignore = "ouvre le livre dans Chromium : cargo test --test navigateur -- --ignored"]
fn chaque_page_a_ses_liens_ses_ancres_et_ses_schemas() {
    let chromium = Chromium::trouver();
    let livre = Livre::construit();
    let (constats, compte) = livre.verifier_les_pages(&chromium);
    assert!(constats.is_empty(), "{}", enumerer(&constats));

    eprintln!(
        "{} pages, {} liens internes (dont {} du sommaire), {} ancres, {} schémas SVG",
        compte.pages,
        compte.liens,
        compte.liens_du_sommaire,
        compte.ancres,
        compte.schemas.len()
    );

    // Des vérifications qui n'ont rien vu ne prouveraient rien.
    assert_eq!(compte.pages, livre.pages().len(), "{compte:?}");
    assert!(
        compte.liens_du_sommaire >= chapitres_du_sommaire().len(),
        "trop peu de liens du sommaire vus : {compte:?}"
    );
    assert!(compte.ancres > 0, "aucune ancre vérifiée : {compte:?}");
    // Chaque schéma du livre s'affiche dans au moins une page.
    let absents: Vec<_> = schemas_du_livre(&livre.html)
        .into_iter()
        .filter(|schema| !compte.schemas.contains(schema))
        .collect();
    assert!(
        absents.is_empty(),
        "schémas SVG qu'aucune page n'affiche : {absents:?}"
    );
}

#[test]
#[ignore = "ouvre le livre dans Chromium : cargo test --test navigateur -- --ignored"]
fn une_capture_d_un_chapitre_de_tp_est_gardee() {
    let chromium = Chromium::trouver();
    let livre = Livre::construit();
    assert!(
        livre.html.join(PAGE_CAPTUREE).is_file(),
        "le chapitre photographié {PAGE_CAPTUREE} n'existe plus : changez PAGE_CAPTUREE"
    );
    let artefact = dossier_des_artefacts().join(PAGE_CAPTUREE.replace(".html", ".png"));
    fs::create_dir_all(artefact.parent().unwrap()).unwrap();
    chromium
        .capturer(&livre.url(PAGE_CAPTUREE), &artefact, FENETRE)
        .unwrap_or_else(|e| panic!("{e}"));
    let constats = verifications::capture(&fs::read(&artefact).unwrap(), FENETRE);
    assert!(
        constats.is_empty(),
        "{} ({})",
        enumerer(&constats),
        artefact.display()
    );
}

// ---------------------------------------------------------------------------
// Les vérifications savent échouer
// ---------------------------------------------------------------------------

#[test]
#[ignore = "ouvre le livre dans Chromium : cargo test --test navigateur -- --ignored"]
fn un_livre_abime_est_refuse_degat_par_degat() {
    let chromium = Chromium::trouver();
    let livre = Livre::construit();
    let degats = livre.abimer();

    let (dom_accueil, dom_recherche) = thread::scope(|fils| {
        let accueil = fils.spawn(|| chromium.dom(&livre.url("index.html")));
        let recherche =
            fils.spawn(|| chromium.dom(&livre.url(&format!("index.html?search={MOT_CHERCHE}"))));
        (accueil.join().unwrap(), recherche.join().unwrap())
    });
    let mut constats = verifications::accueil(
        &dom_accueil.unwrap_or_else(|e| panic!("{e}")),
        &titre_du_livre(),
        &chapitres_du_sommaire(),
    );
    let pages: HashSet<String> = livre.pages().into_iter().collect();
    constats.extend(verifications::recherche(
        &dom_recherche.unwrap_or_else(|e| panic!("{e}")),
        MOT_CHERCHE,
        &pages,
    ));
    constats.extend(livre.verifier_les_pages(&chromium).0);
    let tout = enumerer(&constats);

    let attendus = [
        // Le schéma supprimé ne s'affiche pas, et le serveur répond 404.
        format!("l'image « {} » ne s'affiche pas", degats.schema),
        format!("ressource « /{} » servie avec le code 404", degats.schema),
        // Le lien et l'ancre cassés à la main dans le chapitre.
        format!(
            "lien interne cassé « {} » : la cible répond 404",
            degats.lien
        ),
        format!("ancre absente « {} » : aucun id", degats.ancre),
        // Le lien du sommaire cassé dans le script qui le remplit : invisible
        // dans le HTML servi, visible dans le DOM rendu, sur chaque page.
        format!("lien interne cassé (sommaire) « {} »", degats.sommaire),
        format!(
            "accueil : le sommaire affiché ne mène pas au chapitre « {} »",
            degats.chapitre_retire
        ),
        // Sans index, la recherche n'affiche rien.
        format!("recherche : « {MOT_CHERCHE} » ne donne aucun résultat affiché"),
        // Une ressource externe est signalée…
        format!("ressource externe « {} »", degats.externe),
    ];
    for attendu in &attendus {
        assert!(
            tout.contains(attendu.as_str()),
            "constat attendu absent : « {attendu} »\nconstats :\n{tout}"
        );
    }
    // … et sa requête est restée sur la machine : le piège l'a reçue.
    let interceptees = chromium.requetes_interceptees();
    let hote = degats.externe.split('/').nth(2).unwrap();
    assert!(
        interceptees.iter().any(|r| r.contains(hote)),
        "la requête vers {hote} n'est pas passée par le piège : {interceptees:?}"
    );
}

#[test]
#[ignore = "ouvre le livre dans Chromium : cargo test --test navigateur -- --ignored"]
fn une_capture_de_page_blanche_est_refusee() {
    let chromium = Chromium::trouver();
    let livre = Livre::construit();
    let blanche = livre.ajouter_au_banc("blanche.html", "<!DOCTYPE html><title>vide</title>");
    let dossier = tempfile::tempdir().unwrap();
    let fichier = dossier.path().join("blanche.png");
    chromium
        .capturer(&livre.url(&blanche), &fichier, FENETRE)
        .unwrap_or_else(|e| panic!("{e}"));
    let constats = verifications::capture(&fs::read(&fichier).unwrap(), FENETRE);
    assert!(
        enumerer(&constats).contains("la page semble vide"),
        "{constats:?}"
    );
    let constats = verifications::capture(b"pas un PNG", FENETRE);
    assert!(enumerer(&constats).contains("ce n'est pas un fichier PNG"));
}

/// Celui-ci tourne avec `cargo test` : sans Chromium, le message dit quoi
/// installer.
#[test]
fn sans_chromium_le_message_dit_comment_l_installer() {
    let vide = tempfile::tempdir().unwrap();
    let erreur = chromium::trouver_dans(vide.path().as_os_str()).unwrap_err();
    assert!(erreur.contains("Chromium est introuvable"), "{erreur}");
    assert!(
        erreur.contains("apt-get install -y --no-install-recommends chromium"),
        "{erreur}"
    );
}

// ---------------------------------------------------------------------------
// Le livre construit et servi
// ---------------------------------------------------------------------------

/// L'édition étudiante, construite dans un dossier temporaire et servie sur
/// 127.0.0.1 (port choisi par le système).
struct Livre {
    serveur: Serveur,
    html: PathBuf,
    /// Gardé jusqu'à la fin : le dossier disparaît avec lui.
    _dossier: TempDir,
}

/// Ce que [`Livre::abimer`] a cassé.
struct Degats {
    /// Le schéma supprimé (`images/….svg`).
    schema: String,
    /// Un lien vers une page inexistante.
    lien: String,
    /// Un lien vers une ancre inexistante.
    ancre: String,
    /// Le lien du sommaire remplacé, et le titre du chapitre qu'il visait.
    sommaire: String,
    chapitre_retire: String,
    /// L'adresse d'une image externe ajoutée.
    externe: String,
}

impl Livre {
    fn construit() -> Livre {
        let dossier = tempfile::tempdir().unwrap();
        let html = construire(racine(), Some(&dossier.path().join("html")))
            .unwrap_or_else(|e| panic!("le livre ne se construit pas : {e:#}"));
        let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let serveur = Serveur::demarrer(adresse, html.clone(), None)
            .unwrap_or_else(|e| panic!("le serveur du livre ne démarre pas : {e:#}"));
        Livre {
            serveur,
            html,
            _dossier: dossier,
        }
    }

    fn url(&self, chemin: &str) -> String {
        format!("http://{}/{chemin}", self.serveur.adresse_locale())
    }

    /// Les pages HTML du livre construit (chemins relatifs, triés), hors
    /// banc d'essai.
    fn pages(&self) -> Vec<String> {
        let mut pages = Vec::new();
        let mut a_voir = vec![self.html.clone()];
        while let Some(dossier) = a_voir.pop() {
            for entree in fs::read_dir(&dossier).unwrap() {
                let chemin = entree.unwrap().path();
                let relatif = chemin.strip_prefix(&self.html).unwrap();
                if relatif.starts_with(BANC) {
                    continue;
                }
                if chemin.is_dir() {
                    a_voir.push(chemin);
                } else if chemin.extension().is_some_and(|e| e == "html") {
                    pages.push(relatif.to_string_lossy().into_owned());
                }
            }
        }
        pages.sort();
        pages
    }

    /// Écrit un fichier dans le dossier du banc d'essai ; rend son chemin
    /// dans le site.
    fn ajouter_au_banc(&self, nom: &str, contenu: &str) -> String {
        let dossier = self.html.join(BANC);
        fs::create_dir_all(&dossier).unwrap();
        fs::write(dossier.join(nom), contenu).unwrap();
        format!("{BANC}/{nom}")
    }

    /// Ouvre toutes les pages dans le banc d'essai et vérifie son bilan.
    ///
    /// Un seul Chromium par moitié du livre : les cadres d'une même origine
    /// partagent un seul processus de rendu, deux navigateurs occupent les
    /// deux cœurs de la machine.
    fn verifier_les_pages(&self, chromium: &Chromium) -> (Vec<String>, verifications::Compte) {
        let pages = self.pages();
        let moities: Vec<&[String]> = pages.chunks(pages.len().div_ceil(2)).collect();
        let gabarit = include_str!("navigateur/banc.html");
        let bilans: Vec<Result<serde_json::Value, String>> = thread::scope(|fils| {
            let travaux: Vec<_> = moities
                .iter()
                .enumerate()
                .map(|(numero, moitie)| {
                    let liste = serde_json::to_string(moitie).unwrap();
                    let banc = self.ajouter_au_banc(
                        &format!("banc-{numero}.html"),
                        &gabarit.replace("/*PAGES*/[]", &liste),
                    );
                    fils.spawn(move || {
                        let dom = chromium.dom(&self.url(&banc))?;
                        verifications::bilan_du_banc(&dom)
                    })
                })
                .collect();
            travaux.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let mut fusion = serde_json::json!({ "origine": "", "pages": [] });
        for bilan in bilans {
            let mut bilan = bilan.unwrap_or_else(|e| panic!("{e}"));
            fusion["origine"] = bilan["origine"].take();
            let pages = bilan["pages"].as_array_mut().map(std::mem::take);
            fusion["pages"]
                .as_array_mut()
                .unwrap()
                .extend(pages.unwrap_or_default());
        }
        let adresse = self.serveur.adresse_locale();
        verifications::pages(&fusion, &pages, &|requete| statut_http(adresse, requete))
    }

    /// Abîme le livre construit, de façons que seules des vérifications dans
    /// le navigateur voient toutes.
    fn abimer(&self) -> Degats {
        let pages = self.pages();
        let lire = |page: &str| fs::read_to_string(self.html.join(page)).unwrap();

        // Un schéma supprimé : le premier qu'affiche une page.
        let schema = pages
            .iter()
            .find_map(|page| {
                let texte = lire(page);
                let debut = texte.find("src=\"images/")? + 5;
                let fin = debut + texte[debut..].find('"')?;
                Some(texte[debut..fin].to_string())
            })
            .expect("aucune page n'affiche de schéma");
        fs::remove_file(self.html.join(&schema)).unwrap();

        // Un lien et une ancre cassés, et une image externe, dans le chapitre
        // photographié.
        let lien = "page-disparue.html".to_string();
        let ancre = "index.html#ancre-disparue".to_string();
        let externe = "http://192.0.2.1/schema-externe.svg".to_string();
        let ajout = format!(
            "<p><a href=\"{lien}\">perdu</a> <a href=\"{ancre}\">ailleurs</a> \
             <img src=\"{externe}\" alt=\"externe\"></p></main>"
        );
        let chapitre = lire(PAGE_CAPTUREE).replacen("</main>", &ajout, 1);
        fs::write(self.html.join(PAGE_CAPTUREE), chapitre).unwrap();

        // Le dernier chapitre du sommaire, renommé dans le script qui remplit
        // le sommaire de chaque page.
        let dernier = chapitres_du_sommaire().pop().expect("sommaire vide");
        let sommaire = dernier.page.replace(".html", "-disparu.html");
        let script = fichier_qui_commence_par(&self.html, "toc-", ".js");
        let texte = fs::read_to_string(&script).unwrap();
        let avant = format!("href=\"{}\"", dernier.page);
        assert!(
            texte.contains(&avant),
            "{avant} absent de {}",
            script.display()
        );
        fs::write(
            &script,
            texte.replace(&avant, &format!("href=\"{sommaire}\"")),
        )
        .unwrap();

        // L'index de recherche supprimé.
        fs::remove_file(fichier_qui_commence_par(&self.html, "searchindex", ".js")).unwrap();

        Degats {
            schema,
            lien,
            ancre,
            sommaire,
            chapitre_retire: dernier.titre,
            externe,
        }
    }
}

/// Le code de statut que le serveur rend pour `requete` (un chemin déjà
/// encodé, `/images/x.svg`), par une requête HEAD.
fn statut_http(adresse: SocketAddr, requete: &str) -> u16 {
    let delai = Duration::from_secs(10);
    let echange = || -> std::io::Result<String> {
        let mut flux = TcpStream::connect_timeout(&adresse, delai)?;
        flux.set_read_timeout(Some(delai))?;
        flux.set_write_timeout(Some(delai))?;
        write!(
            flux,
            "HEAD {requete} HTTP/1.1\r\nHost: {adresse}\r\nConnection: close\r\n\r\n"
        )?;
        let mut reponse = String::new();
        flux.take(4096).read_to_string(&mut reponse)?;
        Ok(reponse)
    };
    let reponse = echange().unwrap_or_else(|e| panic!("HEAD {requete} : {e}"));
    reponse
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("HEAD {requete} : réponse illisible {reponse:?}"))
}

// ---------------------------------------------------------------------------
// Outillage
// ---------------------------------------------------------------------------

fn racine() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Le titre du livre, lu dans `book.toml` (`title = "…"` de `[book]`).
fn titre_du_livre() -> String {
    let config = fs::read_to_string(racine().join("book.toml")).unwrap();
    config
        .lines()
        .skip_while(|l| l.trim() != "[book]")
        .find_map(|l| l.trim().strip_prefix("title")?.trim().strip_prefix('='))
        .map(|valeur| valeur.trim().trim_matches('"').to_string())
        .expect("pas de title dans la section [book] de book.toml")
}

/// Les chapitres de `src/SUMMARY.md` qui ont une page (`[Titre](page.md)` ;
/// les brouillons `[Titre]()` n'en ont pas).
fn chapitres_du_sommaire() -> Vec<Chapitre> {
    let sommaire = fs::read_to_string(racine().join("src/SUMMARY.md")).unwrap();
    sommaire
        .lines()
        .filter_map(|ligne| {
            let debut = ligne.find('[')?;
            let milieu = debut + ligne[debut..].find("](")?;
            let fin = milieu + ligne[milieu..].find(')')?;
            let source = &ligne[milieu + 2..fin];
            let page = source.strip_suffix(".md")?;
            Some(Chapitre {
                titre: ligne[debut + 1..milieu].to_string(),
                page: format!("{page}.html"),
            })
        })
        .collect()
}

/// Les schémas SVG du livre construit (`images/x.svg`), triés.
fn schemas_du_livre(html: &Path) -> Vec<String> {
    let mut schemas: Vec<String> = fs::read_dir(html.join("images"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|nom| nom.ends_with(".svg"))
        .map(|nom| format!("images/{nom}"))
        .collect();
    schemas.sort();
    schemas
}

/// Le fichier de `dossier` dont le nom a ce début et cette fin (les noms
/// de mdBook portent une empreinte : `toc-ae0b40d1.js`).
fn fichier_qui_commence_par(dossier: &Path, debut: &str, fin: &str) -> PathBuf {
    fs::read_dir(dossier)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|chemin| {
            let nom = chemin.file_name().unwrap().to_string_lossy();
            nom.starts_with(debut) && nom.ends_with(fin)
        })
        .unwrap_or_else(|| panic!("pas de fichier {debut}…{fin} dans {}", dossier.display()))
}

/// `target/artefacts/navigateur/` : ce test tourne depuis
/// `target/<profil>/deps/`.
fn dossier_des_artefacts() -> PathBuf {
    let executable = std::env::current_exe().unwrap();
    let cible = executable
        .ancestors()
        .nth(3)
        .expect("dossier cible introuvable");
    cible.join("artefacts").join("navigateur")
}

/// Les constats, un par ligne.
fn enumerer(constats: &[String]) -> String {
    constats.iter().map(|c| format!("  - {c}\n")).collect()
}
