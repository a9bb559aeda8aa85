//! Les deux serveurs Python du banc parlent bien le protocole du bar :
//! l'outil de charge vérifie chaque réponse et la fermeture après « fin ».
//! Ces tests demandent python3 (voir le README).

mod commun;

use std::time::Duration;

use performances::charge::{self, Mode, Reglages};

fn servir_quelques_clients(script: &str) {
    let serveur = commun::lancer_python(script);
    let reglages = Reglages {
        adresse: serveur.adresse,
        clients: 3,
        commandes: 4,
        visites: 2,
        mode: Mode::Bar,
        delai: Duration::from_secs(20),
        fils: 1,
        rendez_vous: true,
        barre: false,
    };
    let rapport = charge::lancer(&reglages).expect("la charge doit pouvoir se lancer");
    assert!(
        rapport.reussi(),
        "{script} :\n{}\n{:#?}",
        rapport.texte(),
        rapport.diagnostics
    );
    assert_eq!(rapport.reponses, 24);
    assert_eq!(rapport.pic, 3);
}

#[test]
fn le_bar_a_un_processus_par_client_repond_juste() {
    servir_quelques_clients("bar_fork.py");
}

#[test]
fn le_bar_asyncio_repond_juste() {
    servir_quelques_clients("bar_asyncio.py");
}
