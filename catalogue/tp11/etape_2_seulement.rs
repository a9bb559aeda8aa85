//! Pas une erreur : le programme d'un étudiant qui a fini les étapes 1 et 2.
//! La socket est attachée, l'adresse du pair résolue, puis le programme
//! s'arrête sur le `todo!()` de l'étape 3, comme le squelette complété
//! jusque-là.
//! Attendu : `pair_2_nom_du_pair` réussit, `pair_3_envoi` échoue sur le `todo!()`.

mod commun;

fn main() -> anyhow::Result<()> {
    let (port_local, _pair) = commun::arguments()?;
    let _socket = commun::ouvrir(port_local)?;
    todo!("Étape 3 : envoyer chaque ligne tapée en un datagramme (send_to)")
}
