//! Le protocole du vote vu par le correcteur : il fabrique lui-même les
//! octets attendus, d'après le chapitre, sans rien emprunter au corrigé.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::reseau::{LectureIncomplete, Raison};

/// Longueur maximale d'une charge, d'après le protocole.
pub const LONGUEUR_MAX: u32 = 4096;

pub const LISTER: u8 = 0x01;
pub const VOTER: u8 = 0x02;
pub const RESULTATS: u8 = 0x03;
pub const OPTIONS: u8 = 0x81;
pub const RECU: u8 = 0x82;
pub const DECOMPTE: u8 = 0x83;
pub const ERREUR: u8 = 0xFF;

/// Les codes d'erreur du protocole.
pub mod code {
    pub const TYPE_INCONNU: u8 = 1;
    pub const TROP_LONGUE: u8 = 2;
    pub const TRONQUEE: u8 = 3;
    pub const MALFORMEE: u8 = 4;
    pub const JETON_INCONNU: u8 = 5;
    pub const DEJA_VOTE: u8 = 6;
    pub const OPTION_INCONNUE: u8 = 7;
    pub const JOURNAL: u8 = 8;
}

/// Une trame : type, longueur gros-boutiste, charge.
pub fn trame(genre: u8, charge: &[u8]) -> Vec<u8> {
    let mut octets = vec![genre];
    octets.extend_from_slice(&(charge.len() as u32).to_be_bytes());
    octets.extend_from_slice(charge);
    octets
}

/// Une chaîne : longueur u16 gros-boutiste, puis l'UTF-8.
pub fn chaine(texte: &str) -> Vec<u8> {
    let mut octets = (texte.len() as u16).to_be_bytes().to_vec();
    octets.extend_from_slice(texte.as_bytes());
    octets
}

pub fn lister() -> Vec<u8> {
    trame(LISTER, &[])
}

pub fn resultats() -> Vec<u8> {
    trame(RESULTATS, &[])
}

pub fn voter(jeton: &str, option: u16) -> Vec<u8> {
    let mut charge = chaine(jeton);
    charge.extend_from_slice(&option.to_be_bytes());
    trame(VOTER, &charge)
}

pub fn options(question: &str, options: &[&str]) -> Vec<u8> {
    let mut charge = chaine(question);
    charge.extend_from_slice(&(options.len() as u16).to_be_bytes());
    for option in options {
        charge.extend_from_slice(&chaine(option));
    }
    trame(OPTIONS, &charge)
}

pub fn recu(numero: u32) -> Vec<u8> {
    trame(RECU, &numero.to_be_bytes())
}

pub fn decompte(options: &[&str], voix: &[u32]) -> Vec<u8> {
    let mut charge = (options.len() as u16).to_be_bytes().to_vec();
    for (option, voix) in options.iter().zip(voix) {
        charge.extend_from_slice(&chaine(option));
        charge.extend_from_slice(&voix.to_be_bytes());
    }
    trame(DECOMPTE, &charge)
}

pub fn erreur(code: u8) -> Vec<u8> {
    trame(ERREUR, &[code])
}

/// Les voix d'une trame DECOMPTE, dans l'ordre, si elle se décode.
pub fn voix_du_decompte(trame: &[u8]) -> Option<Vec<u32>> {
    let charge = trame
        .get(5..)
        .filter(|_| trame.first() == Some(&DECOMPTE))?;
    let nombre = u16::from_be_bytes([*charge.first()?, *charge.get(1)?]);
    let mut p = 2;
    let mut voix = Vec::new();
    for _ in 0..nombre {
        let n = u16::from_be_bytes([*charge.get(p)?, *charge.get(p + 1)?]) as usize;
        p += 2 + n;
        voix.push(u32::from_be_bytes(charge.get(p..p + 4)?.try_into().ok()?));
        p += 4;
    }
    Some(voix)
}

/// Le CRC-32 de zlib (polynôme 0xEDB88320), celui du journal.
pub fn crc32(octets: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &octet in octets {
        crc ^= u32::from(octet);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// Un enregistrement du journal : longueur (u16), option (u16), jeton, CRC-32.
pub fn enregistrement(jeton: &str, option: u16) -> Vec<u8> {
    let mut octets = ((2 + jeton.len()) as u16).to_be_bytes().to_vec();
    octets.extend_from_slice(&option.to_be_bytes());
    octets.extend_from_slice(jeton.as_bytes());
    let somme = crc32(&octets);
    octets.extend_from_slice(&somme.to_be_bytes());
    octets
}

/// Vrai si la longueur de l'en-tête, fausse en gros-boutiste, est juste
/// lue en petit-boutiste : elle vaut alors les octets qui l'ont suivie.
pub fn longueur_en_petit_boutiste(trame: &[u8]) -> bool {
    let Some(entete) = trame.get(1..5) else {
        return false;
    };
    let entete = [entete[0], entete[1], entete[2], entete[3]];
    let suite = trame.len() - 5;
    u32::from_le_bytes(entete) as usize == suite && u32::from_be_bytes(entete) as usize != suite
}

/// Lit une trame entière (en-tête puis charge annoncée), au plus `delai`.
/// Si la longueur annoncée dépasse le maximum, rend en erreur ce qui arrive
/// encore pendant un court instant : le diagnostic montrera les octets.
pub fn lire(flux: &mut TcpStream, delai: Duration) -> Result<Vec<u8>, LectureIncomplete> {
    let limite = Instant::now() + delai;
    let mut recu = Vec::new();
    lire_jusqu_a(flux, &mut recu, 5, limite)?;
    let longueur = u32::from_be_bytes([recu[1], recu[2], recu[3], recu[4]]);
    if longueur > LONGUEUR_MAX {
        let court = Instant::now() + Duration::from_millis(200);
        return Err(match lire_jusqu_a(flux, &mut recu, usize::MAX, court) {
            Err(incomplete) => incomplete,
            Ok(()) => LectureIncomplete {
                recu,
                raison: Raison::Delai,
            },
        });
    }
    lire_jusqu_a(flux, &mut recu, 5 + longueur as usize, limite)?;
    Ok(recu)
}

/// Ajoute à `recu` les octets du flux jusqu'à en avoir `total`, avant `limite`.
fn lire_jusqu_a(
    flux: &mut TcpStream,
    recu: &mut Vec<u8>,
    total: usize,
    limite: Instant,
) -> Result<(), LectureIncomplete> {
    let echec = |recu: &mut Vec<u8>, raison| LectureIncomplete {
        recu: std::mem::take(recu),
        raison,
    };
    let mut morceau = [0u8; 4096];
    while recu.len() < total {
        let reste = limite.saturating_duration_since(Instant::now());
        if reste.is_zero() {
            return Err(echec(recu, Raison::Delai));
        }
        if let Err(e) = flux.set_read_timeout(Some(reste)) {
            return Err(echec(recu, Raison::Erreur(e)));
        }
        let voulu = (total - recu.len()).min(morceau.len());
        match flux.read(&mut morceau[..voulu]) {
            Ok(0) => return Err(echec(recu, Raison::Fin)),
            Ok(n) => recu.extend_from_slice(&morceau[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(echec(recu, Raison::Delai));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(echec(recu, Raison::Erreur(e))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_de_reference() {
        // La valeur de contrôle classique du CRC-32 (zlib, gzip).
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn octets_d_un_vote() {
        assert_eq!(voter("ab", 3), [0x02, 0, 0, 0, 6, 0, 2, b'a', b'b', 0, 3]);
    }
}
