//! Règle enfreinte : R7 — un seul accept() par événement de la socket d'écoute.
//!
//! Erreur volontaire : un seul accept() par événement de la socket
//! d'écoute, comme on le ferait avec un poll() classique.
//!
//! mio règle epoll en mode « front » (edge-triggered) : un événement dit
//! que la file d'attente de listen() vient de cesser d'être vide, pas
//! combien de clients elle contient. Si plusieurs clients sont arrivés
//! ensemble, un seul est accepté ; les autres attendent, sans qu'aucun
//! nouvel événement ne le rappelle, l'arrivée d'un client suivant.
//! Diagnostic attendu : `serveur_5_mille_clients`.

mod commun;

struct UnAcceptParEvenement;

impl commun::Variante for UnAcceptParEvenement {
    fn sur_ecoute(&self, bar: &mut commun::Bar) {
        // L'erreur : pas de boucle jusqu'à WouldBlock.
        commun::accepter_un(self, bar);
    }
}

fn main() -> std::io::Result<()> {
    commun::lancer(UnAcceptParEvenement)
}
