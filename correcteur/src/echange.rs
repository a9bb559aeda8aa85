//! L'échange tel qu'il s'est passé : ce que les pairs du correcteur ont vu
//! pendant une étape, dans l'ordre, avec l'heure relative — qui s'est
//! connecté, chaque morceau envoyé et reçu, qui a fermé, quand le programme
//! s'est arrêté. Un diagnostic d'échec le montre comme un petit diagramme de
//! séquence :
//!
//! ```text
//!   L'échange observé (temps depuis le début de l'étape) :
//!        +0 ms  correcteur → serveur  A connexion établie (127.0.0.1:41234 → 127.0.0.1:40123)
//!        +2 ms  serveur → correcteur  A "Bonjour Client, je suis le serveur 40123, …\n" (68 octets)
//!     +2003 ms  (rien)                A le serveur n'a rien envoyé de plus en 2000 ms
//! ```
//!
//! Le journal est celui de l'étape en cours, propre au fil d'exécution du
//! test (les tests tournent en parallèle dans le même processus) : un fil
//! lancé par une étape le reçoit par [`fil`]. Hors étape (tests unitaires,
//! outils), noter ne fait rien. Aucune capture de paquets, aucun privilège :
//! ce sont les pairs du correcteur qui notent ce qu'ils font et voient.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Au-delà, un morceau de données est coupé (les octets restants sont comptés).
const CARACTERES_PAR_MORCEAU: usize = 60;
/// Au-delà, le diagramme garde le début et la fin de l'échange.
const EVENEMENTS_MONTRES: usize = 40;
/// Des morceaux consécutifs dans le même sens, plus nombreux que ceci, sont
/// regroupés sur une ligne (un message envoyé octet par octet).
const MORCEAUX_REGROUPES: usize = 3;

/// Un événement de l'échange.
#[derive(Debug, Clone)]
struct Evenement {
    instant: Duration,
    /// « correcteur → serveur », « client → correcteur », « (rien) »…
    acteurs: String,
    /// La connexion (« A ») ou la socket UDP concernée, s'il y en a une.
    canal: String,
    texte: String,
    /// Les octets d'un morceau de données (pour regrouper les morceaux).
    octets: Option<Vec<u8>>,
}

/// Le journal d'une étape.
#[derive(Debug)]
pub struct Journal {
    debut: Instant,
    etat: Mutex<Etat>,
}

#[derive(Debug, Default)]
struct Etat {
    evenements: Vec<Evenement>,
    /// Une connexion du correcteur → (lettre, rôle du pair).
    connexions: HashMap<Cle, (char, String)>,
}

/// Ce qui reconnaît une connexion du correcteur pendant une étape : son
/// adresse locale en TCP ; son descripteur pour une socket locale (TP08),
/// dont le côté du correcteur n'a pas de nom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cle {
    Tcp(SocketAddr),
    Locale(i32),
}

/// Une connexion que le journal sait suivre : TCP ou socket locale.
pub trait Connexion {
    /// Sa clé dans le journal, si elle en a une.
    fn cle(&self) -> Option<Cle>;
    /// Ses extrémités, du correcteur vers le programme
    /// (« 127.0.0.1:41234 → 127.0.0.1:40123 », « socket locale /tmp/…/s »).
    fn extremites(&self) -> String;
    /// Ses extrémités, du programme vers le correcteur.
    fn extremites_inverses(&self) -> String;
}

impl Connexion for TcpStream {
    fn cle(&self) -> Option<Cle> {
        self.local_addr().ok().map(Cle::Tcp)
    }

    fn extremites(&self) -> String {
        match (self.local_addr(), self.peer_addr()) {
            (Ok(l), Ok(p)) => format!("{l} → {p}"),
            _ => "adresses inconnues".into(),
        }
    }

    fn extremites_inverses(&self) -> String {
        match (self.peer_addr(), self.local_addr()) {
            (Ok(p), Ok(l)) => format!("{p} → {l}"),
            _ => "adresses inconnues".into(),
        }
    }
}

impl Connexion for UnixStream {
    fn cle(&self) -> Option<Cle> {
        Some(Cle::Locale(self.as_raw_fd()))
    }

    fn extremites(&self) -> String {
        chemin_local(self.peer_addr().ok())
    }

    fn extremites_inverses(&self) -> String {
        chemin_local(self.local_addr().ok())
    }
}

