//! Les règles des chapitres mènent les correcteurs.
//!
//! Pour chaque TP, ce test lit la section « Les règles » du chapitre, la
//! liste des étapes du correcteur (`correcteur::etapes`) et la première
//! ligne de chaque programme du catalogue, puis exige :
//! - que chaque règle vérifiable cite des étapes qui existent, et que chaque
//!   étape vérifie au moins une règle ;
//! - que chaque règle vérifiable ait au moins une solution fausse qui
//!   l'enfreint, et que chaque solution fausse enfreigne une règle
//!   vérifiable du chapitre ;
//! - que chaque programme du catalogue soit mis à l'épreuve dans
//!   `tests/tpNN.rs` (c'est là que `solution_fausse!` vérifie le refus, à
//!   la bonne étape, avec un diagnostic qui nomme la règle) ;
//! - au moins deux variantes correctes, construites autrement que le corrigé.

#[macro_use]
#[allow(dead_code, unused_macros)]
mod commun;

use commun::regles::{self, Nature};

/// Les variantes correctes exigées par TP.
const VARIANTES_MINIMUM: usize = 2;

fn verifier_tp(tp: &str) {
    let mut problemes: Vec<String> = Vec::new();
    let regles = match regles::du_chapitre(tp) {
        Ok(regles) => regles,
        Err(e) => panic!("{tp} : {e}"),
    };
    let etapes: Vec<&str> = correcteur::etapes::du_tp(tp)
        .unwrap_or_else(|| panic!("{tp} : pas de liste d'étapes dans correcteur::etapes"))
        .iter()
        .map(|(nom, _)| *nom)
        .collect();

    // Règles → étapes, et étapes → règles.
    for regle in &regles {
        for etape in &regle.etapes {
            if !etapes.contains(&etape.as_str()) {
                problemes.push(format!(
                    "{} cite l'étape `{etape}`, inconnue du correcteur",
                    regle.id
                ));
            }
        }
    }
    for etape in &etapes {
        if !regles.iter().any(|r| r.etapes.iter().any(|e| e == etape)) {
            problemes.push(format!(
                "l'étape `{etape}` ne vérifie aucune règle du chapitre"
            ));
        }
    }

    // Le catalogue.
    let programmes = regles::du_catalogue(tp);
    let preuves = std::fs::read_to_string(regles::racine().join(format!("tests/{tp}.rs")))
        .unwrap_or_default();
    let mut variantes = 0;
    for programme in &programmes {
        match &programme.nature {
            Err(e) => problemes.push(e.clone()),
            Ok(Nature::Enfreint(id)) => match regles.iter().find(|r| &r.id == id) {
                None => problemes.push(format!(
                    "{} enfreint {id}, absente du chapitre",
                    programme.binaire
                )),
                Some(r) if r.non_verifiable.is_some() => problemes.push(format!(
                    "{} enfreint {id}, que le chapitre dit non vérifiable",
                    programme.binaire
                )),
                Some(_) => {}
            },
            Ok(Nature::Correct) => variantes += 1,
            Ok(Nature::MiParcours) => {}
        }
        if !preuves.contains(&format!("\"{}\"", programme.binaire)) {
            problemes.push(format!(
                "{} n'est mis à l'épreuve nulle part dans tests/{tp}.rs",
                programme.binaire
            ));
        }
    }
    for regle in regles.iter().filter(|r| r.non_verifiable.is_none()) {
        let enfreinte = programmes.iter().any(|p| {
            p.nature
                .as_ref()
                .is_ok_and(|n| *n == Nature::Enfreint(regle.id.clone()))
        });
        if !enfreinte {
            problemes.push(format!(
                "{} (« {} ») : aucune solution fausse du catalogue ne l'enfreint",
                regle.id, regle.texte
            ));
        }
    }
    if variantes < VARIANTES_MINIMUM {
        problemes.push(format!(
            "{variantes} variante(s) correcte(s) au catalogue, il en faut {VARIANTES_MINIMUM}"
        ));
    }
    assert!(
        problemes.is_empty(),
        "{tp} : {} problème(s) entre le chapitre, le correcteur et le catalogue :\n- {}",
        problemes.len(),
        problemes.join("\n- ")
    );
}

#[test]
fn regles_tp08() {
    verifier_tp("tp08");
}

#[test]
fn regles_tp09() {
    verifier_tp("tp09");
}

#[test]
fn regles_tp10() {
    verifier_tp("tp10");
}

#[test]
fn regles_tp11() {
    verifier_tp("tp11");
}

#[test]
fn regles_tp12() {
    verifier_tp("tp12");
}

#[test]
fn regles_tp13() {
    verifier_tp("tp13");
}

#[test]
fn regles_tp14() {
    verifier_tp("tp14");
}

#[test]
fn regles_tp15() {
    verifier_tp("tp15");
}

/// Le lecteur de règles lui-même : une liste bien formée est lue, les
/// fautes de forme sont refusées (sans quoi un chapitre mal écrit passerait
/// pour vide).
#[test]
fn lecture_des_regles() {
    let chapitre = "# TP\n\n## Les règles\n\nIntro.\n\n\
        - **R1** · Le serveur écoute. — *étapes* `serveur_1_ecoute`, `serveur_1_autre`\n\
        - **R2** · Le vote est sur disque\n  avant le reçu. — *non vérifiable* : rien ne se perd.\n\n\
        ## Suite\n- **R9** · hors section — *étape* `x`\n";
    let lues = regles::lire_regles(chapitre).expect("liste bien formée");
    assert_eq!(lues.len(), 2);
    assert_eq!(lues[0].etapes, ["serveur_1_ecoute", "serveur_1_autre"]);
    assert_eq!(lues[1].texte, "Le vote est sur disque avant le reçu.");
    assert_eq!(lues[1].non_verifiable.as_deref(), Some("rien ne se perd."));
    for faute in [
        "## Les règles\n",
        "## Les règles\n- **R2** · saute R1 — *étape* `a`\n",
        "## Les règles\n- **R1** · sans vérification\n",
        "## Les règles\n- **R1** · raison vide — *non vérifiable* :\n",
        "## Les règles\n- **R1** · étape sans nom — *étapes* aucune\n",
        "pas de section\n",
    ] {
        assert!(
            regles::lire_regles(faute).is_err(),
            "accepté à tort : {faute}"
        );
    }
}
