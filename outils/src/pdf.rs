//! Le livre en PDF (`cargo livre pdf`) : la page d'impression de mdBook
//! (`print.html`, tout le livre sur une page, schémas compris) imprimée par
//! Chromium sans tête. Les réponses des questions (`<details>`) y sont
//! dépliées par theme/francais.js.
//!
//! Chromium ne lit que des fichiers locaux : toute résolution de nom est
//! refusée (`--host-resolver-rules`), rien ne sort de la machine.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::construction::{construire_edition, erreur_systeme_en_francais};
use crate::edition::Edition;

/// Temps laissé à Chromium pour charger la page et l'imprimer (le livre
/// entier fait plus de trois cents pages ; sur une machine chargée, une
/// minute ne suffit pas toujours).
const DELAI_IMPRESSION: Duration = Duration::from_secs(300);
/// Intervalle entre deux regards sur le processus de Chromium.
const SCRUTATION: Duration = Duration::from_millis(100);
/// Les noms sous lesquels on cherche Chromium dans le PATH.
const NAVIGATEURS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// Construit `edition` du livre de `racine` et l'imprime en PDF dans
/// `fichier`. Renvoie la taille du PDF en octets.
pub fn imprimer_pdf(racine: &Path, fichier: &Path, edition: Edition) -> anyhow::Result<u64> {
    let navigateur = trouver_chromium()?;
    let temporaire = tempfile::tempdir().context("impossible de créer un dossier temporaire")?;
    let html = construire_edition(racine, Some(&temporaire.path().join("html")), edition)?;
    let page = html.join("print.html");
    if !page.is_file() {
        bail!("mdBook n'a pas produit de page d'impression (print.html)");
    }
    let fichier = std::path::absolute(fichier)
        .with_context(|| format!("chemin invalide : {}", fichier.display()))?;
    if let Some(dossier) = fichier.parent() {
        std::fs::create_dir_all(dossier)
            .with_context(|| format!("impossible de créer le dossier {}", dossier.display()))?;
    }
    let profil = temporaire.path().join("profil");
    // La sortie d'erreur de Chromium va dans un fichier : un tube plein le
    // bloquerait pendant qu'on attend sa fin.
    let journal = temporaire.path().join("chromium.log");
    let erreurs = std::fs::File::create(&journal).context("impossible de créer le journal")?;
    let mut enfant = Command::new(&navigateur)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-pdf-header-footer",
            // print.html appelle lui-même window.print() peu après son
            // chargement ; depuis Chromium 156.0.8078.114, sans tête et en
            // temps virtuel, cet appel fait quitter Chromium (code 0) avant
            // qu'il écrive le PDF. Sans aperçu d'impression, l'appel de la
            // page est sans effet et --print-to-pdf imprime seul.
            "--disable-print-preview",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            // Le temps « virtuel » laissé aux scripts et aux images avant
            // l'impression (il ne coûte pas de temps réel une fois tout chargé).
            "--virtual-time-budget=20000",
        ])
        .arg(format!("--user-data-dir={}", profil.display()))
        .arg(format!("--print-to-pdf={}", fichier.display()))
        .arg(url_de_fichier(&page)?)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(erreurs))
        .spawn()
        .map_err(|e| {
            anyhow::anyhow!(
                "impossible de lancer {} : {}",
                navigateur.display(),
                erreur_systeme_en_francais(&e)
            )
        })?;
    let limite = Instant::now() + DELAI_IMPRESSION;
    let statut = loop {
        if let Some(statut) = enfant.try_wait().context("Chromium ne répond plus")? {
            break statut;
        }
        if Instant::now() >= limite {
            // Tué et attendu : pas de processus orphelin.
            let _ = enfant.kill();
            let _ = enfant.wait();
            bail!(
                "Chromium n'a pas fini d'imprimer le livre en {} s",
                DELAI_IMPRESSION.as_secs()
            );
        }
        std::thread::sleep(SCRUTATION);
    };
    if !statut.success() {
        bail!(
            "Chromium a échoué ({statut}) :\n{}",
            std::fs::read_to_string(&journal).unwrap_or_default()
        );
    }
    let octets = std::fs::read(&fichier).with_context(|| {
        format!(
            "Chromium n'a pas écrit {} ; son journal :\n{}",
            fichier.display(),
            std::fs::read_to_string(&journal).unwrap_or_default()
        )
    })?;
    if !octets.starts_with(b"%PDF-") {
        bail!("{} n'est pas un PDF", fichier.display());
    }
    Ok(octets.len() as u64)
}

/// Chromium : la variable `CHROMIUM` s'il la faut, sinon le premier trouvé
/// dans le PATH.
fn trouver_chromium() -> anyhow::Result<PathBuf> {
    if let Some(chemin) = std::env::var_os("CHROMIUM") {
        let chemin = PathBuf::from(chemin);
        if !chemin.is_file() {
            bail!(
                "la variable CHROMIUM désigne {}, qui n'existe pas",
                chemin.display()
            );
        }
        return Ok(chemin);
    }
    let chemins = std::env::var_os("PATH").unwrap_or_default();
    for dossier in std::env::split_paths(&chemins) {
        for nom in NAVIGATEURS {
            let candidat = dossier.join(nom);
            if candidat.is_file() {
                return Ok(candidat);
            }
        }
    }
    bail!(
        "Chromium est introuvable : il imprime le livre en PDF. Installez-le (paquet Debian \
         `chromium`) ou donnez son chemin dans la variable CHROMIUM"
    )
}

/// L'adresse `file://` d'une page, ses octets spéciaux encodés.
fn url_de_fichier(page: &Path) -> anyhow::Result<String> {
    let absolu = std::path::absolute(page)
        .with_context(|| format!("chemin invalide : {}", page.display()))?;
    let texte = absolu
        .to_str()
        .with_context(|| format!("chemin qui n'est pas de l'UTF-8 : {}", absolu.display()))?;
    let mut url = String::from("file://");
    for octet in texte.bytes() {
        if octet.is_ascii_alphanumeric() || b"/-_.~".contains(&octet) {
            url.push(char::from(octet));
        } else {
            let _ = write!(url, "%{octet:02X}");
        }
    }
    Ok(url)
}
