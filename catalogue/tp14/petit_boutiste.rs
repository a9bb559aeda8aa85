//! Règle enfreinte : R2 — les longueurs et les nombres sont écrits et lus en petit-boutiste.
//!
//! Les entiers du protocole en petit-boutiste.
//!
//! `to_le_bytes` est l'ordre de la machine (x86, ARM) : le programme parle
//! très bien à lui-même, mais pas à un programme qui suit le protocole,
//! écrit en ordre réseau (gros-boutiste). Une longueur de 73 part en
//! `49 00 00 00` au lieu de `00 00 00 49`.
//! Diagnostic attendu : `serveur_5_options` (et, côté client, `client_3_voter`).

mod commun;

struct PetitBoutiste;

impl commun::Variante for PetitBoutiste {
    // L'erreur : les quatre conversions, dans l'ordre de la machine.
    fn u16_en_octets(&self, n: u16) -> [u8; 2] {
        n.to_le_bytes()
    }
    fn u32_en_octets(&self, n: u32) -> [u8; 4] {
        n.to_le_bytes()
    }
    fn u16_depuis(&self, o: [u8; 2]) -> u16 {
        u16::from_le_bytes(o)
    }
    fn u32_depuis(&self, o: [u8; 4]) -> u32 {
        u32::from_le_bytes(o)
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(PetitBoutiste)
}
