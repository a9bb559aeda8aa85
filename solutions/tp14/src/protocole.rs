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
/// Lit une trame entière. Rend `Ok(None)` si le pair a fermé proprement,
/// **entre** deux trames.
pub fn lire_trame(flux: &mut impl Read) -> Result<Option<Trame>, ErreurDeLecture> {
    // L'en-tête a une taille fixe : read_exact réunit ses 5 octets, même
    // s'ils arrivent en plusieurs morceaux.
    let mut en_tete = [0u8; TAILLE_EN_TETE];
    let lus = lire_au_plus(flux, &mut en_tete)?;
    if lus == 0 {
        return Ok(None); // fin de flux avant toute trame : le client a fini
    }
    if lus < TAILLE_EN_TETE {
        return Err(ErreurDeLecture::Tronquee);
    }
    let genre = en_tete[0];
    let longueur = u32::from_be_bytes([en_tete[1], en_tete[2], en_tete[3], en_tete[4]]);
    // La vérification vient AVANT l'allocation : sinon, 5 octets suffiraient
    // à faire réserver 4 Gio au serveur.
    if longueur > LONGUEUR_MAX {
        return Err(ErreurDeLecture::TropLongue(longueur));
    }
    let mut charge = vec![0u8; longueur as usize];
    if lire_au_plus(flux, &mut charge)? < charge.len() {
        return Err(ErreurDeLecture::Tronquee);
    }
    Ok(Some(Trame { genre, charge }))
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

/// Écrit une trame d'un seul `write_all` : en-tête et charge partent
/// ensemble, sans petit segment isolé pour l'en-tête.
pub fn ecrire_trame(flux: &mut impl Write, genre: u8, charge: &[u8]) -> io::Result<()> {
    let longueur = u32::try_from(charge.len())
        .ok()
        .filter(|&n| n <= LONGUEUR_MAX)
        .ok_or_else(|| io::Error::other("charge plus longue que LONGUEUR_MAX"))?;
    let mut trame = Vec::with_capacity(TAILLE_EN_TETE + charge.len());
    trame.push(genre);
    trame.extend_from_slice(&longueur.to_be_bytes());
    trame.extend_from_slice(charge);
    flux.write_all(&trame)
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
    /// Le type et la charge de la trame qui porte cette requête.
    pub fn encoder(&self) -> (u8, Vec<u8>) {
        match self {
            Requete::Lister => (LISTER, Vec::new()),
            Requete::Voter { jeton, option } => {
                let mut charge = Vec::new();
                pousser_chaine(&mut charge, jeton);
                charge.extend_from_slice(&option.to_be_bytes());
                (VOTER, charge)
            }
            Requete::Resultats => (RESULTATS, Vec::new()),
        }
    }

    /// Lit une requête dans une trame. Toute la charge doit servir : un
    /// octet de trop est aussi une erreur qu'un octet manquant.
    pub fn decoder(trame: &Trame) -> Result<Requete, CodeErreur> {
        let mut curseur = Curseur(&trame.charge);
        let requete = match trame.genre {
            LISTER => Requete::Lister,
            VOTER => Requete::Voter {
                jeton: curseur.chaine()?,
                option: curseur.u16()?,
            },
            RESULTATS => Requete::Resultats,
            _ => return Err(CodeErreur::TypeInconnu),
        };
        curseur.fin()?;
        Ok(requete)
    }
}
// ANCHOR_END: requete

// ANCHOR: reponse
impl Reponse {
    /// Le type et la charge de la trame qui porte cette réponse.
    pub fn encoder(&self) -> (u8, Vec<u8>) {
        let mut charge = Vec::new();
        let genre = match self {
            Reponse::Options { question, options } => {
                pousser_chaine(&mut charge, question);
                pousser_nombre_d_elements(&mut charge, options.len());
                for option in options {
                    pousser_chaine(&mut charge, option);
                }
                OPTIONS
            }
            Reponse::Recu { numero } => {
                charge.extend_from_slice(&numero.to_be_bytes());
                RECU
            }
            Reponse::Decompte { lignes } => {
                pousser_nombre_d_elements(&mut charge, lignes.len());
                for (option, voix) in lignes {
                    pousser_chaine(&mut charge, option);
                    charge.extend_from_slice(&voix.to_be_bytes());
                }
                DECOMPTE
            }
            Reponse::Erreur(code) => {
                charge.push(*code as u8);
                ERREUR
            }
        };
        (genre, charge)
    }

    /// Lit une réponse dans une trame (côté client).
    pub fn decoder(trame: &Trame) -> Result<Reponse, CodeErreur> {
        let mut curseur = Curseur(&trame.charge);
        let reponse = match trame.genre {
            OPTIONS => {
                let question = curseur.chaine()?;
                let nombre = curseur.u16()?;
                let options = (0..nombre)
                    .map(|_| curseur.chaine())
                    .collect::<Result<_, _>>()?;
                Reponse::Options { question, options }
            }
            RECU => Reponse::Recu {
                numero: curseur.u32()?,
            },
            DECOMPTE => {
                let nombre = curseur.u16()?;
                let lignes = (0..nombre)
                    .map(|_| Ok((curseur.chaine()?, curseur.u32()?)))
                    .collect::<Result<_, _>>()?;
                Reponse::Decompte { lignes }
            }
            ERREUR => {
                let octet = curseur.u8()?;
                Reponse::Erreur(CodeErreur::depuis_octet(octet).ok_or(CodeErreur::Malformee)?)
            }
            _ => return Err(CodeErreur::TypeInconnu),
        };
        curseur.fin()?;
        Ok(reponse)
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
