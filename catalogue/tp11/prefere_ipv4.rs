//! Règle enfreinte : R13 — range les adresses IPv4 du pair en premier : avec `::1` puis `127.0.0.1`, il garde la seconde.
//!
//! Erreur volontaire : après la résolution, le programme trie les adresses,
//! IPv4 d'abord, par habitude. Il n'en écarte aucune : avec `::1` seul, il
//! parle IPv6 comme il faut ; mais quand le nom donne les deux familles, il
//! ne suit pas l'ordre de la résolution.
//!
//! Diagnostic attendu : `pair_2_ordre_des_adresses` (« attaché sa socket à
//! 127.0.0.1 »).

mod commun;

fn main() -> anyhow::Result<()> {
    let (port_local, mut adresses) = commun::arguments()?;
    // L'erreur : un tri stable qui fait passer l'IPv4 devant.
    adresses.sort_by_key(|a| !a.is_ipv4());
    let (socket, pair) = commun::ouvrir(port_local, &adresses)?;
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
