//! Règle enfreinte : R13 — range les adresses IPv6 du pair en premier : avec `127.0.0.1` puis `::1`, il garde la seconde.
//!
//! Erreur volontaire : le programme trie les adresses résolues, IPv6
//! d'abord, « puisque c'est l'avenir ». Sur la plupart des machines,
//! getaddrinfo les rend déjà dans cet ordre, et rien ne se voit ; mais une
//! machine réglée pour préférer IPv4 (`/etc/gai.conf`) donne `127.0.0.1`
//! d'abord, et le programme ne suit plus l'ordre de la résolution.
//!
//! Diagnostic attendu : `pair_2_ordre_des_adresses` (« attaché sa socket à
//! ::1 »).

mod commun;

fn main() -> anyhow::Result<()> {
    let (port_local, mut adresses) = commun::arguments()?;
    // L'erreur : un tri stable qui fait passer l'IPv6 devant.
    adresses.sort_by_key(|a| !a.is_ipv6());
    let (socket, pair) = commun::ouvrir(port_local, &adresses)?;
    commun::converser(
        socket.try_clone()?,
        socket,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
