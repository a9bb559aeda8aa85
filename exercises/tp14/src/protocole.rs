//! Le protocole du vote, partagé par le client et le serveur.
//!
//! Tout message est une **trame** : un en-tête de 5 octets, puis une charge.
//!
//! ```text
//! octet  0      1    2    3    4      5 …
//!      ┌──────┬───────────────────┬──────────────────┐
//!      │ type │ longueur (u32 BE) │ charge           │
//!      └──────┴───────────────────┴──────────────────┘
//! ```
//!
//! Les entiers sont gros-boutistes (l'ordre réseau) ; une chaîne est sa
//! longueur en octets (u16 gros-boutiste) suivie de son texte en UTF-8.
//!
//! Complétez les étapes 3 (lire et écrire une trame) et 4 (encoder et
//! décoder requêtes et réponses). Après chaque étape : `cargo test -p tp14`.

// Tant que des todo!() restent, certains imports et paramètres ne servent
// pas encore : ces permissions évitent des avertissements. Retirez-les à la fin.
#![allow(unused_imports, unused_variables, dead_code)]

use std::io::{self, Read, Write};

// ANCHOR: constantes
/// Taille de l'en-tête : le type (1 octet) et la longueur de la charge (4 octets).
pub const TAILLE_EN_TETE: usize = 5;
/// Longueur maximale d'une charge. Au-delà, la trame est refusée **avant**
/// d'allouer quoi que ce soit : la longueur vient du réseau, pas de nous.
pub const LONGUEUR_MAX: u32 = 4096;

/// Les types de requêtes (client → serveur).
pub const LISTER: u8 = 0x01;
pub const VOTER: u8 = 0x02;
pub const RESULTATS: u8 = 0x03;

/// Les types de réponses (serveur → client) : le bit de poids fort est à 1.
pub const OPTIONS: u8 = 0x81;
pub const RECU: u8 = 0x82;
pub const DECOMPTE: u8 = 0x83;
pub const ERREUR: u8 = 0xFF;
// ANCHOR_END: constantes

// ANCHOR: codes
/// Les codes d'erreur de la réponse `ERREUR` (sa charge : ce seul octet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeErreur {
    /// Type de trame inconnu. La connexion est fermée.
    TypeInconnu = 1,
    /// Longueur annoncée au-delà de `LONGUEUR_MAX`. La connexion est fermée.
    TropLongue = 2,
    /// Le flux s'est terminé au milieu d'une trame. La connexion est fermée.
    Tronquee = 3,
    /// Charge mal formée (champ manquant, octets en trop, UTF-8 invalide).
    /// La connexion est fermée.
    Malformee = 4,
    /// Jeton absent de la liste des électeurs.
    JetonInconnu = 5,
    /// Ce jeton a déjà voté.
    DejaVote = 6,
    /// Numéro d'option hors du bulletin.
    OptionInconnue = 7,
    /// Le vote n'a pas pu être écrit dans le journal : il n'est pas compté.
    Journal = 8,
}
// ANCHOR_END: codes

impl CodeErreur {
    /// Les erreurs de protocole (1 à 4) ferment la connexion : après une
    /// trame incompréhensible, on ne sait plus où commence la suivante.
    pub fn ferme_la_connexion(self) -> bool {
        (self as u8) <= 4
    }

    pub fn depuis_octet(octet: u8) -> Option<CodeErreur> {
        use CodeErreur::*;
        [
            TypeInconnu,
            TropLongue,
            Tronquee,
            Malformee,
            JetonInconnu,
            DejaVote,
            OptionInconnue,
            Journal,
        ]
        .into_iter()
        .find(|code| *code as u8 == octet)
    }

    /// Le sens du code, en français, pour l'affichage.
    pub fn en_clair(self) -> &'static str {
        match self {
            CodeErreur::TypeInconnu => "type de trame inconnu",
            CodeErreur::TropLongue => "trame trop longue",
            CodeErreur::Tronquee => "trame tronquée",
            CodeErreur::Malformee => "trame mal formée",
            CodeErreur::JetonInconnu => "jeton inconnu",
            CodeErreur::DejaVote => "ce jeton a déjà voté",
            CodeErreur::OptionInconnue => "option inconnue",
            CodeErreur::Journal => "le serveur n'a pas pu enregistrer le vote",
        }
    }
}

/// Une trame reçue : son type et sa charge, de longueur déjà vérifiée.
#[derive(Debug)]
pub struct Trame {
    pub genre: u8,
    pub charge: Vec<u8>,
}

/// Ce qui peut empêcher de lire une trame.
#[derive(Debug)]
pub enum ErreurDeLecture {
    /// L'en-tête annonce plus que `LONGUEUR_MAX` octets.
    TropLongue(u32),
    /// Le flux s'est terminé au milieu de la trame.
    Tronquee,
    /// Erreur du système (connexion réinitialisée, délai…).
    Systeme(io::Error),
}

// ANCHOR: lire_trame
/// Étape 3 : lit une trame entière. Rend `Ok(None)` si le pair a fermé
/// proprement, **entre** deux trames (0 octet lu avant l'en-tête).
///
/// 1. Lisez l'en-tête, 5 octets, avec `lire_au_plus` (fournie) : 0 octet
///    lu → `Ok(None)` ; entre 1 et 4 → `ErreurDeLecture::Tronquee`.
/// 2. Le type est l'octet 0 ; la longueur, les octets 1 à 4 en
///    gros-boutiste : `u32::from_be_bytes([…])`.
/// 3. **Avant d'allouer**, comparez la longueur à `LONGUEUR_MAX` :
///    au-delà, `ErreurDeLecture::TropLongue(longueur)`.
/// 4. Alors seulement, `vec![0u8; longueur as usize]`, rempli par
///    `lire_au_plus` ; s'il manque des octets → `Tronquee`.
pub fn lire_trame(flux: &mut impl Read) -> Result<Option<Trame>, ErreurDeLecture> {
    todo!(
        "Étape 3 : lire une trame (en-tête de 5 octets, longueur vérifiée AVANT d'allouer, charge)"
    )
}
// ANCHOR_END: lire_trame

