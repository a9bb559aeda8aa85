//! Ce que `/proc` dit d'un programme : tous ses fils dorment-ils, et
//! combien de fois se sont-ils endormis ? Un client qui dort juste après sa
//! connexion attend quelque chose — la bienvenue —, et a donc fini tout ce
//! qu'il avait à faire avant elle. Un programme qui s'est rendormi après
//! qu'on lui a envoyé un morceau a lu ce morceau, et seulement lui.
//! (Linux seulement : ailleurs, les réponses sont « inconnu ».)

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

/// Le nombre de fois où les fils du programme se sont endormis d'eux-mêmes
/// (`voluntary_ctxt_switches`, additionné sur `/proc/PID/task/*/status`) ;
/// rien si `/proc` est illisible.
pub fn sommeils(pid: u32) -> Option<u64> {
    let fils = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let mut total = 0;
    for entree in fils.flatten() {
        let statut = std::fs::read_to_string(entree.path().join("status")).ok()?;
        total += statut
            .lines()
            .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
            .and_then(|n| n.trim().parse::<u64>().ok())?;
    }
    Some(total)
}

/// Attend, au plus `delai`, que le programme se soit endormi au moins une
/// fois de plus qu'à `avant` (un compte de [`sommeils`]) et dorme encore :
/// il a traité ce qui l'avait réveillé.
pub fn attendre_un_nouveau_sommeil(
    programme: &mut Programme,
    avant: u64,
    delai: Duration,
) -> Attente {
    let limite = Instant::now() + delai;
    loop {
        if programme.statut().is_some() {
            return Attente::Arrete;
        }
        let rendormi = sommeils(programme.pid()).is_some_and(|n| n > avant);
        if rendormi && tous_les_fils_dorment(programme.pid()) {
            return Attente::Endormi;
        }
        if Instant::now() >= limite {
            return Attente::Delai;
        }
        std::thread::sleep(SCRUTATION);
    }
}
