//! Règle enfreinte : R2 — les longueurs et les nombres sont écrits en petit-boutiste.
//!
//! Les entiers du protocole écrits en petit-boutiste.
//!
//! La lecture suit le chapitre (`from_be_bytes`), mais l'écriture prend
//! `to_le_bytes`, l'ordre de la machine (x86, ARM) : chaque trame envoyée
//! annonce une longueur fausse pour l'autre bout. Une longueur de 79 part en
//! `4f 00 00 00` au lieu de `00 00 00 4f`.
//! Diagnostic attendu : `serveur_5_options` (et, côté client, `client_3_voter`).

mod commun;

struct PetitBoutiste;

impl commun::Variante for PetitBoutiste {
    // L'erreur : les deux conversions d'écriture, dans l'ordre de la machine.
    fn u16_en_octets(&self, n: u16) -> [u8; 2] {
        n.to_le_bytes()
    }
    fn u32_en_octets(&self, n: u32) -> [u8; 4] {
        n.to_le_bytes()
    }
    fn u16_depuis(&self, o: [u8; 2]) -> u16 {
        u16::from_be_bytes(o)
    }
    fn u32_depuis(&self, o: [u8; 4]) -> u32 {
        u32::from_be_bytes(o)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(PetitBoutiste)
}
