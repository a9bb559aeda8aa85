//! Règle enfreinte : R18 — essaie une adresse IPv4 avant les autres, quel que soit l'ordre de la résolution.
//!
//! Erreur volontaire : parmi les adresses résolues, le client prend
//! d'abord une adresse IPv4 (« c'est plus sûr »), et ne suit donc pas
//! l'ordre que rend la résolution. Face à un serveur IPv4, il obtient sa
//! réponse aussitôt, mais la première adresse du nom, `::1`, ne reçoit sa
//! requête qu'après : là où le serveur n'écoute qu'en IPv6 derrière une
//! adresse IPv4 morte, il perdrait un délai à chaque essai.
//!
//! Diagnostic attendu : `client_2_chaque_adresse` (« aucune sur [::1] »).

mod commun;

fn main() -> anyhow::Result<()> {
    let mut requetes = commun::ouvrir_client()?;
    // L'erreur : les adresses IPv4 d'abord, au lieu de l'ordre de la résolution.
    requetes.sort_by_key(|r| !r.serveur.is_ipv4());
    for _ in 0..commun::ESSAIS {
        for requete in &requetes {
            if let Some(compte) = commun::essayer(requete)? {
                println!("réponse : {compte}");
                return Ok(());
            }
        }
        eprintln!("pas de réponse, nouvel essai");
    }
    anyhow::bail!(
        "pas de réponse de {} après {} essais",
        commun::adresses(&requetes),
        commun::ESSAIS
    )
}
