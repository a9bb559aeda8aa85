//! Le diagnostic : ce que l'étudiant lit quand une étape échoue.
//!
//! Forme :
//! ```text
//! ✗ TP09 · serveur · étape 2 — message de bienvenue
//!   Juste après accept(), le serveur doit envoyer une ligne.
//!     attendu : "Bonjour Client, je suis le serveur 40123, …\n"
//!     reçu    : "Bonjour Client, je suis le serveur 65432, …\n"
//!                                                   ^ premier octet différent (octet 35)
//!   Indice : le numéro est celui du port sur lequel le serveur écoute.
//!   Dernières lignes du programme :
//!   [serveur] Le serveur écoute sur toutes les interfaces (0.0.0.0), port 40123
//! ```

use std::fmt;

use crate::caracteres_de_controle::ligne_inoffensive;

/// Nombre maximal de caractères affichés pour des octets attendus ou reçus.
const LARGEUR_MAX: usize = 100;
/// Nombre d'octets montrés par une comparaison en hexadécimal.
const OCTETS_PAR_FENETRE: usize = 24;

/// Un échec d'étape, prêt à être affiché.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Titre : « TP09 · serveur · étape 2 — message de bienvenue ».
    pub titre: String,
    /// Ce qui s'est passé, en une ou deux phrases.
    pub explication: String,
    /// Les octets attendus et les octets reçus, s'il y a lieu.
    pub ecart: Option<(Vec<u8>, Vec<u8>)>,
    /// Des pistes pour corriger, de la plus précise à la plus générale.
    pub indices: Vec<String>,
    /// Les dernières lignes écrites par le ou les programmes testés.
    pub sortie: Vec<String>,
    /// La règle du chapitre que le programme enfreint (« R3 »), quand
    /// l'échec en désigne une : la liste « Les règles » du chapitre du TP
    /// la donne en toutes lettres.
    pub regle: Option<&'static str>,
    /// L'échange observé pendant l'étape, une ligne par événement
    /// ([`crate::echange`]) : rempli par [`crate::verifier`].
    pub echange: Vec<String>,
}

impl Diagnostic {
    /// Un diagnostic sans écart, sans indice ni sortie.
    pub fn nouveau(titre: impl Into<String>, explication: impl Into<String>) -> Self {
        Diagnostic {
            titre: titre.into(),
            explication: explication.into(),
            ecart: None,
            indices: Vec::new(),
            sortie: Vec::new(),
            regle: None,
            echange: Vec::new(),
        }
    }

    /// Désigne la règle du chapitre que l'observation contredit (« R3 »).
    pub fn regle(mut self, regle: &'static str) -> Self {
        self.regle = Some(regle);
        self
    }

    /// Désigne la règle, sauf si le programme s'est arrêté sur un `todo!()`
    /// (sa sortie d'erreur, rappelée dans le diagnostic, le montre) : un
    /// programme inachevé n'enfreint rien, il lui reste une étape à écrire.
    pub fn enfreint(self, regle: &'static str) -> Self {
        let inacheve = self
            .sortie
            .iter()
            .any(|ligne| ligne.contains("not yet implemented"));
        if inacheve { self } else { self.regle(regle) }
    }

    /// Comme [`Diagnostic::enfreint`], mais une règle déjà nommée, au plus
    /// près de l'observation, est gardée.
    pub fn enfreint_par_defaut(self, regle: &'static str) -> Self {
        if self.regle.is_some() {
            self
        } else {
            self.enfreint(regle)
        }
    }

    /// Ajoute la comparaison « attendu / reçu ».
    pub fn ecart(mut self, attendu: impl Into<Vec<u8>>, recu: impl Into<Vec<u8>>) -> Self {
        self.ecart = Some((attendu.into(), recu.into()));
        self
    }

    /// Ajoute une piste (sauf si elle y est déjà).
    pub fn indice(mut self, indice: impl Into<String>) -> Self {
        let indice = indice.into();
        if !self.indices.contains(&indice) {
            self.indices.push(indice);
        }
        self
    }

    /// Ajoute les dernières lignes écrites par un programme.
    pub fn sortie(mut self, lignes: Vec<String>) -> Self {
        self.sortie.extend(lignes);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "✗ {}", self.titre)?;
        if let Some(regle) = self.regle {
            writeln!(
                f,
                "  Règle enfreinte : {regle} (liste « Les règles » du chapitre)"
            )?;
        }
        for ligne in self.explication.lines() {
            writeln!(f, "  {ligne}")?;
        }
        if let Some((attendu, recu)) = &self.ecart {
            write!(f, "{}", comparaison(attendu, recu))?;
        }
        for indice in &self.indices {
            writeln!(f, "  Indice : {indice}")?;
        }
        if !self.sortie.is_empty() {
            writeln!(f, "  Dernières lignes écrites par le programme :")?;
            // Les lignes du programme sont rendues inoffensives : un octet de
            // contrôle (ESC, `\r`…) écrit tel quel commanderait le terminal
            // de l'étudiant au lieu de s'y lire.
            for ligne in &self.sortie {
                writeln!(f, "  {}", ligne_inoffensive(ligne))?;
            }
        }
        if !self.echange.is_empty() {
            writeln!(
                f,
                "  L'échange observé (temps depuis le début de l'étape) :"
            )?;
            for ligne in &self.echange {
                writeln!(f, "  {ligne}")?;
            }
        }
        Ok(())
    }
}

