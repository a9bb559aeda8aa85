//! Lecture et analyse de l'en-tête d'une requête HTTP/1.x.
//!
//! Une requête commence par une ligne `MÉTHODE CIBLE VERSION`, suivie de
//! lignes d'en-tête `Nom: valeur`, puis d'une ligne vide. Ce serveur ne sert
//! que des fichiers : il n'a besoin que de la méthode et de la cible, mais il
//! vérifie la forme du reste pour refuser (400) ce qui n'est pas du HTTP.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Taille maximale de l'en-tête d'une requête. Sans limite, un client pourrait
/// envoyer des lignes sans fin et faire grossir la mémoire du serveur.
pub(super) const TAILLE_MAX_ENTETE: usize = 8 * 1024;

/// Temps total accordé à un client pour envoyer tout son en-tête. Un délai par
/// lecture ne suffirait pas : un client qui envoie un octet toutes les neuf
/// secondes ne dépasserait jamais un délai de dix secondes par lecture, et
/// occuperait un fil pendant des heures.
const DELAI_ENTETE: Duration = Duration::from_secs(10);

/// Pourquoi l'en-tête n'a pas pu être lu.
pub(super) enum EchecLecture {
    /// Le client a fermé la connexion sans rien envoyer.
    Silence,
    /// Le client n'a pas fini son en-tête à temps.
    Delai,
    /// L'en-tête dépasse [`TAILLE_MAX_ENTETE`].
    TropLong,
    /// Le client a fermé la connexion au milieu de l'en-tête.
    Incomplet,
    /// Autre erreur réseau.
    Reseau(io::Error),
}

/// Méthodes HTTP ; seules GET et HEAD sont servies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Methode {
    /// Demande une ressource.
    Get,
    /// Comme GET, mais la réponse n'a pas de corps (seulement l'en-tête).
    Head,
    /// Toute autre méthode bien formée (POST, PUT…) : réponse 405.
    Autre,
}

/// Une requête analysée.
#[derive(Debug)]
pub(super) struct Requete {
    /// La méthode.
    pub methode: Methode,
    /// La cible, telle qu'envoyée (encore encodée « pour-cent »).
    pub cible: String,
}

/// Lit l'en-tête de la requête : les octets jusqu'à la ligne vide comprise.
///
/// TCP transporte un flot d'octets, pas des messages : un `read` peut rendre
/// une partie de l'en-tête, ou l'en-tête et le début de ce qui suit. On
/// accumule donc jusqu'à trouver la ligne vide, en bornant la taille et la
/// durée.
pub(super) fn lire_entete(flux: &mut TcpStream) -> Result<Vec<u8>, EchecLecture> {
    let limite = Instant::now() + DELAI_ENTETE;
    let mut recu = Vec::with_capacity(1024);
    let mut morceau = [0u8; 1024];
    loop {
        let restant = limite.saturating_duration_since(Instant::now());
        if restant.is_zero() {
            return Err(EchecLecture::Delai);
        }
        // Le délai de lecture rend `read` non plus bloquant indéfiniment,
        // mais en erreur (`WouldBlock` ou `TimedOut`) une fois écoulé.
        flux.set_read_timeout(Some(restant))
            .map_err(EchecLecture::Reseau)?;
        let lus = match flux.read(&mut morceau) {
            Ok(lus) => lus,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(EchecLecture::Delai);
            }
            Err(e) => return Err(EchecLecture::Reseau(e)),
        };
        if lus == 0 {
            // `read` qui rend 0 : le client a fermé son côté de la connexion.
            return Err(if recu.is_empty() {
                EchecLecture::Silence
            } else {
                EchecLecture::Incomplet
            });
        }
        let deja_vus = recu.len();
        recu.extend_from_slice(&morceau[..lus]);
        match fin_d_entete(&recu, deja_vus) {
            Some(fin) if fin <= TAILLE_MAX_ENTETE => {
                // Ce qui suit l'en-tête (un corps, une autre requête) est
                // ignoré : on ne sert qu'une requête par connexion.
                recu.truncate(fin);
                return Ok(recu);
            }
            Some(_) => return Err(EchecLecture::TropLong),
            None if recu.len() > TAILLE_MAX_ENTETE => return Err(EchecLecture::TropLong),
            None => {}
        }
    }
}

/// Position juste après la ligne vide qui termine l'en-tête, si elle a été
/// reçue. On accepte `\r\n\r\n` (la norme) et `\n\n` (tolérance d'usage). La
/// recherche reprend un peu avant les nouveaux octets : la séquence peut être
/// coupée entre deux lectures.
fn fin_d_entete(recu: &[u8], deja_vus: usize) -> Option<usize> {
    let depart = deja_vus.saturating_sub(3);
    (depart..recu.len()).find_map(|i| match &recu[i..] {
        [b'\n', b'\n', ..] => Some(i + 2),
        [b'\n', b'\r', b'\n', ..] => Some(i + 3),
        _ => None,
    })
}

/// Analyse l'en-tête ; en cas d'erreur, renvoie la raison (en français) à
/// afficher dans la page 400.
pub(super) fn analyser(entete: &[u8]) -> Result<Requete, &'static str> {
    let mut lignes = entete
        .split(|&octet| octet == b'\n')
        .map(|ligne| ligne.strip_suffix(b"\r").unwrap_or(ligne));
    let premiere = lignes.next().unwrap_or_default();
    let premiere = std::str::from_utf8(premiere)
        .ok()
        .filter(|l| l.bytes().all(|o| o.is_ascii_graphic() || o == b' '))
        .ok_or("ligne de requête illisible")?;

    let mut parties = premiere.split(' ');
    let (Some(methode), Some(cible), Some(version), None) = (
        parties.next(),
        parties.next(),
        parties.next(),
        parties.next(),
    ) else {
        return Err("la ligne de requête doit être « MÉTHODE CIBLE VERSION »");
    };
    if methode.is_empty() || !methode.bytes().all(|o| o.is_ascii_uppercase()) {
        return Err("méthode invalide");
    }
    if !cible.starts_with('/') {
        return Err("la cible doit commencer par « / »");
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err("version HTTP non prise en charge");
    }
    for ligne in lignes.filter(|l| !l.is_empty()) {
        let nom_valide = ligne
            .iter()
            .position(|&o| o == b':')
            .is_some_and(|deux_points| {
                deux_points > 0 && ligne[..deux_points].iter().all(u8::is_ascii_graphic)
            });
        if !nom_valide {
            return Err("ligne d'en-tête mal formée");
        }
        // La valeur : ni octet nul, ni retour chariot isolé, ni autre octet
        // de contrôle (la tabulation exceptée), RFC 9110 § 5.5. Les octets
        // non ASCII restent permis (« obs-text »).
        if ligne.iter().any(|&o| o.is_ascii_control() && o != b'\t') {
            return Err("octet de contrôle dans un en-tête");
        }
    }

    let methode = match methode {
        "GET" => Methode::Get,
        "HEAD" => Methode::Head,
        _ => Methode::Autre,
    };
    Ok(Requete {
        methode,
        cible: cible.to_string(),
    })
}
