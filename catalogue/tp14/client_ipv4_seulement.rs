//! Règle enfreinte : R23 — le client ne garde que les adresses IPv4 de l'hôte et ne sait pas joindre « ::1 ».
//!
//! Comme une socket `AF_INET` en C : avec un nom ou `127.0.0.1`, tout va
//! bien ; avec `::1`, il ne reste aucune adresse à essayer.
//! Diagnostic attendu : `client_1_ipv6`.

mod commun;

struct Faute;

impl commun::Variante for Faute {
    fn essaie_ipv6(&self) -> bool {
        false
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(Faute)
}
