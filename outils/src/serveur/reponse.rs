//! Écriture des réponses HTTP : ligne de statut, en-têtes, corps.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::net::TcpStream;
use std::path::Path;

/// Une réponse d'erreur ou de redirection, avec sa petite page HTML.
pub(super) struct Page<'a> {
    /// Code de statut (404, 500…).
    pub code: u16,
    /// Titre de la page, en français.
    pub titre: &'a str,
    /// Explication, en texte brut (elle sera échappée).
    pub detail: &'a str,
    /// En-têtes supplémentaires (`Allow`, `Location`…).
    pub entetes: &'a [(&'a str, &'a str)],
}

/// La phrase associée à un code de statut. Elle fait partie du protocole (les
/// clients l'ignorent le plus souvent), on garde donc l'anglais de la norme.
fn raison(code: u16) -> &'static str {
    match code {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Écrit la ligne de statut et les en-têtes, jusqu'à la ligne vide comprise.
///
/// `Connection: close` annonce qu'on fermera après cette réponse : une seule
/// requête par connexion, ce qui évite de gérer la fin du corps des requêtes
/// et l'attente de la suivante. `Content-Length` dit au client combien
/// d'octets de corps attendre.
fn ecrire_entetes(
    sortie: &mut impl Write,
    code: u16,
    type_contenu: &str,
    longueur: u64,
    supplementaires: &[(&str, &str)],
) -> io::Result<()> {
    write!(sortie, "HTTP/1.1 {code} {}\r\n", raison(code))?;
    write!(sortie, "Content-Type: {type_contenu}\r\n")?;
    write!(sortie, "Content-Length: {longueur}\r\n")?;
    // Le livre change pendant qu'on l'écrit : le navigateur doit revalider.
    sortie.write_all(b"Cache-Control: no-cache\r\n")?;
    sortie.write_all(b"X-Content-Type-Options: nosniff\r\n")?;
    sortie.write_all(b"Connection: close\r\n")?;
    for (nom, valeur) in supplementaires {
        write!(sortie, "{nom}: {valeur}\r\n")?;
    }
    sortie.write_all(b"\r\n")
}

/// Envoie un fichier (200). Pour HEAD, seulement les en-têtes.
pub(super) fn envoyer_fichier(
    flux: &TcpStream,
    chemin: &Path,
    fichier: File,
    longueur: u64,
    tete_seulement: bool,
) -> io::Result<()> {
    // Un tampon regroupe les petites écritures (les en-têtes) en un seul
    // envoi, au lieu d'un segment TCP par ligne.
    let mut sortie = BufWriter::new(flux);
    ecrire_entetes(&mut sortie, 200, type_de_contenu(chemin), longueur, &[])?;
    if !tete_seulement {
        // `take` : on n'envoie jamais plus que la longueur annoncée.
        io::copy(&mut fichier.take(longueur), &mut sortie)?;
    }
    sortie.flush()
}

/// Envoie une page d'erreur (ou de redirection) en HTML.
pub(super) fn envoyer_page(
    flux: &TcpStream,
    page: &Page<'_>,
    tete_seulement: bool,
) -> io::Result<()> {
    let corps = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\">\
         <title>{code} — {titre}</title></head>\n<body>\n<h1>{code} — {titre}</h1>\n\
         <pre>{detail}</pre>\n<p><a href=\"/\">Retour au livre</a></p>\n</body>\n</html>\n",
        code = page.code,
        titre = echapper_html(page.titre),
        detail = echapper_html(page.detail),
    );
    let mut sortie = BufWriter::new(flux);
    ecrire_entetes(
        &mut sortie,
        page.code,
        "text/html; charset=utf-8",
        corps.len() as u64,
        page.entetes,
    )?;
    if !tete_seulement {
        sortie.write_all(corps.as_bytes())?;
    }
    sortie.flush()
}

/// Le type MIME d'un fichier d'après son extension : le navigateur s'en sert
/// pour savoir quoi faire du contenu (afficher une page, appliquer une feuille
/// de style, exécuter un script…).
pub(super) fn type_de_contenu(chemin: &Path) -> &'static str {
    let extension = chemin
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("txt" | "md" | "rs" | "toml") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Échappe les caractères spéciaux du HTML, pour afficher un texte (un
/// message d'erreur, un chemin) sans qu'il soit interprété comme du balisage.
pub(super) fn echapper_html(texte: &str) -> String {
    let mut echappe = String::with_capacity(texte.len());
    for c in texte.chars() {
        match c {
            '&' => echappe.push_str("&amp;"),
            '<' => echappe.push_str("&lt;"),
            '>' => echappe.push_str("&gt;"),
            '"' => echappe.push_str("&quot;"),
            '\'' => echappe.push_str("&#39;"),
            _ => echappe.push(c),
        }
    }
    echappe
}