/// « 0 octet », « 1 octet », « 2 octets » : en français, le pluriel
/// commence à deux.
pub fn octets(n: usize) -> String {
    if n < 2 {
        format!("{n} octet")
    } else {
        format!("{n} octets")
    }
}

/// Met deux suites d'octets l'une sous l'autre et marque le premier octet
/// différent d'un `^`. Du texte s'affiche comme du texte (accents compris) ;
/// des octets binaires (une trame, un entier) s'affichent en hexadécimal.
pub fn comparaison(attendu: &[u8], recu: &[u8]) -> String {
    let difference = attendu
        .iter()
        .zip(recu)
        .position(|(a, r)| a != r)
        .unwrap_or(attendu.len().min(recu.len()));
    if est_binaire(attendu) || est_binaire(recu) {
        return comparaison_hexadecimale(attendu, recu, difference);
    }
    // Au-delà de la largeur affichable, on commence un peu avant la différence.
    let debut = difference.saturating_sub(LARGEUR_MAX / 2);
    let debut = debut_de_caractere(attendu, debut).min(debut_de_caractere(recu, debut));
    let (a, colonne) = echapper(attendu, debut, difference);
    let (r, _) = echapper(recu, debut, difference);
    let mut texte = format!("    attendu : {a}\n    reçu    : {r}\n");
    if attendu != recu {
        let decalage = " ".repeat(14 + colonne);
        texte.push_str(&format!(
            "{decalage}^ premier octet différent (octet {})\n",
            difference + 1
        ));
    }
    texte
}

/// Des octets binaires : un caractère de contrôle autre qu'une fin de ligne
/// ou une tabulation (un octet nul, une longueur sur quatre octets…).
fn est_binaire(octets: &[u8]) -> bool {
    octets
        .iter()
        .any(|&o| (o < 0x20 && !matches!(o, b'\n' | b'\r' | b'\t')) || o == 0x7f)
}

/// La comparaison en hexadécimal : une fenêtre de [`OCTETS_PAR_FENETRE`]
/// octets qui commence sur un multiple de 8 avant la différence.
fn comparaison_hexadecimale(attendu: &[u8], recu: &[u8], difference: usize) -> String {
    let debut = difference.saturating_sub(8) / 8 * 8;
    let ligne = |octets: &[u8]| {
        let fin = octets.len().min(debut + OCTETS_PAR_FENETRE);
        let fenetre: Vec<String> = octets
            .get(debut..fin)
            .unwrap_or_default()
            .iter()
            .map(|o| format!("{o:02x}"))
            .collect();
        format!(
            "{}{}{} ({})",
            if debut > 0 { "… " } else { "" },
            fenetre.join(" "),
            if octets.len() > fin { " …" } else { "" },
            self::octets(octets.len())
        )
    };
    let mut texte = format!(
        "    attendu : {}\n    reçu    : {}\n",
        ligne(attendu),
        ligne(recu)
    );
    if attendu != recu {
        let colonne = 14 + if debut > 0 { 2 } else { 0 } + 3 * (difference - debut);
        texte.push_str(&format!(
            "{}^ premier octet différent (octet {}, en hexadécimal)\n",
            " ".repeat(colonne),
            difference + 1
        ));
    }
    texte
}

/// Recule jusqu'au début d'un caractère UTF-8 pour ne pas couper un `é`.
fn debut_de_caractere(octets: &[u8], mut i: usize) -> usize {
    while i > 0 && i < octets.len() && (octets[i] & 0b1100_0000) == 0b1000_0000 {
        i -= 1;
    }
    i.min(octets.len())
}

/// Écrit des octets entre guillemets, caractères de contrôle et octets
/// invalides échappés (`\n`, `\x00`) ; renvoie aussi la colonne (en
/// caractères affichés) de l'octet `marque`.
fn echapper(octets: &[u8], debut: usize, marque: usize) -> (String, usize) {
    let mut texte = String::from(if debut > 0 { "…\"" } else { "\"" });
    let mut colonne = None;
    let mut i = debut;
    while i < octets.len() {
        if i == marque {
            colonne = Some(texte.chars().count());
        }
        if texte.chars().count() > LARGEUR_MAX + 2 {
            texte.push('…');
            break;
        }
        let (morceau, largeur) = caractere_affichable(&octets[i..]);
        texte.push_str(&morceau);
        i += largeur;
    }
    let colonne = colonne.unwrap_or_else(|| texte.chars().count());
    texte.push('"');
    (texte, colonne)
}

