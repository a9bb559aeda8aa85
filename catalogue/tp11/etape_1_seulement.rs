//! Pas une erreur : le programme d'un étudiant qui n'a fini que l'étape 1.
//! La socket est attachée, puis le programme s'arrête sur le `todo!()` de
//! l'étape 2, comme le squelette complété jusque-là.
//! Attendu : `pair_1_attache` réussit, `pair_2_nom_du_pair` échoue sur le `todo!()`.

mod commun;

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let port_local: u16 = std::env::args()
        .nth(2)
        .context("usage : pair PORT_LOCAL HÔTE_DISTANT PORT_DISTANT")?
        .parse()?;
    let _socket = commun::ouvrir(port_local)?;
    todo!("Étape 2 : résoudre l'adresse du pair et garder une adresse IPv4")
}