/// « socket locale /tmp/…/ma_socket » (le côté nommé de la connexion).
fn chemin_local(adresse: Option<std::os::unix::net::SocketAddr>) -> String {
    match adresse.as_ref().and_then(|a| a.as_pathname()) {
        Some(chemin) => format!("socket locale {}", chemin.display()),
        None => "socket locale".into(),
    }
}

thread_local! {
    static COURANT: RefCell<Option<Arc<Journal>>> = const { RefCell::new(None) };
}

/// Commence le journal d'une étape, sur ce fil.
pub fn commencer() -> Arc<Journal> {
    let journal = Arc::new(Journal {
        debut: Instant::now(),
        etat: Mutex::new(Etat::default()),
    });
    COURANT.with(|c| *c.borrow_mut() = Some(Arc::clone(&journal)));
    journal
}

/// Termine le journal de ce fil (les événements suivants ne sont plus notés).
pub fn terminer() {
    COURANT.with(|c| *c.borrow_mut() = None);
}

fn courant() -> Option<Arc<Journal>> {
    COURANT.with(|c| c.borrow().clone())
}

/// Lance un fil qui note dans le même journal que l'étape qui le lance.
pub fn fil<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let journal = courant();
    std::thread::spawn(move || {
        COURANT.with(|c| *c.borrow_mut() = journal);
        f()
    })
}

impl Journal {
    fn noter(&self, acteurs: String, canal: String, texte: String, octets: Option<Vec<u8>>) {
        let instant = self.debut.elapsed();
        if let Ok(mut etat) = self.etat.lock() {
            etat.evenements.push(Evenement {
                instant,
                acteurs,
                canal,
                texte,
                octets,
            });
        }
    }

    /// La lettre et le rôle d'une connexion, s'ils sont connus.
    fn connexion(&self, flux: &impl Connexion) -> (String, String) {
        let cle = flux.cle();
        let etat = self.etat.lock().ok();
        match (cle, etat) {
            (Some(cle), Some(etat)) => match etat.connexions.get(&cle) {
                Some((lettre, role)) => (lettre.to_string(), role.clone()),
                None => (String::new(), "programme".into()),
            },
            _ => (String::new(), "programme".into()),
        }
    }

    /// Enregistre une connexion nouvelle ; rend sa lettre.
    fn nouvelle_connexion(&self, flux: &impl Connexion, role: &str) -> String {
        let Some(cle) = flux.cle() else {
            return String::new();
        };
        let Ok(mut etat) = self.etat.lock() else {
            return String::new();
        };
        let rang = etat.connexions.len() as u32;
        let lettre = char::from_u32('A' as u32 + rang % 26).unwrap_or('?');
        etat.connexions.insert(cle, (lettre, role.to_string()));
        lettre.to_string()
    }

    /// Le diagramme, une ligne par événement (vide s'il ne s'est rien passé).
    pub fn rendu(&self) -> Vec<String> {
        let evenements = match self.etat.lock() {
            Ok(etat) => regrouper(&etat.evenements),
            Err(_) => return Vec::new(),
        };
        let largeur = evenements
            .iter()
            .map(|e| e.acteurs.chars().count())
            .max()
            .unwrap_or(0);
        let ligne = |e: &Evenement| {
            let mut texte = format!(
                "{:>8}  {}{}  ",
                format!("+{} ms", e.instant.as_millis()),
                e.acteurs,
                " ".repeat(largeur - e.acteurs.chars().count())
            );
            if !e.canal.is_empty() {
                let _ = write!(texte, "{} ", e.canal);
            }
            texte.push_str(&e.texte);
            texte
        };
        if evenements.len() <= EVENEMENTS_MONTRES {
            return evenements.iter().map(ligne).collect();
        }
        let debut = 10;
        let fin = EVENEMENTS_MONTRES - debut;
        let mut lignes: Vec<String> = evenements[..debut].iter().map(ligne).collect();
        lignes.push(format!(
            "          … {} événements omis …",
            evenements.len() - debut - fin
        ));
        lignes.extend(evenements[evenements.len() - fin..].iter().map(ligne));
        lignes
    }
}

