//! Pas une erreur : le programme d'un étudiant qui n'a fini que l'étape 1.
//! Les adresses du pair sont résolues, puis le programme s'arrête sur le
//! `todo!()` de l'étape 2, comme le squelette complété jusque-là.
//! Attendu : `pair_1_nom_du_pair` réussit, `pair_2_attache` échoue sur le `todo!()`.

mod commun;

fn main() -> anyhow::Result<()> {
    let (_port_local, _adresses) = commun::arguments()?;
    todo!("Étape 2 : créer la socket UDP de la famille du pair et l'attacher au port local (bind)")
}
