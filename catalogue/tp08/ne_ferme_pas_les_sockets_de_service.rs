//! Règle enfreinte : R9 — le serveur garde chaque socket de service ouverte.
//!
//! Erreur volontaire : le serveur garde chaque socket de service « pour
//! plus tard » et ne la ferme jamais.
//!
//! Chaque client reçoit bien sa réponse, mais chaque accept laisse un
//! descripteur ouvert : après quelques milliers de clients, le processus
//! atteint sa limite (ulimit -n) et accept échoue.
//! Diagnostic attendu : `serveur_3_descripteurs` (et, vu du client, `serveur_3_cinq_clients`).

mod commun;

fn main() -> anyhow::Result<()> {
    let chemin = commun::chemin();
    commun::liberer_le_chemin(&chemin)?;
    let ecoute = commun::ecouter(&chemin)?;
    commun::arreter_sur_signal(&chemin)?;
    // L'erreur : les sockets de service s'accumulent dans cette liste.
    let mut clients = Vec::new();
    loop {
        let (mut service, _) = ecoute.accept()?;
        commun::servir_ou_signaler(&mut service, commun::servir);
        clients.push(service);
    }
}
