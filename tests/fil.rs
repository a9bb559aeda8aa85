//! Les captures du chapitre « Ce qui passe sur le fil » (`src/captures/`)
//! viennent de `cargo fil` : celles qui sont publiées montrent ce que le
//! chapitre en dit, et (test ignoré, lancé en root par `.ci/run`) une
//! capture neuve des programmes du cours aussi.

use std::path::Path;

use outils::fil;

const CAPTURES: [&str; 4] = [
    "tp09-echange.txt",
    "tp09-reinitialisation.txt",
    "tp10-udp.txt",
    "tp10-port-injoignable.txt",
];

fn lignes(texte: &str) -> Vec<String> {
    texte.lines().map(str::to_string).collect()
}

#[test]
fn captures_publiees_conformes() {
    let dossier = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/captures");
    for nom in CAPTURES {
        let texte = std::fs::read_to_string(dossier.join(nom))
            .unwrap_or_else(|e| panic!("{nom} : {e} (relancez `cargo fil`)"));
        assert!(
            texte.starts_with("# Capturé par `cargo fil`"),
            "{nom} n'a pas été produite par cargo fil"
        );
        if let Err(e) = fil::verifier(nom, &lignes(&texte)) {
            panic!("{nom} : {e}\n{texte}");
        }
    }
}

/// La vérification peut échouer : une capture amputée de ce que le chapitre
/// montre est refusée.
#[test]
fn captures_amputees_refusees() {
    let dossier = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/captures");
    let amputer = |nom: &str, sans: &str| {
        let texte = std::fs::read_to_string(dossier.join(nom)).expect("capture publiée");
        let gardees: Vec<String> = texte
            .lines()
            .filter(|l| !l.contains(sans))
            .map(str::to_string)
            .collect();
        fil::verifier(nom, &gardees)
    };
    assert!(amputer("tp09-echange.txt", "Flags [S.]").is_err());
    assert!(amputer("tp09-echange.txt", "Flags [F.]").is_err());
    assert!(amputer("tp09-reinitialisation.txt", "Flags [R").is_err());
    assert!(amputer("tp10-udp.txt", "length 4").is_err());
    assert!(amputer("tp10-port-injoignable.txt", "ICMP").is_err());
}

/// Une capture neuve : il faut tcpdump et le droit de capturer (root).
#[test]
#[ignore = "demande tcpdump et le droit de capturer (lancé en root par .ci/run)"]
fn capture_neuve_des_programmes_du_cours() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let programmes = fil::construire_les_programmes(racine).expect("construction");
    let captures = fil::capturer(&programmes).unwrap_or_else(|e| panic!("{e:#}"));
    let dossier = tempfile::tempdir().expect("dossier temporaire");
    fil::ecrire(&captures, dossier.path()).expect("écriture");
    for nom in CAPTURES {
        let texte = std::fs::read_to_string(dossier.path().join(nom)).expect("capture écrite");
        fil::verifier(nom, &lignes(&texte)).unwrap_or_else(|e| panic!("{nom} : {e}"));
    }
}
