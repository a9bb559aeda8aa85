//! De la cible d'une requête (`/css/general.css?v=2`) à un fichier du dossier
//! servi, sans jamais en sortir.
//!
//! C'est le point sensible d'un serveur de fichiers : une requête comme
//! `GET /../../etc/passwd` (« traversée de répertoires ») ne doit jamais lire
//! hors du dossier servi, même déguisée (`%2e%2e`, `..%2f`, `..\`). Deux
//! défenses, l'une derrière l'autre :
//!
//! 1. le chemin décodé est refusé dès qu'il contient un segment `..`, une
//!    barre oblique encodée (`%2F`), une barre oblique inverse ou un octet nul ;
//! 2. le fichier trouvé est mis sous forme canonique (liens symboliques
//!    résolus) et doit rester sous la forme canonique de la racine.

use std::path::{Component, Path, PathBuf};

/// Le chemin demandé, décodé et découpé en segments sûrs.
#[derive(Debug)]
pub(super) struct CheminDemande {
    /// Les segments non vides, sans `.` ni `..`.
    pub segments: Vec<String>,
    /// Le chemin brut, sans la requête (`?…`), pour construire une redirection.
    pub brut: String,
    /// Vrai si le chemin se termine par `/` (il désigne un dossier).
    pub finit_par_barre: bool,
}

impl CheminDemande {
    /// Vrai si la requête vise une page HTML : la racine, un dossier (dont on
    /// servira l'`index.html`) ou un fichier `.html`. C'est avant de servir
    /// une page qu'on vérifie s'il faut reconstruire le livre.
    pub fn est_une_page(&self) -> bool {
        match self.segments.last() {
            None => true,
            Some(dernier) => self.finit_par_barre || dernier.ends_with(".html"),
        }
    }
}

/// Ce que désigne un chemin demandé.
#[derive(Debug)]
pub(super) enum Resolution {
    /// Un fichier à envoyer (chemin canonique, sous la racine).
    Fichier(PathBuf),
    /// Un dossier demandé sans `/` final : on redirige vers l'adresse avec
    /// `/`, sinon les liens relatifs de sa page seraient résolus depuis le
    /// dossier parent.
    Redirection(String),
    /// Rien à servir : 404.
    Introuvable,
}

/// Décode la cible d'une requête ; en cas de refus, renvoie la raison (page
/// 400).
pub(super) fn decoder(cible: &str) -> Result<CheminDemande, &'static str> {
    // La requête (`?v=2`) ne sert pas à trouver le fichier ; un fragment
    // (`#titre`) n'est normalement jamais envoyé par un navigateur.
    let fin = cible.find(['?', '#']).unwrap_or(cible.len());
    let brut = &cible[..fin];
    if brut.contains('\\') {
        return Err("barre oblique inverse refusée dans le chemin");
    }
    let octets = decoder_pourcent(brut)?;
    let texte = String::from_utf8(octets).map_err(|_| "chemin qui n'est pas de l'UTF-8")?;
    let mut segments = Vec::new();
    for segment in texte.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err("segment « .. » refusé dans le chemin"),
            _ if !est_un_nom_simple(segment) => return Err("segment de chemin refusé"),
            _ => segments.push(segment.to_string()),
        }
    }
    Ok(CheminDemande {
        segments,
        brut: brut.to_string(),
        finit_par_barre: brut.ends_with('/'),
    })
}

/// Vrai si `segment` est un simple nom de fichier pour le système : ni
/// racine, ni préfixe de lecteur (`C:` sous Windows), ni `..`. Sans ce
/// contrôle, `PathBuf::push` d'un chemin absolu remplacerait tout le chemin.
fn est_un_nom_simple(segment: &str) -> bool {
    let mut composants = Path::new(segment).components();
    matches!(
        (composants.next(), composants.next()),
        (Some(Component::Normal(_)), None)
    )
}

/// Décode les séquences `%XX`. Refuse une séquence mal formée, ainsi que
/// l'encodage d'une barre oblique (`%2F`), d'une barre oblique inverse
/// (`%5C`) ou d'un octet nul (`%00`) : ils ne servent qu'à déguiser un chemin.
fn decoder_pourcent(brut: &str) -> Result<Vec<u8>, &'static str> {
    let octets = brut.as_bytes();
    let mut decode = Vec::with_capacity(octets.len());
    let mut i = 0;
    while i < octets.len() {
        if octets[i] != b'%' {
            decode.push(octets[i]);
            i += 1;
            continue;
        }
        let octet = octets
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .ok_or("encodage « %XX » invalide dans le chemin")?;
        if matches!(octet, b'/' | b'\\' | 0) {
            return Err("caractère encodé refusé dans le chemin (%2F, %5C ou %00)");
        }
        decode.push(octet);
        i += 3;
    }
    Ok(decode)
}

/// Trouve ce que désigne `demande` sous `racine` (qui doit être canonique).
pub(super) fn resoudre(racine: &Path, demande: &CheminDemande) -> Resolution {
    let mut chemin = racine.to_path_buf();
    chemin.extend(&demande.segments);
    let Some(trouve) = sous_la_racine(racine, &chemin) else {
        return Resolution::Introuvable;
    };
    if trouve.is_dir() {
        if !demande.finit_par_barre && !demande.segments.is_empty() {
            // Une seule barre en tête : `//css/` serait, pour un navigateur,
            // une adresse « relative au protocole » vers l'hôte `css`.
            let sans_barres = demande.brut.trim_start_matches('/');
            return Resolution::Redirection(format!("/{sans_barres}/"));
        }
        // L'index lui-même pourrait être un lien symbolique : on revérifie.
        return match sous_la_racine(racine, &trouve.join("index.html")) {
            Some(index) if index.is_file() => Resolution::Fichier(index),
            _ => Resolution::Introuvable,
        };
    }
    if trouve.is_file() {
        Resolution::Fichier(trouve)
    } else {
        Resolution::Introuvable
    }
}

/// La forme canonique de `chemin` si elle existe et reste sous `racine`.
/// `canonicalize` résout les liens symboliques : un lien qui pointe hors du
/// dossier servi est ainsi démasqué.
fn sous_la_racine(racine: &Path, chemin: &Path) -> Option<PathBuf> {
    chemin
        .canonicalize()
        .ok()
        .filter(|canonique| canonique.starts_with(racine))
}