/// Regroupe les suites de morceaux de données de même sens et de même canal
/// (un message envoyé octet par octet tient alors sur une ligne).
fn regrouper(evenements: &[Evenement]) -> Vec<Evenement> {
    let mut sortie: Vec<Evenement> = Vec::new();
    let mut i = 0;
    while i < evenements.len() {
        let e = &evenements[i];
        let mut j = i + 1;
        if e.octets.is_some() {
            while j < evenements.len()
                && evenements[j].octets.is_some()
                && evenements[j].acteurs == e.acteurs
                && evenements[j].canal == e.canal
            {
                j += 1;
            }
        }
        if j - i > MORCEAUX_REGROUPES {
            let octets: Vec<u8> = evenements[i..j]
                .iter()
                .flat_map(|e| e.octets.clone().unwrap_or_default())
                .collect();
            sortie.push(Evenement {
                texte: format!(
                    "{} en {} morceaux, jusqu'à +{} ms",
                    donnees(&octets),
                    j - i,
                    evenements[j - 1].instant.as_millis()
                ),
                ..e.clone()
            });
            i = j;
        } else {
            sortie.push(e.clone());
            i += 1;
        }
    }
    sortie
}

/// Des octets pour le diagramme : du texte entre guillemets, échappé, ou
/// des octets binaires (une trame, un entier) en hexadécimal ; coupés
/// au-delà de [`CARACTERES_PAR_MORCEAU`] caractères (ou d'un tiers autant
/// d'octets), avec leur nombre.
pub fn donnees(octets: &[u8]) -> String {
    let n = octets.len();
    let pluriel = if n > 1 { "s" } else { "" };
    let binaire = octets
        .iter()
        .any(|&o| (o < 0x20 && !matches!(o, b'\n' | b'\r' | b'\t')) || o == 0x7f);
    if binaire {
        let montres: Vec<String> = octets
            .iter()
            .take(CARACTERES_PAR_MORCEAU / 3)
            .map(|o| format!("{o:02x}"))
            .collect();
        let coupe = if n > montres.len() { " …" } else { "" };
        return format!(
            "[{}{coupe}] ({n} octet{pluriel}, en hexadécimal)",
            montres.join(" ")
        );
    }
    let mut texte = String::from("\"");
    let mut montres = 0;
    let mut coupe = false;
    'morceaux: for morceau in octets.utf8_chunks() {
        for c in morceau.valid().chars() {
            if montres >= CARACTERES_PAR_MORCEAU {
                coupe = true;
                break 'morceaux;
            }
            match c {
                '\n' => texte.push_str("\\n"),
                '\r' => texte.push_str("\\r"),
                '\t' => texte.push_str("\\t"),
                '"' => texte.push_str("\\\""),
                '\\' => texte.push_str("\\\\"),
                c if c.is_control() => {
                    let _ = write!(texte, "\\x{:02x}", c as u32);
                }
                c => texte.push(c),
            }
            montres += 1;
        }
        for octet in morceau.invalid() {
            if montres >= CARACTERES_PAR_MORCEAU {
                coupe = true;
                break 'morceaux;
            }
            let _ = write!(texte, "\\x{octet:02x}");
            montres += 1;
        }
    }
    if coupe {
        texte.push('…');
    }
    texte.push('"');
    let _ = write!(texte, " ({n} octet{pluriel})");
    texte
}

/// Le correcteur s'est connecté au programme `role`.
pub fn connexion_etablie(flux: &impl Connexion, role: &str) {
    if let Some(journal) = courant() {
        let lettre = journal.nouvelle_connexion(flux, role);
        journal.noter(
            format!("correcteur → {role}"),
            lettre,
            format!("connexion établie ({})", flux.extremites()),
            None,
        );
    }
}

/// Le programme `role` s'est connecté au correcteur.
pub fn connexion_acceptee(flux: &impl Connexion, role: &str) {
    if let Some(journal) = courant() {
        let lettre = journal.nouvelle_connexion(flux, role);
        journal.noter(
            format!("{role} → correcteur"),
            lettre,
            format!("connexion acceptée ({})", flux.extremites_inverses()),
            None,
        );
    }
}

/// Le correcteur a envoyé ces octets sur la connexion.
pub fn envoye(flux: &impl Connexion, octets: &[u8]) {
    if let Some(journal) = courant() {
        let (lettre, role) = journal.connexion(flux);
        journal.noter(
            format!("correcteur → {role}"),
            lettre,
            donnees(octets),
            Some(octets.to_vec()),
        );
    }
}

/// Le correcteur a reçu ces octets sur la connexion.
pub fn recu(flux: &impl Connexion, octets: &[u8]) {
    if let Some(journal) = courant() {
        let (lettre, role) = journal.connexion(flux);
        journal.noter(
            format!("{role} → correcteur"),
            lettre,
            donnees(octets),
            Some(octets.to_vec()),
        );
    }
}

