//! Deux cibles de l'espace de travail ne doivent jamais produire le même
//! binaire : cargo les écrit toutes dans `target/<profil>/NOM`, et la
//! dernière construite écrase l'autre. Un test pourrait alors noter le
//! corrigé à la place du programme de l'étudiant (cargo, ticket 6313).

use std::collections::BTreeMap;
use std::process::Command;

#[test]
fn aucun_nom_de_binaire_en_double() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let sortie = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .expect("cargo metadata doit pouvoir être lancé");
    assert!(
        sortie.status.success(),
        "cargo metadata a échoué : {}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    let meta: serde_json::Value =
        serde_json::from_slice(&sortie.stdout).expect("cargo metadata rend du JSON");

    let mut binaires: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for paquet in meta["packages"].as_array().expect("liste des paquets") {
        for cible in paquet["targets"].as_array().expect("liste des cibles") {
            let genres = cible["kind"].as_array().expect("genres de la cible");
            if genres.iter().any(|g| g == "bin") {
                let nom = cible["name"].as_str().expect("nom de cible").to_string();
                let chez = paquet["name"].as_str().expect("nom de paquet").to_string();
                binaires.entry(nom).or_default().push(chez);
            }
        }
    }
    assert!(binaires.contains_key("tp09") && binaires.contains_key("tp09-corrige"));
    let doublons: Vec<_> = binaires
        .iter()
        .filter(|(_, paquets)| paquets.len() > 1)
        .collect();
    assert!(doublons.is_empty(), "binaires en double : {doublons:?}");
}
