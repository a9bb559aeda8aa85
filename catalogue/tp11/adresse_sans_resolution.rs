//! Règle enfreinte : R11 — lit HÔTE_DISTANT comme une adresse IP, sans résoudre le nom.
//!
//! Erreur volontaire : `hote.parse::<IpAddr>()` marche avec une adresse,
//! `127.0.0.1` comme `::1`, mais `localhost` n'en est pas une : c'est un nom,
//! que seule la résolution de noms (getaddrinfo, `to_socket_addrs`) traduit.
//! Le programme s'arrête en erreur dès qu'on lui donne un nom.
//!
//! Diagnostic attendu : `pair_1_nom_du_pair` (« un nom, pas une adresse »).

mod commun;

use std::net::{IpAddr, SocketAddr};

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [_, port_local, hote, port_distant] = args.as_slice() else {
        anyhow::bail!("usage : pair PORT_LOCAL HÔTE_DISTANT PORT_DISTANT");
    };
    // L'erreur : une adresse lue, pas un nom résolu.
    let ip: IpAddr = hote
        .parse()
        .with_context(|| format!("adresse invalide : {hote}"))?;
    let adresse = SocketAddr::new(ip, port_distant.parse()?);
    let (socket, pair) = commun::ouvrir(port_local.parse()?, &[adresse])?;
    let reception = socket.try_clone()?;
    commun::converser(
        socket,
        reception,
        pair,
        commun::envoyer_les_lignes,
        commun::recevoir_du_pair,
    )
}