/// Le premier caractère de `octets`, sous forme affichable, et sa longueur en octets.
fn caractere_affichable(octets: &[u8]) -> (String, usize) {
    let longueur = match octets[0] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    };
    match std::str::from_utf8(&octets[..longueur.min(octets.len())]) {
        Ok("\n") => ("\\n".into(), 1),
        Ok("\r") => ("\\r".into(), 1),
        Ok("\t") => ("\\t".into(), 1),
        Ok("\"") => ("\\\"".into(), 1),
        Ok("\\") => ("\\\\".into(), 1),
        Ok(c) if !c.chars().any(char::is_control) => (c.to_string(), longueur),
        _ => (format!("\\x{:02x}", octets[0]), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn les_lignes_du_programme_ne_commandent_pas_le_terminal() {
        let diagnostic = Diagnostic::nouveau("titre", "explication")
            .sortie(vec!["[serveur] reçu \u{1b}[2J effacé\r".into()]);
        let texte = diagnostic.to_string();
        assert!(
            !texte.contains('\u{1b}') && !texte.contains('\r'),
            "octet de contrôle brut dans : {texte:?}"
        );
        assert!(
            texte.contains("[serveur] reçu \\u{1b}[2J effacé\\r"),
            "{texte}"
        );
    }

    #[test]
    fn marque_le_premier_octet_different() {
        let texte = comparaison(b"serveur 40123\n", b"serveur 65432\n");
        let lignes: Vec<&str> = texte.lines().collect();
        assert_eq!(lignes[0], "    attendu : \"serveur 40123\\n\"");
        assert_eq!(lignes[1], "    reçu    : \"serveur 65432\\n\"");
        // Le ^ est sous le « 4 » de 40123 : 14 colonnes d'en-tête + « "serveur ».
        assert_eq!(lignes[2].find('^'), Some(14 + 9));
        assert!(lignes[2].contains("octet 9"));
    }

    #[test]
    fn reception_plus_courte() {
        let texte = comparaison(b"Bonjour\n", b"B");
        assert!(texte.contains("reçu    : \"B\""));
        assert!(texte.contains("octet 2"));
    }

    #[test]
    fn echappe_les_octets_invalides_et_garde_les_accents() {
        let texte = comparaison("établie".as_bytes(), b"\xff\xfe");
        assert!(texte.contains("\"établie\""));
        assert!(texte.contains("\"\\xff\\xfe\""));
    }

    #[test]
    fn un_octet_au_singulier() {
        assert_eq!(octets(0), "0 octet");
        assert_eq!(octets(1), "1 octet");
        assert_eq!(octets(2), "2 octets");
    }

    #[test]
    fn octets_binaires_en_hexadecimal() {
        // Une trame : type 0x81, longueur u32 gros-boutiste… reçue en petit-boutiste.
        let texte = comparaison(b"\x81\x00\x00\x00\x02ok", b"\x81\x02\x00\x00\x00ok");
        let lignes: Vec<&str> = texte.lines().collect();
        assert_eq!(lignes[0], "    attendu : 81 00 00 00 02 6f 6b (7 octets)");
        assert_eq!(lignes[1], "    reçu    : 81 02 00 00 00 6f 6b (7 octets)");
        // Le ^ est sous le deuxième octet : 14 colonnes d'en-tête + « 81 ».
        assert_eq!(lignes[2].find('^'), Some(14 + 3));
        assert!(lignes[2].contains("octet 2, en hexadécimal"));
    }

    #[test]
    fn longue_trame_vue_autour_de_la_difference() {
        let attendu: Vec<u8> = (0..100).collect();
        let mut recu = attendu.clone();
        recu[50] = 0xff;
        let texte = comparaison(&attendu, &recu);
        let lignes: Vec<&str> = texte.lines().collect();
        // La fenêtre commence à l'octet 40 (0x28), multiple de 8.
        assert!(lignes[0].starts_with("    attendu : … 28 29"), "{texte}");
        assert!(lignes[0].ends_with(" … (100 octets)"), "{texte}");
        let sous_la_marque: String = lignes[1].chars().skip(14 + 2 + 3 * 10).take(2).collect();
        assert_eq!(sous_la_marque, "ff");
        assert_eq!(lignes[2].find('^'), Some(14 + 2 + 3 * 10));
        assert!(lignes[2].contains("octet 51"));
    }

    #[test]
    fn texte_avec_un_octet_invalide_reste_du_texte() {
        assert!(comparaison(b"Une bi\xc3\xa8re\n", b"Une bi\xe8re\n").contains("\\xe8"));
    }

    #[test]
    fn identiques_sans_marque() {
        assert!(!comparaison(b"abc", b"abc").contains('^'));
    }

    #[test]
    fn longues_suites_tronquees_autour_de_la_difference() {
        let attendu = vec![b'a'; 1000];
        let mut recu = attendu.clone();
        recu[700] = b'b';
        let texte = comparaison(&attendu, &recu);
        assert!(texte.contains("octet 701"));
        assert!(texte.lines().all(|l| l.chars().count() < 2 * LARGEUR_MAX));
    }
}
