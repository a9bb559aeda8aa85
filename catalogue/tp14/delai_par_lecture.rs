//! Règle enfreinte : R18 — le délai d'inactivité borne chaque lecture, pas chaque trame : un client qui envoie un octet de temps en temps garde son fil pour toujours.
//!
//! `set_read_timeout` une fois pour toutes : chaque octet reçu remet le
//! compteur à zéro. Un octet toutes les 29 s, et la connexion ne finit jamais.
//! Diagnostic attendu : `serveur_5_inactivite`.

mod commun;

struct DelaiParLecture;

impl commun::Variante for DelaiParLecture {
    fn echeance_par_trame(&self) -> bool {
        // L'erreur : le délai repart à chaque lecture.
        false
    }
}

fn main() -> std::process::ExitCode {
    commun::principal(DelaiParLecture)
}
