//! L'outil du livre (`outils`, lancé par `cargo livre`) est prouvé ici :
//! - le vrai livre se construit sans erreur, avec son index de recherche et
//!   sans lien interne cassé ;
//! - une construction qui signale une erreur (inclusion cassée, ancre ou
//!   chapitre absent) échoue, même quand plusieurs tournent en parallèle ;
//! - le serveur HTTP sert les bons fichiers avec les bons types, refuse de
//!   sortir de son dossier, tient plusieurs clients à la fois et reconstruit
//!   le livre quand ses sources changent.
//!
//! Tout passe par 127.0.0.1 sur un port choisi par le système (port 0), et
//! chaque socket cliente a un délai de lecture : un test ne peut pas bloquer.

use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::thread;
use std::time::Duration;

use outils::{Reconstructeur, Serveur, construire, verifier_liens};
use tempfile::TempDir;

/// Délai maximal de chaque opération réseau d'un client de test.
const DELAI: Duration = Duration::from_secs(5);

/// Contenu d'un fichier placé hors du dossier servi : il ne doit jamais
/// apparaître dans une réponse.
const SECRET: &str = "SECRET-HORS-DU-DOSSIER-SERVI";

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

#[test]
fn le_vrai_livre_se_construit_sans_erreur_ni_lien_casse() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        racine.join("src/SUMMARY.md").is_file(),
        "le livre n'a pas de src/SUMMARY.md"
    );
    let dossier = tempfile::tempdir().unwrap();
    let sortie = construire(racine, Some(&dossier.path().join("html")))
        .unwrap_or_else(|e| panic!("le livre ne se construit pas : {e:#}"));

    assert!(sortie.join("index.html").is_file(), "pas d'index.html");
    let index_de_recherche = fs::read_dir(&sortie).unwrap().any(|entree| {
        let nom = entree.unwrap().file_name().to_string_lossy().into_owned();
        nom.starts_with("searchindex") && (nom.ends_with(".js") || nom.ends_with(".json"))
    });
    assert!(
        index_de_recherche,
        "pas d'index de recherche dans {sortie:?}"
    );

    let rapport = verifier_liens(&sortie).unwrap();
    assert!(rapport.pages > 0 && rapport.liens > 0, "{rapport:?}");
    assert!(
        rapport.casses.is_empty(),
        "liens internes cassés :\n{}",
        lister(&rapport.casses)
    );
}

#[test]
fn une_inclusion_cassee_fait_echouer_la_construction() {
    let livre = livre_jetable("# Chapitre\n\n```rust\n{{#include inexistant.rs:ancre}}\n```\n");
    let erreur = construction_ratee(livre.path());
    assert!(erreur.contains("1 erreur(s)"), "{erreur}");
    assert!(erreur.contains("inexistant.rs"), "{erreur}");
}

#[test]
fn une_ancre_absente_fait_echouer_la_construction() {
    let livre = livre_jetable("# Chapitre\n\n```rust\n{{#include code.rs:absente}}\n```\n");
    let code =
        "fn main() {\n    // ANCHOR: presente\n    println!();\n    // ANCHOR_END: presente\n}\n";
    fs::write(livre.path().join("src/code.rs"), code).unwrap();
    let erreur = construction_ratee(livre.path());
    assert!(erreur.contains("« absente »"), "{erreur}");

    // La même inclusion avec une ancre qui existe passe.
    let chapitre = "# Chapitre\n\n```rust\n{{#include code.rs:presente}}\n```\n";
    fs::write(livre.path().join("src/chapitre.md"), chapitre).unwrap();
    let dossier = tempfile::tempdir().unwrap();
    let sortie = construire(livre.path(), Some(dossier.path())).unwrap();
    let page = fs::read_to_string(sortie.join("chapitre.html")).unwrap();
    assert!(page.contains("println!"), "extrait absent de la page");
}

#[test]
fn un_chapitre_absent_fait_echouer_la_construction() {
    let livre = livre_jetable("# Chapitre\n");
    let sommaire = "# Sommaire\n\n- [Chapitre](chapitre.md)\n- [Absent](absent.md)\n";
    fs::write(livre.path().join("src/SUMMARY.md"), sommaire).unwrap();
    let erreur = construction_ratee(livre.path());
    assert!(erreur.contains("absent.md"), "{erreur}");
    assert!(
        !livre.path().join("src/absent.md").exists(),
        "le chapitre absent a été créé en silence"
    );
}

