//! Règle enfreinte : R15 — le rejeu ne vérifie pas le CRC-32 : un enregistrement complet mais abîmé est compté comme un vote.
//!
//! La longueur suffit à découper le journal, alors pourquoi la somme de
//! contrôle ? Parce qu'un enregistrement complet peut être faux : un octet
//! changé sur le disque, une écriture à moitié arrivée. Ce serveur le compte
//! et démarre comme si de rien n'était.
//! Diagnostic attendu : `serveur_7_journal_abime`.

mod commun;

struct SansCrc;

impl commun::Variante for SansCrc {
    fn somme_juste(&self, _contenu: &[u8], _somme: &[u8]) -> bool {
        // L'erreur : la somme lue n'est jamais comparée.
        true
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(SansCrc)
}