/// Remplit `tampon` autant que le flux le permet ; rend le nombre d'octets
/// lus, plus petit que le tampon seulement si le flux s'est terminé.
fn lire_au_plus(flux: &mut impl Read, tampon: &mut [u8]) -> Result<usize, ErreurDeLecture> {
    let mut lus = 0;
    while lus < tampon.len() {
        match flux.read(&mut tampon[lus..]) {
            Ok(0) => break, // fin de flux
            Ok(n) => lus += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ErreurDeLecture::Systeme(e)),
        }
    }
    Ok(lus)
}

/// Étape 3 (suite) : écrit une trame d'un seul `write_all` : le type, la
/// longueur de la charge (`u32`, `to_be_bytes`), puis la charge. Refusez
/// (`io::Error::other`) une charge plus longue que `LONGUEUR_MAX`.
pub fn ecrire_trame(flux: &mut impl Write, genre: u8, charge: &[u8]) -> io::Result<()> {
    todo!(
        "Étape 3 : écrire une trame (type, longueur u32 gros-boutiste, charge) en un seul write_all"
    )
}

/// Une requête du client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requete {
    Lister,
    /// `option` est le numéro affiché par le client, à partir de 1.
    Voter {
        jeton: String,
        option: u16,
    },
    Resultats,
}

/// Une réponse du serveur.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reponse {
    Options {
        question: String,
        options: Vec<String>,
    },
    Recu {
        numero: u32,
    },
    Decompte {
        lignes: Vec<(String, u32)>,
    },
    Erreur(CodeErreur),
}

// ANCHOR: requete
impl Requete {
    /// Étape 4 : le type et la charge de la trame qui porte cette requête.
    /// VOTER : le jeton (`pousser_chaine`), puis l'option (`to_be_bytes`).
    pub fn encoder(&self) -> (u8, Vec<u8>) {
        todo!("Étape 4 : encoder une requête (LISTER, VOTER, RESULTATS)")
    }

    /// Étape 4 : lit une requête dans une trame, avec un `Curseur` (fourni).
    /// Type inconnu → `CodeErreur::TypeInconnu`. Toute la charge doit servir :
    /// terminez par `curseur.fin()?` (un octet de trop est une charge mal formée).
    pub fn decoder(trame: &Trame) -> Result<Requete, CodeErreur> {
        todo!("Étape 4 : décoder une requête (type inconnu, charge mal formée)")
    }
}
// ANCHOR_END: requete

// ANCHOR: reponse
impl Reponse {
    /// Étape 4 : le type et la charge de la trame qui porte cette réponse,
    /// champ par champ, dans l'ordre du chapitre (`pousser_chaine`,
    /// `pousser_nombre_d_elements`, `to_be_bytes`).
    pub fn encoder(&self) -> (u8, Vec<u8>) {
        todo!("Étape 4 : encoder une réponse (OPTIONS, RECU, DECOMPTE, ERREUR)")
    }

    /// Étape 4 : lit une réponse dans une trame (côté client), avec un `Curseur`.
    /// Un code d'erreur inconnu est une charge mal formée.
    pub fn decoder(trame: &Trame) -> Result<Reponse, CodeErreur> {
        todo!("Étape 4 : décoder une réponse (côté client)")
    }
}
// ANCHOR_END: reponse

/// Ajoute une chaîne : sa longueur (u16 gros-boutiste), puis ses octets.
/// Les chaînes du bulletin sont bornées au chargement, le jeton par le
/// client : elles tiennent toujours sur 16 bits.
fn pousser_chaine(charge: &mut Vec<u8>, texte: &str) {
    let longueur = u16::try_from(texte.len()).expect("chaîne bornée avant l'encodage");
    charge.extend_from_slice(&longueur.to_be_bytes());
    charge.extend_from_slice(texte.as_bytes());
}

fn pousser_nombre_d_elements(charge: &mut Vec<u8>, nombre: usize) {
    let nombre = u16::try_from(nombre).expect("liste bornée avant l'encodage");
    charge.extend_from_slice(&nombre.to_be_bytes());
}

/// Lit les champs d'une charge l'un après l'autre ; tout manque est une
/// charge mal formée.
struct Curseur<'a>(&'a [u8]);

impl Curseur<'_> {
    fn octets(&mut self, n: usize) -> Result<&[u8], CodeErreur> {
        if self.0.len() < n {
            return Err(CodeErreur::Malformee);
        }
        let (debut, reste) = self.0.split_at(n);
        self.0 = reste;
        Ok(debut)
    }

    fn u8(&mut self) -> Result<u8, CodeErreur> {
        Ok(self.octets(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, CodeErreur> {
        let o = self.octets(2)?;
        Ok(u16::from_be_bytes([o[0], o[1]]))
    }

    fn u32(&mut self) -> Result<u32, CodeErreur> {
        let o = self.octets(4)?;
        Ok(u32::from_be_bytes([o[0], o[1], o[2], o[3]]))
    }

    fn chaine(&mut self) -> Result<String, CodeErreur> {
        let longueur = self.u16()? as usize;
        let octets = self.octets(longueur)?;
        String::from_utf8(octets.to_vec()).map_err(|_| CodeErreur::Malformee)
    }

    fn fin(&self) -> Result<(), CodeErreur> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(CodeErreur::Malformee)
        }
    }
}
