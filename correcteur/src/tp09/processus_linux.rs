//! Ce que `/proc` dit d'un programme : tous ses fils dorment-ils ? Un
//! client qui dort juste après sa connexion attend quelque chose — la
//! bienvenue —, et a donc fini tout ce qu'il avait à faire avant elle.
//! (Linux seulement : l'étape qui s'en sert est déclarée `= linux`.)

use std::time::{Duration, Instant};

use crate::processus::Programme;

/// Intervalle entre deux regards dans `/proc`.
const SCRUTATION: Duration = Duration::from_millis(2);

/// Ce qu'on a vu en attendant.
pub enum Attente {
    /// Tous les fils du programme dorment (état `S`).
    Endormi,
    /// Le programme s'est arrêté.
    Arrete,
    /// Il tourne encore à l'échéance (il ne s'est jamais endormi).
    Delai,
}

/// Attend, au plus `delai`, que tous les fils du programme dorment.
pub fn attendre_le_sommeil(programme: &mut Programme, delai: Duration) -> Attente {
    let limite = Instant::now() + delai;
    loop {
        if programme.statut().is_some() {
            return Attente::Arrete;
        }
        if tous_les_fils_dorment(programme.pid()) {
            return Attente::Endormi;
        }
        if Instant::now() >= limite {
            return Attente::Delai;
        }
        std::thread::sleep(SCRUTATION);
    }
}

/// Vrai si chaque fil de `/proc/PID/task` est dans l'état `S` (sommeil
/// interruptible : un appel bloquant qui attend).
fn tous_les_fils_dorment(pid: u32) -> bool {
    let Ok(fils) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    let mut vus = 0;
    for entree in fils.flatten() {
        let Ok(stat) = std::fs::read_to_string(entree.path().join("stat")) else {
            return false;
        };
        // « 1234 (nom) S … » : l'état suit la dernière parenthèse (le nom peut en contenir).
        let etat = stat
            .rsplit(')')
            .next()
            .and_then(|s| s.trim_start().chars().next());
        if etat != Some('S') {
            return false;
        }
        vus += 1;
    }
    vus > 0
}
