//! Règle enfreinte : R10 — le CRC-32 d’un enregistrement ne couvre pas ses deux octets de longueur.
//!
//! Diagnostic attendu : `serveur_6_journal_avant_recu`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn enregistrement(&self, jeton: &str, option: u16) -> Vec<u8> {
        let mut octets = commun::enregistrement(jeton, option);
        let fin = octets.len() - 4;
        let somme = commun::crc32(&octets[2..fin]);
        octets[fin..].copy_from_slice(&somme.to_be_bytes());
        octets
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