#[test]
fn les_erreurs_de_constructions_paralleles_ne_se_melangent_pas() {
    let cassees: Vec<_> = (0..3)
        .map(|_| {
            thread::spawn(|| construction_ratee(livre_jetable("{{#include perdu.rs}}\n").path()))
        })
        .collect();
    let saines: Vec<_> = (0..3)
        .map(|_| {
            thread::spawn(|| {
                let livre = livre_jetable("# Tout va bien\n");
                let dossier = tempfile::tempdir().unwrap();
                construire(livre.path(), Some(dossier.path())).map(|_| ())
            })
        })
        .collect();
    for fil in cassees {
        let erreur = fil.join().unwrap();
        assert!(erreur.contains("1 erreur(s)"), "{erreur}");
    }
    for fil in saines {
        fil.join()
            .unwrap()
            .unwrap_or_else(|e| panic!("une construction saine a échoué : {e:#}"));
    }
}

#[test]
fn un_lien_interne_casse_est_signale() {
    let livre =
        livre_jetable("# Chapitre\n\n[Ailleurs](ailleurs.md) et [dehors](https://example.org/).\n");
    let dossier = tempfile::tempdir().unwrap();
    let sortie = construire(livre.path(), Some(dossier.path())).unwrap();
    let rapport = verifier_liens(&sortie).unwrap();
    let cibles: Vec<_> = rapport.casses.iter().map(|l| l.cible.as_str()).collect();
    assert!(cibles.contains(&"ailleurs.html"), "{rapport:?}");
    assert!(
        !cibles.iter().any(|c| c.contains("example.org")),
        "{rapport:?}"
    );
}

#[test]
fn une_destination_pleine_d_autre_chose_est_refusee() {
    let livre = livre_jetable("# Chapitre\n");
    let dossier = tempfile::tempdir().unwrap();
    fs::write(dossier.path().join("precieux.txt"), "à garder").unwrap();
    let erreur = construire(livre.path(), Some(dossier.path())).unwrap_err();
    assert!(
        format!("{erreur:#}").contains("n'est pas vide"),
        "{erreur:#}"
    );
    assert!(dossier.path().join("precieux.txt").is_file());
    // Ni le livre lui-même.
    assert!(construire(livre.path(), Some(livre.path())).is_err());
}

// ---------------------------------------------------------------------------
// Serveur
// ---------------------------------------------------------------------------

#[test]
fn le_serveur_ecoute_sur_la_boucle_locale() {
    let site = Site::nouveau();
    assert!(site.adresse().ip().is_loopback());
}

