//! Pas une erreur : le programme d'un étudiant qui a fini les étapes 1 et 2.
//! L'adresse du pair est résolue, la socket attachée, puis le programme
//! s'arrête sur le `todo!()` de l'étape 3, comme le squelette complété
//! jusque-là.
//! Attendu : `pair_2_attache` et `pair_2_ipv6` réussissent, `pair_3_envoi`
//! échoue sur le `todo!()`.

mod commun;

fn main() -> anyhow::Result<()> {
    let (port_local, adresses) = commun::arguments()?;
    let (_socket, _pair) = commun::ouvrir(port_local, &adresses)?;
    todo!("Étape 3 : envoyer chaque ligne tapée en un datagramme (send_to)")
}
