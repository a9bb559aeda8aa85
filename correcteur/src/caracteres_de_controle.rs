//! Des caractères de contrôle venus du réseau, et ce qu'un programme en
//! affiche.
//!
//! Un programme qui écrit tels quels les octets d'un pair laisse ce pair
//! commander le terminal : `ESC ] 0 ; … BEL` change le titre de la fenêtre,
//! `ESC [ 2 J` efface l'écran, un `\r` ou un `\n` réécrit ou invente des
//! lignes. Les TP qui affichent du texte reçu (TP10, TP11) l'échappent ;
//! leurs correcteurs envoient [`TEXTE_PIEGE`] et examinent la ligne
//! affichée avec [`examiner`].

use std::time::Duration;

use crate::processus::Programme;
use crate::udp;

/// Un texte piégé : des séquences d'échappement du terminal (titre de la
/// fenêtre, effacement de l'écran, couleur), un retour chariot et une fin de
/// ligne au milieu, un DEL, et des accents pour vérifier que le texte
/// visible reste intact.
pub const TEXTE_PIEGE: &str = "Titre\u{1b}]0;titre volé\u{7}, écran\u{1b}[2J effacé,\r\nfausse \
                               ligne\u{7f}\u{1b}[31m en rouge\u{1b}[0m.";

/// Ce que l'examen d'une ligne affichée a trouvé de travers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defaut {
    /// Des caractères de contrôle bruts sont dans la ligne, écrits comme ils
    /// sont arrivés (par exemple `\x1b`).
    Bruts(Vec<char>),
    /// Ce morceau visible du texte reçu manque à la ligne (ou n'y est pas à
    /// sa place) : le texte a été coupé ou perdu.
    Manque(String),
}

/// Les morceaux visibles de `texte` : ce qui reste entre ses caractères de
/// contrôle, dans l'ordre.
pub fn morceaux_visibles(texte: &str) -> Vec<&str> {
    texte
        .split(char::is_control)
        .filter(|m| !m.is_empty())
        .collect()
}

/// Examine le texte affiché pour `recu` : aucun caractère de contrôle brut,
/// et tous les morceaux visibles de `recu`, dans l'ordre. La forme de
/// l'échappement est libre (`\u{1b}`, `\x1b`, `^[`…) : seul compte que le
/// terminal ne reçoive pas l'ordre.
pub fn examiner(affiche: &str, recu: &str) -> Result<(), Defaut> {
    let bruts: Vec<char> = affiche.chars().filter(|c| c.is_control()).collect();
    if !bruts.is_empty() {
        return Err(Defaut::Bruts(bruts));
    }
    let mut reste = affiche;
    for morceau in morceaux_visibles(recu) {
        match reste.find(morceau) {
            Some(i) => reste = &reste[i + morceau.len()..],
            None => return Err(Defaut::Manque(morceau.to_string())),
        }
    }
    Ok(())
}

/// Attend, au plus `delai`, une ligne de la sortie standard de `programme`
/// qui commence par `debut`, et rend ce qui suit `debut` sur cette ligne.
pub fn attendre_texte_affiche(
    programme: &Programme,
    debut: &str,
    delai: Duration,
) -> Option<String> {
    let debut = format!("[{}] {debut}", programme.role);
    if !udp::attendre_ligne_telle(programme, |l| l.starts_with(&debut), delai) {
        return None;
    }
    programme
        .dernieres_lignes()
        .iter()
        .find_map(|l| l.strip_prefix(&debut).map(str::to_string))
}

/// Une ligne sans caractère de contrôle brut, pour un diagnostic : le
/// diagnostic lui-même ne doit pas commander le terminal de l'étudiant.
pub fn ligne_inoffensive(ligne: &str) -> String {
    let mut sure = String::with_capacity(ligne.len());
    for c in ligne.chars() {
        if c.is_control() {
            sure.extend(c.escape_default());
        } else {
            sure.push(c);
        }
    }
    sure
}

/// Les caractères bruts trouvés, nommés : « ESC (\u{1b}), BEL (\u{7}) ».
pub fn nommer(bruts: &[char]) -> String {
    let mut vus: Vec<char> = Vec::new();
    for &c in bruts {
        if !vus.contains(&c) {
            vus.push(c);
        }
    }
    vus.iter()
        .map(|&c| {
            let nom = match c {
                '\u{1b}' => "ESC",
                '\u{7}' => "BEL",
                '\r' => "retour chariot",
                '\n' => "fin de ligne",
                '\t' => "tabulation",
                '\u{7f}' => "DEL",
                _ => "caractère de contrôle",
            };
            format!("{nom} ({})", c.escape_default())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echappe(texte: &str) -> String {
        ligne_inoffensive(texte)
    }

    #[test]
    fn le_texte_echappe_passe() {
        assert_eq!(examiner(&echappe(TEXTE_PIEGE), TEXTE_PIEGE), Ok(()));
    }

    #[test]
    fn un_autre_echappement_passe_aussi() {
        let autre: String = TEXTE_PIEGE
            .chars()
            .map(|c| {
                if c.is_control() {
                    format!("\\x{:02x}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect();
        assert_eq!(examiner(&autre, TEXTE_PIEGE), Ok(()));
        let sans: String = TEXTE_PIEGE.chars().filter(|c| !c.is_control()).collect();
        assert_eq!(examiner(&sans, TEXTE_PIEGE), Ok(()));
    }

    #[test]
    fn le_texte_brut_est_refuse() {
        // La ligne telle que le correcteur la lit : coupée au `\n` brut.
        let ligne = TEXTE_PIEGE.split('\n').next().unwrap_or_default();
        assert_eq!(
            examiner(ligne, TEXTE_PIEGE),
            Err(Defaut::Bruts(vec!['\u{1b}', '\u{7}', '\u{1b}', '\r']))
        );
    }

    #[test]
    fn un_texte_coupe_est_refuse() {
        let coupe = echappe(TEXTE_PIEGE.split('\n').next().unwrap_or_default());
        assert_eq!(
            examiner(&coupe, TEXTE_PIEGE),
            Err(Defaut::Manque("fausse ligne".into()))
        );
    }

    #[test]
    fn les_caracteres_sont_nommes_une_fois() {
        assert_eq!(
            nommer(&['\u{1b}', '\u{7}', '\u{1b}']),
            "ESC (\\u{1b}), BEL (\\u{7})"
        );
    }
}