#[test]
fn la_racine_sert_index_html() {
    let site = Site::nouveau();
    let reponse = site.get("/");
    assert_eq!(reponse.code, 200, "{reponse:?}");
    assert_eq!(
        reponse.entete("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(reponse.texte().contains("<h1>Accueil</h1>"));
    assert_eq!(
        reponse.entete("content-length"),
        Some(reponse.corps.len().to_string().as_str())
    );
}

#[test]
fn chaque_fichier_a_son_type_de_contenu() {
    let site = Site::nouveau();
    for (chemin, attendu) in [
        ("/css/general.css", "text/css"),
        ("/js/livre.js", "text/javascript"),
        ("/img/logo.svg", "image/svg+xml"),
        ("/donnees.json", "application/json"),
        ("/police.woff2", "font/woff2"),
        ("/inconnu.xyz", "application/octet-stream"),
    ] {
        let reponse = site.get(chemin);
        assert_eq!(reponse.code, 200, "{chemin} : {reponse:?}");
        let type_recu = reponse.entete("content-type").unwrap_or_default();
        assert!(type_recu.starts_with(attendu), "{chemin} : {type_recu}");
    }
}

#[test]
fn requete_dossier_encodage_et_head() {
    let site = Site::nouveau();
    assert_eq!(site.get("/css/general.css?v=3").code, 200);
    assert_eq!(site.get("/avec%20espace.txt").code, 200);
    assert_eq!(site.get("/chapitre/").code, 200);
    let redirection = site.get("/chapitre");
    assert_eq!(redirection.code, 301);
    assert_eq!(redirection.entete("location"), Some("/chapitre/"));

    let tete = site.envoyer(b"HEAD / HTTP/1.1\r\nHost: essai\r\n\r\n");
    assert_eq!(tete.code, 200);
    assert!(tete.corps.is_empty(), "HEAD a renvoyé un corps");
    assert_ne!(tete.entete("content-length"), Some("0"));
}

#[test]
fn une_page_absente_donne_404_en_francais() {
    let site = Site::nouveau();
    let reponse = site.get("/absent.html");
    assert_eq!(reponse.code, 404);
    assert!(
        reponse.texte().contains("introuvable"),
        "{}",
        reponse.texte()
    );
}

#[test]
fn le_serveur_ne_sort_jamais_de_son_dossier() {
    let site = Site::nouveau();
    let tentatives = [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/secret.txt",
        "/..%2fCargo.toml",
        "/.%2e/Cargo.toml",
        "/css/../../Cargo.toml",
        "/css/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%2e%2e%5csecret.txt",
        "/css%2f..%2f..%2fsecret.txt",
        "//..//Cargo.toml",
        "/%00/../secret.txt",
        "/fuite.txt",
    ];
    for chemin in tentatives {
        let reponse = site.get(chemin);
        assert_ne!(reponse.code, 200, "{chemin} a été servi");
        assert!(
            !reponse.texte().contains(SECRET),
            "{chemin} a révélé le fichier secret"
        );
    }
}

#[test]
fn methodes_et_requetes_invalides() {
    let site = Site::nouveau();
    let post = site.envoyer(b"POST / HTTP/1.1\r\nHost: essai\r\nContent-Length: 5\r\n\r\nhello");
    assert_eq!(post.code, 405);
    assert_eq!(post.entete("allow"), Some("GET, HEAD"));

    assert_eq!(site.envoyer(b"n'importe quoi\r\n\r\n").code, 400);
    assert_eq!(site.envoyer(b"GET sans-barre HTTP/1.1\r\n\r\n").code, 400);
    assert_eq!(site.envoyer(b"GET / HTTP/9.9\r\n\r\n").code, 400);
    assert_eq!(site.envoyer(b"GET /%zz HTTP/1.1\r\n\r\n").code, 400);

    let mut enorme = b"GET / HTTP/1.1\r\n".to_vec();
    for i in 0..400 {
        enorme.extend_from_slice(format!("X-Remplissage-{i}: aaaaaaaaaaaaaaaa\r\n").as_bytes());
    }
    enorme.extend_from_slice(b"\r\n");
    assert_eq!(site.envoyer(&enorme).code, 431);
}

/// Une cible qui commence par `//` ne doit pas devenir une redirection
/// `Location: //css/` : un navigateur la lirait comme une adresse relative au
/// protocole, vers l'hôte `css`.
#[test]
fn une_redirection_reste_sur_le_meme_hote() {
    let site = Site::nouveau();
    for (cible, attendu) in [
        ("//css", "/css/"),
        ("///chapitre", "/chapitre/"),
        ("//chapitre?v=1", "/chapitre/"),
    ] {
        let reponse = site.get(cible);
        assert_eq!(reponse.code, 301, "{cible}");
        assert_eq!(reponse.entete("location"), Some(attendu), "{cible}");
    }
}

/// Un octet nul ou de contrôle dans la valeur d'un en-tête n'est pas du
/// HTTP (RFC 9110, § 5.5) : 400, comme dans le nom.
#[test]
fn un_octet_de_controle_dans_un_en_tete_est_refuse() {
    let site = Site::nouveau();
    for valeur in [&b"a\0b"[..], b"a\rb", b"\x1b[2J", b"a\x7fb"] {
        let mut requete = b"GET / HTTP/1.1\r\nX-Essai: ".to_vec();
        requete.extend_from_slice(valeur);
        requete.extend_from_slice(b"\r\n\r\n");
        assert_eq!(site.envoyer(&requete).code, 400, "{valeur:?}");
    }
    // Une tabulation et les octets non ASCII (obs-text) restent permis.
    let permise = site.envoyer("GET / HTTP/1.1\r\nX-Essai: a\tb é\r\n\r\n".as_bytes());
    assert_eq!(permise.code, 200);
}

#[test]
fn huit_clients_a_la_fois_recoivent_tout() {
    let site = Site::nouveau();
    let attendu = contenu_volumineux();
    let adresse = site.adresse();
    let clients: Vec<_> = (0..8)
        .map(|_| thread::spawn(move || echanger(adresse, b"GET /gros.bin HTTP/1.1\r\n\r\n")))
        .collect();
    for client in clients {
        let reponse = client.join().unwrap();
        assert_eq!(reponse.code, 200);
        assert_eq!(reponse.corps.len(), attendu.len());
        assert!(reponse.corps == attendu, "corps altéré");
    }
}

#[test]
fn un_client_muet_ne_bloque_pas_les_autres() {
    let site = Site::nouveau();
    let muet = TcpStream::connect_timeout(&site.adresse(), DELAI).unwrap();
    let reponse = site.get("/");
    assert_eq!(reponse.code, 200);
    drop(muet);
}

#[test]
fn le_livre_est_reconstruit_quand_ses_sources_changent() {
    let livre = livre_jetable("# Chapitre\n\nPremière version.\n");
    let dossier = tempfile::tempdir().unwrap();
    let destination = dossier.path().join("html");
    let reconstructeur = Reconstructeur::new(livre.path(), Some(&destination));
    let sortie = reconstructeur.construire().unwrap();
    let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let serveur = Serveur::demarrer(adresse, sortie, Some(reconstructeur.en_crochet())).unwrap();
    let adresse = serveur.adresse_locale();
    let page = |texte: &str| {
        let reponse = echanger(adresse, b"GET /chapitre.html HTTP/1.1\r\n\r\n");
        assert!(
            reponse.texte().contains(texte),
            "« {texte} » absent : {reponse:?}"
        );
        reponse.code
    };
    let chapitre = livre.path().join("src/chapitre.md");

    assert_eq!(page("Première version"), 200);
    fs::write(&chapitre, "# Chapitre\n\nSeconde version.\n").unwrap();
    assert_eq!(page("Seconde version"), 200);

    // Une reconstruction ratée donne une page 500 qui montre l'erreur…
    fs::write(&chapitre, "# Chapitre\n\n{{#include disparu.rs}}\n").unwrap();
    assert_eq!(page("disparu.rs"), 500);
    // … et le serveur continue : une fois la source corrigée, tout repart.
    fs::write(&chapitre, "# Chapitre\n\nTroisième version.\n").unwrap();
    assert_eq!(page("Troisième version"), 200);
}

#[test]
fn un_fichier_inclus_hors_des_sources_declenche_aussi_la_reconstruction() {
    let livre = livre_jetable("# Chapitre\n\n```rust\n{{#include ../exemple.rs:extrait}}\n```\n");
    let exemple = livre.path().join("exemple.rs");
    let version =
        |n: u32| format!("// ANCHOR: extrait\nfn version_{n}() {{}}\n// ANCHOR_END: extrait\n");
    fs::write(&exemple, version(1)).unwrap();
    let dossier = tempfile::tempdir().unwrap();
    let reconstructeur = Reconstructeur::new(livre.path(), Some(&dossier.path().join("html")));
    let sortie = reconstructeur.construire().unwrap();
    let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let serveur = Serveur::demarrer(adresse, sortie, Some(reconstructeur.en_crochet())).unwrap();
    let page = || {
        echanger(
            serveur.adresse_locale(),
            b"GET /chapitre.html HTTP/1.1\r\n\r\n",
        )
        .texte()
    };

    assert!(page().contains("version_1"));
    fs::write(&exemple, version(2)).unwrap();
    let texte = page();
    assert!(
        texte.contains("version_2") && !texte.contains("version_1"),
        "{texte}"
    );
}

// ---------------------------------------------------------------------------
// Outillage des tests
// ---------------------------------------------------------------------------

/// Un livre minimal dans un dossier temporaire : un chapitre, `chapitre.md`.
fn livre_jetable(chapitre: &str) -> TempDir {
    let livre = tempfile::tempdir().unwrap();
    let racine = livre.path();
    fs::write(
        racine.join("book.toml"),
        "[book]\ntitle = \"Essai\"\nlanguage = \"fr\"\n",
    )
    .unwrap();
    fs::create_dir(racine.join("src")).unwrap();
    fs::write(
        racine.join("src/SUMMARY.md"),
        "# Sommaire\n\n- [Chapitre](chapitre.md)\n",
    )
    .unwrap();
    fs::write(racine.join("src/chapitre.md"), chapitre).unwrap();
    livre
}

/// Construit un livre qui doit échouer, et rend le message d'erreur complet.
fn construction_ratee(racine: &Path) -> String {
    let dossier = tempfile::tempdir().unwrap();
    match construire(racine, Some(dossier.path())) {
        Ok(sortie) => panic!("la construction aurait dû échouer ({sortie:?})"),
        Err(e) => format!("{e:#}"),
    }
}

/// Liste des liens cassés, un par ligne.
fn lister(liens: &[outils::LienCasse]) -> String {
    liens.iter().map(|l| format!("  {l}\n")).collect()
}

/// Un contenu de 256 Kio, plus gros que les tampons des sockets : il faut
/// plusieurs envois pour le transmettre.
fn contenu_volumineux() -> Vec<u8> {
    (0..256 * 1024).map(|i| (i % 251) as u8).collect()
}

/// Un dossier servi par un serveur de test, avec des fichiers secrets à côté
/// (hors du dossier servi).
struct Site {
    _dossier: TempDir,
    serveur: Serveur,
}

impl Site {
    fn nouveau() -> Site {
        let dossier = tempfile::tempdir().unwrap();
        let racine = dossier.path().join("site");
        for sous_dossier in ["css", "js", "img", "chapitre"] {
            fs::create_dir_all(racine.join(sous_dossier)).unwrap();
        }
        let fichiers: [(&str, &[u8]); 9] = [
            ("index.html", b"<!DOCTYPE html><h1>Accueil</h1>"),
            ("css/general.css", b"body { color: black; }"),
            ("js/livre.js", b"console.log('livre');"),
            (
                "img/logo.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            ),
            ("donnees.json", b"{}"),
            ("police.woff2", b"wOF2"),
            ("inconnu.xyz", b"?"),
            ("avec espace.txt", b"espace"),
            ("chapitre/index.html", b"<h1>Chapitre</h1>"),
        ];
        for (nom, contenu) in fichiers {
            fs::write(racine.join(nom), contenu).unwrap();
        }
        fs::write(racine.join("gros.bin"), contenu_volumineux()).unwrap();
        fs::write(dossier.path().join("Cargo.toml"), SECRET).unwrap();
        fs::write(dossier.path().join("secret.txt"), SECRET).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dossier.path().join("secret.txt"), racine.join("fuite.txt"))
            .unwrap();

        let adresse = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let serveur = Serveur::demarrer(adresse, racine, None).unwrap();
        Site {
            _dossier: dossier,
            serveur,
        }
    }

    fn adresse(&self) -> SocketAddr {
        self.serveur.adresse_locale()
    }

    fn get(&self, chemin: &str) -> Reponse {
        self.envoyer(format!("GET {chemin} HTTP/1.1\r\nHost: essai\r\n\r\n").as_bytes())
    }

    fn envoyer(&self, requete: &[u8]) -> Reponse {
        echanger(self.adresse(), requete)
    }
}

/// Une réponse HTTP reçue.
#[derive(Debug)]
struct Reponse {
    code: u16,
    entetes: Vec<(String, String)>,
    corps: Vec<u8>,
}

impl Reponse {
    /// La valeur d'un en-tête (nom insensible à la casse).
    fn entete(&self, nom: &str) -> Option<&str> {
        self.entetes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(nom))
            .map(|(_, v)| v.as_str())
    }

    fn texte(&self) -> String {
        String::from_utf8_lossy(&self.corps).into_owned()
    }
}

/// Envoie une requête brute et lit toute la réponse (le serveur ferme la
/// connexion après avoir répondu), avec des délais pour ne jamais bloquer.
fn echanger(adresse: SocketAddr, requete: &[u8]) -> Reponse {
    let mut flux = TcpStream::connect_timeout(&adresse, DELAI).unwrap();
    flux.set_read_timeout(Some(DELAI)).unwrap();
    flux.set_write_timeout(Some(DELAI)).unwrap();
    flux.write_all(requete).unwrap();
    let mut brut = Vec::new();
    flux.read_to_end(&mut brut).unwrap_or_else(|e| {
        panic!(
            "réponse incomplète ({e}) : {:?}",
            String::from_utf8_lossy(&brut)
        )
    });
    analyser_reponse(&brut)
}

/// Découpe une réponse brute en code, en-têtes et corps.
fn analyser_reponse(brut: &[u8]) -> Reponse {
    let fin = brut
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "réponse sans fin d'en-tête : {:?}",
                String::from_utf8_lossy(brut)
            )
        });
    let tete = String::from_utf8_lossy(&brut[..fin]).into_owned();
    let mut lignes = tete.split("\r\n");
    let statut = lignes.next().unwrap_or_default();
    let code = statut
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("ligne de statut invalide : {statut}"));
    let entetes = lignes
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reponse {
        code,
        entetes,
        corps: brut[fin + 4..].to_vec(),
    }
}