/// Un fait sur la connexion, vu du correcteur : « fin de flux (le serveur a
/// fermé) », « connexion réinitialisée »… `du_programme` dit qui l'a causé.
pub fn fait(flux: &impl Connexion, du_programme: bool, texte: &str) {
    if let Some(journal) = courant() {
        let (lettre, role) = journal.connexion(flux);
        let acteurs = if du_programme {
            format!("{role} → correcteur")
        } else {
            format!("correcteur → {role}")
        };
        journal.noter(acteurs, lettre, texte.replace("{role}", &role), None);
    }
}

/// Une lecture du correcteur a échoué : le plus souvent, le programme a
/// réinitialisé la connexion (RST).
pub fn erreur(flux: &impl Connexion, e: &std::io::Error) {
    let texte = match e.kind() {
        std::io::ErrorKind::ConnectionReset => {
            "connexion réinitialisée (RST) : le {role} a fermé sans tout lire, ou s'est arrêté"
                .into()
        }
        std::io::ErrorKind::BrokenPipe => "connexion rompue (le {role} a fermé)".into(),
        _ => format!("erreur de lecture : {e}"),
    };
    fait(flux, true, &texte);
}

/// Rien n'est arrivé sur la connexion pendant `attente`.
pub fn silence(flux: &impl Connexion, attente: Duration) {
    if let Some(journal) = courant() {
        let (lettre, role) = journal.connexion(flux);
        journal.noter(
            "(rien)".into(),
            lettre,
            format!(
                "le {role} n'a rien envoyé de plus en {} ms",
                attente.as_millis()
            ),
            None,
        );
    }
}

/// Un datagramme envoyé ou reçu par une socket UDP du correcteur.
pub fn datagramme(socket: &UdpSocket, pair: SocketAddr, octets: &[u8], envoi: bool) {
    if let Some(journal) = courant() {
        let local = socket
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_else(|_| "?".into());
        let (acteurs, sens) = if envoi {
            ("correcteur → programme", format!("{local} → {pair}"))
        } else {
            ("programme → correcteur", format!("{pair} → {local}"))
        };
        journal.noter(
            acteurs.into(),
            String::new(),
            format!("datagramme {sens} : {}", donnees(octets)),
            Some(octets.to_vec()),
        );
    }
}

/// Le programme testé s'est arrêté (ce que le correcteur a observé).
pub fn arret(role: &str, comment: &str) {
    if let Some(journal) = courant() {
        journal.noter(role.to_string(), String::new(), comment.to_string(), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn donnees_echappees_coupees_et_comptees() {
        assert_eq!(donnees(b"a\n"), "\"a\\n\" (2 octets)");
        assert_eq!(donnees(b"\\"), "\"\\\\\" (1 octet)");
        assert_eq!(donnees(b"\xff\xfe"), "\"\\xff\\xfe\" (2 octets)");
        assert_eq!(
            donnees(b"\x00\x00\x00\n"),
            "[00 00 00 0a] (4 octets, en hexadécimal)"
        );
        assert_eq!(donnees("é".as_bytes()), "\"é\" (2 octets)");
        let long = donnees(&[b'x'; 100]);
        assert!(long.ends_with("…\" (100 octets)"), "{long}");
    }

    #[test]
    fn hors_etape_rien_n_est_note() {
        terminer();
        arret("serveur", "s'est arrêté");
        assert!(courant().is_none());
    }

    #[test]
    fn diagramme_d_une_connexion() {
        let journal = commencer();
        let ecoute = TcpListener::bind("127.0.0.1:0").expect("bind");
        let flux = TcpStream::connect(ecoute.local_addr().expect("adresse")).expect("connect");
        connexion_etablie(&flux, "serveur");
        recu(&flux, b"Bonjour\n");
        for octet in b"morceaux" {
            envoye(&flux, &[*octet]);
        }
        silence(&flux, Duration::from_millis(2000));
        fil(|| arret("serveur", "s'est arrêté (code 101)"))
            .join()
            .expect("fil");
        terminer();
        let lignes = journal.rendu();
        assert_eq!(lignes.len(), 5, "{lignes:#?}");
        assert!(lignes[0].contains("correcteur → serveur  A connexion établie (127.0.0.1:"));
        assert!(lignes[1].contains("serveur → correcteur  A \"Bonjour\\n\" (8 octets)"));
        assert!(lignes[2].contains("A \"morceaux\" (8 octets) en 8 morceaux"));
        assert!(lignes[3].contains("(rien)"));
        assert!(lignes[3].contains("le serveur n'a rien envoyé de plus en 2000 ms"));
        assert!(lignes[4].contains("s'est arrêté (code 101)"));
        assert!(lignes[0].trim_start().starts_with("+0 ms"));
    }
}
