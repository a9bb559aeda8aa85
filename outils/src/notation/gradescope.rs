//! L'archive d'autocorrection Gradescope d'un TP (`cargo corriger
//! gradescope DOSSIER`) : `setup.sh` et `run_autograder` à la racine, et
//! l'espace de travail des étudiants (l'export : ni corrigés ni catalogue)
//! dans `espace/`. Dans le conteneur de Gradescope, `run_autograder` range
//! la soumission comme une classe d'un seul étudiant, la note avec `corriger`
//! (donc dans le bac à sable, sous un utilisateur sans privilège, puisque
//! Gradescope lance tout en root) et recopie son `results.json` (un test par
//! étape, le diagnostic en sortie) dans `/autograder/results/`.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context;
use zip::write::SimpleFileOptions;

use crate::tps::Tp;

/// `setup.sh` : dépendances du système, Rust, `corriger` compilé, les
/// dépendances téléchargées (le bac à sable compile hors ligne).
const SETUP: &str = r#"#!/usr/bin/env bash
# Préparation de l'image Gradescope (une fois, en root) : bubblewrap pour le
# bac à sable de la correction, Rust, et `corriger` compilé.
set -euo pipefail
apt-get install -y --no-install-recommends bubblewrap util-linux curl ca-certificates build-essential
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
. "$HOME/.cargo/env"
cd /autograder/source/espace
cargo build --release -p outils --bin corriger
cargo fetch --locked
cargo build --tests -p __TP__
"#;

/// `run_autograder` : la soumission devient la classe d'un étudiant.
/// `AUTOGRADER_RACINE` (par défaut /autograder) et `CORRIGER` (l'exécutable)
/// permettent de l'essayer ailleurs.
const RUN: &str = r#"#!/usr/bin/env bash
# Note une soumission Gradescope : rangée comme la classe d'un seul étudiant,
# corrigée par `corriger` (chaque étape dans le bac à sable), puis le
# results.json recopié là où Gradescope le lit.
set -uo pipefail
TP=__TP__
RACINE="${AUTOGRADER_RACINE:-/autograder}"
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
ESPACE="$RACINE/source/espace"
CORRIGER="${CORRIGER:-$ESPACE/target/release/corriger}"
SOUMISSION="$RACINE/submission"
RESULTATS="$RACINE/results"
mkdir -p "$RESULTATS"
travail=$(mktemp -d)
trap 'rm -rf "$travail"' EXIT
# Sans bac à sable possible, les étapes tournent sous un autre utilisateur,
# qui doit pouvoir traverser ce dossier (il n'y écrit rien).
chmod 755 "$travail"
classe="$travail/classe"
mkdir -p "$classe/etudiant"
# Les fichiers .rs à la racine, ou un src/ : c'est le src/ du TP. Sinon la
# soumission est prise telle quelle (tpNN/src, exercises/tpNN/src). cp -R
# garde les liens symboliques tels quels : corriger les refuse.
if [ -f "$SOUMISSION/main.rs" ]; then
    mkdir -p "$classe/etudiant/$TP/src"
    cp -R "$SOUMISSION/." "$classe/etudiant/$TP/src/"
elif [ -f "$SOUMISSION/src/main.rs" ]; then
    mkdir -p "$classe/etudiant/$TP"
    cp -R "$SOUMISSION/src" "$classe/etudiant/$TP/src"
else
    cp -R "$SOUMISSION/." "$classe/etudiant/"
fi
cd "$ESPACE" || exit 1
# --sans-bac-a-sable : si le conteneur de Gradescope interdit bubblewrap, la
# copie est quand même notée (le conteneur ne sert qu'à elle), ses étapes
# sous un utilisateur sans privilège (voir SECURITE.md).
"$CORRIGER" "$classe" --tp "$TP" --sortie "$travail/sortie" --paralleles 1 --sans-bac-a-sable > "$travail/journal" 2>&1
statut=$?
resultat="$travail/sortie/gradescope/etudiant/$TP/results.json"
if [ -f "$resultat" ]; then
    cp "$resultat" "$RESULTATS/results.json"
else
    # La correction elle-même a échoué : zéro, et la raison pour l'enseignant.
    cat "$travail/journal"
    printf '{"score": 0, "output": "La correction automatique a échoué (code %s) : prévenez votre enseignant.", "output_format": "text", "tests": []}\n' "$statut" > "$RESULTATS/results.json"
fi
"#;

/// Écrit l'archive Gradescope du `tp` dans `archive` (un `.zip`), avec
/// l'espace de travail des étudiants tiré de `racine`.
pub fn ecrire_archive(racine: &Path, tp: &Tp, archive: &Path) -> anyhow::Result<()> {
    let export = tempfile::tempdir().context("dossier temporaire")?;
    let espace = export.path().join("espace");
    crate::exporter(racine, &espace)?;
    if let Some(parent) = archive.parent() {
        fs::create_dir_all(parent)?;
    }
    let fichier = fs::File::create(archive)
        .with_context(|| format!("impossible de créer {}", archive.display()))?;
    let mut zip = zip::ZipWriter::new(fichier);
    let executable = SimpleFileOptions::default().unix_permissions(0o755);
    let ordinaire = SimpleFileOptions::default().unix_permissions(0o644);
    for (nom, texte) in [("setup.sh", SETUP), ("run_autograder", RUN)] {
        zip.start_file(nom, executable)?;
        zip.write_all(texte.replace("__TP__", &tp.nom).as_bytes())?;
    }
    let mut a_voir = vec![espace.clone()];
    while let Some(dossier) = a_voir.pop() {
        let mut entrees: Vec<_> = fs::read_dir(&dossier)?.collect::<Result<_, _>>()?;
        entrees.sort_by_key(|e| e.file_name());
        for entree in entrees {
            let chemin = entree.path();
            if entree.file_type()?.is_dir() {
                a_voir.push(chemin);
                continue;
            }
            let relatif = chemin.strip_prefix(export.path()).unwrap_or(&chemin);
            zip.start_file(relatif.to_string_lossy(), ordinaire)?;
            zip.write_all(&fs::read(&chemin)?)?;
        }
    }
    zip.finish()
        .with_context(|| format!("impossible d'écrire {}", archive.display()))?;
    Ok(())
}
