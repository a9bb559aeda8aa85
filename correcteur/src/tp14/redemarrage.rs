//! Le serveur arrêté alors qu'un électeur était connecté se relance
//! aussitôt sur le même port : c'est ce que permet SO_REUSEADDR.

use std::path::Path;

use crate::diagnostic::Diagnostic;

use super::scrutin::{OPTIONS, QUESTION};
use super::{echanger, regle_par_defaut, serveur, serveur_connecte, trames};

/// Étape 5 : un électeur connecté reçoit OPTIONS ; le serveur est tué
/// (kill -9) pendant que la connexion vit, puis relancé sur le même port et
/// le même journal. Le noyau a fermé la socket de service le premier : elle
/// reste en TIME_WAIT, sur ce port, une minute environ. Sans SO_REUSEADDR
/// sur la socket d'écoute, le second `bind` échoue.
pub fn serveur_5_redemarrage(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(5, "relancé aussitôt sur le même port");
    let (scrutin, programme, port, mut flux) = serveur_connecte(&etape, binaire)?;
    regle_par_defaut(
        echanger(
            &etape,
            &programme,
            &mut flux,
            &trames::lister(),
            &trames::options(QUESTION, &OPTIONS),
            "Réponse à LISTER, avant l'arrêt du serveur",
        ),
        "R3",
    )?;
    // L'arrêt (drop : SIGKILL, puis attente de la fin) ferme la socket de
    // service côté serveur en premier ; notre fermeture ensuite la fait
    // passer en TIME_WAIT.
    drop(programme);
    drop(flux);
    let arguments = scrutin.arguments(port);
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let mut relance = etape.lancer(binaire, "serveur", &arguments)?;
    etape.ecoute_au_demarrage(&mut relance, port).map_err(|d| {
        d.regle("R24").indice(
            "la connexion que le serveur arrêté avait ouverte reste en TIME_WAIT sur ce port \
             pendant une minute environ : sans SO_REUSEADDR (set_reuse_address(true) avant \
             bind), le bind du serveur relancé échoue (« Address already in use »), et les \
             électeurs attendent une minute un serveur qui devait repartir aussitôt.",
        )
    })
}
