//! Compiler les tests d'un TP pour le mode suivi, et dire en français,
//! court, pourquoi le code ne compile pas : la première erreur du
//! compilateur, lue dans les messages JSON de cargo (`--message-format=json`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Nombre maximal de lignes gardées de l'erreur du compilateur.
const LIGNES_MAX: usize = 20;

/// La commande qui compile les tests du paquet `paquet` (et son binaire,
/// que les tests lancent), comme `cargo test -p paquet` le ferait.
pub fn commande(espace: &Path, paquet: &str, cible: &Path) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut commande = Command::new(cargo);
    commande
        .current_dir(espace)
        .args(["build", "--tests", "--message-format=json", "-p", paquet])
        .arg("--target-dir")
        .arg(cible)
        .env_remove("CARGO_TARGET_DIR")
        .env("CARGO_TERM_COLOR", "never");
    commande
}

/// Les exécutables de test produits, lus dans la sortie JSON de cargo.
pub fn executables_de_test(sortie: &str) -> Vec<PathBuf> {
    messages(sortie)
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .collect()
}

/// L'explication d'une compilation ratée : la première erreur du
/// compilateur (avec l'endroit du code), sinon la fin de ce que cargo a dit
/// (un `Cargo.toml` invalide, par exemple).
pub fn explication_de_l_echec(sortie: &str, erreurs: &str) -> String {
    let premiere = messages(sortie).find(|m| {
        m["reason"] == "compiler-message" && m["message"]["level"].as_str() == Some("error")
    });
    let Some(message) = premiere else {
        let fin: Vec<&str> = erreurs
            .lines()
            .filter(|l| !l.trim().is_empty())
            .rev()
            .take(LIGNES_MAX)
            .collect();
        let fin: Vec<&str> = fin.into_iter().rev().collect();
        return format!(
            "Le TP ne compile pas. Ce que dit cargo :\n{}",
            fin.join("\n")
        );
    };
    let endroit = message["message"]["spans"]
        .as_array()
        .and_then(|spans| {
            spans
                .iter()
                .find(|s| s["is_primary"] == true)
                .or(spans.first())
        })
        .map(|s| {
            format!(
                " ({}, ligne {})",
                s["file_name"].as_str().unwrap_or("?"),
                s["line_start"].as_u64().unwrap_or(0)
            )
        })
        .unwrap_or_default();
    let rendu = message["message"]["rendered"]
        .as_str()
        .or(message["message"]["message"].as_str())
        .unwrap_or("(erreur sans texte)");
    let mut lignes: Vec<&str> = rendu.trim_end().lines().collect();
    let coupees = lignes.len().saturating_sub(LIGNES_MAX);
    lignes.truncate(LIGNES_MAX);
    let mut texte = format!(
        "Le TP ne compile pas. Première erreur du compilateur{endroit} :\n{}",
        lignes.join("\n")
    );
    if coupees > 0 {
        texte.push_str(&format!("\n… ({coupees} lignes de plus)"));
    }
    if let Some(code) = message["message"]["code"]["code"].as_str() {
        texte.push_str(&format!(
            "\nExplication détaillée (en anglais) : rustc --explain {code}"
        ));
    }
    texte
}

fn messages(sortie: &str) -> impl Iterator<Item = Value> + '_ {
    sortie
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_premiere_erreur_est_gardee_avec_son_endroit() {
        let sortie = [
            r#"{"reason":"compiler-message","message":{"level":"warning","rendered":"warning: inutile\n","spans":[],"code":null}}"#,
            r#"{"reason":"compiler-message","message":{"level":"error","message":"expected `;`","rendered":"error: expected `;`, found `}`\n --> exercises/tp09/src/serveur.rs:12:5\n","spans":[{"file_name":"exercises/tp09/src/serveur.rs","line_start":12,"is_primary":true}],"code":null}}"#,
            r#"{"reason":"compiler-message","message":{"level":"error","rendered":"error: seconde\n","spans":[],"code":{"code":"E0308"}}}"#,
            r#"{"reason":"build-finished","success":false}"#,
        ]
        .join("\n");
        let texte = explication_de_l_echec(&sortie, "error: could not compile");
        assert!(texte.starts_with(
            "Le TP ne compile pas. Première erreur du compilateur \
             (exercises/tp09/src/serveur.rs, ligne 12) :\nerror: expected `;`, found `}`"
        ));
        assert!(!texte.contains("seconde") && !texte.contains("inutile"));
    }

    #[test]
    fn sans_message_du_compilateur_on_montre_la_fin_de_cargo() {
        let texte = explication_de_l_echec("", "error: failed to parse manifest\n\nCaused by: x\n");
        assert_eq!(
            texte,
            "Le TP ne compile pas. Ce que dit cargo :\nerror: failed to parse manifest\nCaused by: x"
        );
    }

    #[test]
    fn les_executables_de_test_sont_lus_dans_le_json() {
        let sortie = [
            r#"{"reason":"compiler-artifact","profile":{"test":false},"executable":"/t/debug/tp09"}"#,
            r#"{"reason":"compiler-artifact","profile":{"test":true},"executable":"/t/debug/deps/tp09-abc"}"#,
            r#"{"reason":"compiler-artifact","profile":{"test":true},"executable":null}"#,
        ]
        .join("\n");
        assert_eq!(
            executables_de_test(&sortie),
            vec![PathBuf::from("/t/debug/deps/tp09-abc")]
        );
    }
}
