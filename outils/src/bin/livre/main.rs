//! `cargo livre` : construit, vérifie et sert le livre sur la machine locale,
//! sans rien installer (l'alias est défini dans `.cargo/config.toml`).

mod arguments;

use ligne_de_commande::afficherln;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use arguments::{Arguments, Demande};
use outils::{Edition, Reconstructeur, Serveur};

fn main() -> ExitCode {
    let demande: Demande = match ligne_de_commande::analyser::<Arguments>() {
        Ok(arguments) => arguments.into(),
        Err(code) => return code,
    };
    match demande {
        // Tous les moteurs de rendu : l'édition étudiante ne doit paraître
        // dans aucune sortie avec un corrigé.
        Demande::PretraiterSupporte => return ExitCode::SUCCESS,
        Demande::Pretraiter { typographie } => {
            let traitement = |livre| {
                if typographie {
                    Ok(outils::Typographie.traiter(livre))
                } else {
                    outils::Pretraitement::new(Edition::Etudiant).traiter(livre)
                }
            };
            return match outils::pretraiter_flux(
                io::stdin().lock(),
                io::stdout().lock(),
                &traitement,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("erreur (préprocesseur du livre) : {e:#}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }
    match executer(demande) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Exécute une commande.
fn executer(demande: Demande) -> anyhow::Result<()> {
    let racine = trouver_racine()?;
    match demande {
        Demande::Pretraiter { .. } | Demande::PretraiterSupporte => Ok(()),
        Demande::Servir {
            hote,
            port,
            edition,
        } => servir(&racine, hote, port, edition),
        Demande::Construire {
            destination,
            edition,
        } => {
            let sortie = outils::construire_edition(&racine, destination.as_deref(), edition)?;
            afficherln!(
                "Livre (édition {edition}) construit dans {}",
                sortie.display()
            );
            Ok(())
        }
        Demande::Tester { edition } => tester(&racine, edition),
        Demande::Pdf {
            destination,
            edition,
        } => {
            let fichier = destination
                .unwrap_or_else(|| racine.join(format!("livre{}.pdf", edition.suffixe())));
            let octets = outils::imprimer_pdf(&racine, &fichier, edition)?;
            afficherln!(
                "Livre (édition {edition}) imprimé dans {} ({} Kio)",
                fichier.display(),
                octets / 1024
            );
            Ok(())
        }
        Demande::Verifier { dossier, edition } => verifier(&racine, &dossier, edition),
        Demande::Exporter { dossier, edition } => {
            let bilan = outils::exporter_edition(&racine, &dossier, edition)?;
            afficherln!(
                "Espace de travail des étudiants (édition {edition}) écrit dans {} : {} fichiers, \
                 TP {}.\n\
                 Vérifiez-le : cd {} && cargo test -p {} (échoue à l'étape 1) et cargo livre tester.",
                dossier.display(),
                bilan.fichiers,
                bilan.tps.join(", "),
                dossier.display(),
                bilan.tps.first().map_or("tpNN", String::as_str),
            );
            Ok(())
        }
    }
}

/// Construit le livre, puis le sert jusqu'à l'interruption du programme.
fn servir(racine: &Path, hote: IpAddr, port: u16, edition: Edition) -> anyhow::Result<()> {
    if !hote.is_loopback() {
        eprintln!(
            "attention : {hote} n'est pas une adresse de bouclage, \
             le livre devient visible sur le réseau"
        );
    }
    // On réserve le port avant de construire : s'il est pris, autant le dire
    // tout de suite, sans rien écrire dans le dossier du livre.
    let adresse = SocketAddr::new(hote, port);
    let ecoute = TcpListener::bind(adresse).map_err(|e| {
        if e.kind() == io::ErrorKind::AddrInUse {
            anyhow!("le port {port} est déjà utilisé : {e} ; choisissez-en un autre avec --port")
        } else {
            anyhow!("impossible d'écouter sur {adresse} : {e}")
        }
    })?;
    let reconstructeur = Reconstructeur::new(racine, None).edition(edition);
    let sortie = reconstructeur.construire()?;
    // Le crochet appelé par le serveur avant chaque page : il reconstruit si
    // besoin et raconte ce qu'il fait sur la sortie d'erreur.
    let crochet = Box::new(move || match reconstructeur.reconstruire_si_modifie() {
        Ok(reconstruit) => {
            if reconstruit {
                eprintln!("livre : sources modifiées, livre reconstruit");
            }
            Ok(())
        }
        Err(e) => {
            eprintln!("erreur : {e:#}");
            Err(e)
        }
    });
    let serveur = Serveur::sur_ecoute(ecoute, sortie, Some(crochet))?;
    afficherln!(
        "Le livre (édition {edition}) est servi sur http://{}/ (Ctrl+C pour arrêter)",
        serveur.adresse_locale()
    );
    serveur.attendre();
    Ok(())
}

/// Construit le livre dans un dossier temporaire et vérifie ses liens.
fn tester(racine: &Path, edition: Edition) -> anyhow::Result<()> {
    let temporaire = tempfile::tempdir().context("impossible de créer un dossier temporaire")?;
    let destination = temporaire.path().join("livre");
    let sortie = outils::construire_edition(racine, Some(&destination), edition)?;
    let publication = outils::verifier_publication(racine, &sortie, edition)?;
    if let Some(fuite) = publication.fuites.first() {
        bail!(
            "l'édition {edition} montre {} contenu(s) réservé(s), dont : {fuite}",
            publication.fuites.len()
        );
    }
    let fautes = outils::verifier_typographie(&sortie)?;
    if !fautes.is_empty() {
        for faute in fautes.iter().take(30) {
            eprintln!("typographie : {faute}");
        }
        bail!(
            "{} faute(s) de typographie dans le HTML produit",
            fautes.len()
        );
    }
    let rapport = outils::verifier_liens(&sortie)?;
    if !rapport.casses.is_empty() {
        for lien in &rapport.casses {
            eprintln!("lien cassé : {lien}");
        }
        bail!(
            "{} lien(s) interne(s) cassé(s) sur {} vérifié(s)",
            rapport.casses.len(),
            rapport.liens
        );
    }
    afficherln!(
        "Livre vérifié (édition {edition}) : construit sans erreur, {} pages HTML, {} liens \
         internes, aucun lien cassé, typographie française sans faute, aucun des {} contenus \
         réservés à une autre édition.",
        rapport.pages,
        rapport.liens,
        publication.signatures
    );
    Ok(())
}

/// Vérifie qu'un livre construit ne montre rien de ce que son édition
/// retire (le workflow GitHub Pages le fait avant toute mise en ligne).
fn verifier(racine: &Path, dossier: &Path, edition: Edition) -> anyhow::Result<()> {
    let rapport = outils::verifier_publication(racine, dossier, edition)?;
    if rapport.fichiers == 0 {
        bail!("{} ne contient aucune page de livre", dossier.display());
    }
    if !rapport.fuites.is_empty() {
        for fuite in rapport.fuites.iter().take(20) {
            eprintln!("contenu réservé : {fuite}");
        }
        bail!(
            "{} : {} contenu(s) réservé(s) trouvé(s) dans un livre qui doit être l'édition {edition} ; \
             ne le publiez pas",
            dossier.display(),
            rapport.fuites.len()
        );
    }
    afficherln!(
        "{} : édition {edition} sans contenu réservé ({} fichiers, {} lignes réservées cherchées).",
        dossier.display(),
        rapport.fichiers,
        rapport.signatures
    );
    Ok(())
}

/// La racine du livre : le premier dossier contenant un `book.toml` en
/// remontant depuis le dossier courant, sinon la racine de l'espace de
/// travail où cet outil a été compilé.
fn trouver_racine() -> anyhow::Result<PathBuf> {
    let courant = std::env::current_dir().context("dossier courant illisible")?;
    if let Some(racine) = courant.ancestors().find(|d| d.join("book.toml").is_file()) {
        return Ok(racine.to_path_buf());
    }
    let espace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if espace.join("book.toml").is_file() {
        return espace
            .canonicalize()
            .with_context(|| format!("dossier illisible : {}", espace.display()));
    }
    bail!(
        "aucun book.toml trouvé en remontant depuis {}",
        courant.display()
    )
}
