//! TP15 — le bar asynchrone (tokio).
//!
//! Le protocole est celui du TP12, l'exigence de tenue celle du TP13 : les
//! contrôles de ces deux TP sont donc repris tels quels ([`reprises`]) —
//! c'est la preuve que le correcteur juge ce que fait le serveur, et non la
//! façon dont il est écrit (threads, boucle d'événements ou tâches). S'y
//! ajoutent les fautes propres à l'asynchrone ([`asynchrone`]) : un appel
//! bloquant dans une tâche (cent clients silencieux figent tout), des
//! réponses qui changent d'ordre (une tâche par ligne), et l'arrêt propre
//! sur Ctrl+C.

mod asynchrone;
mod reprises;

pub use asynchrone::{
    serveur_1_ecoute, serveur_2_accueil, serveur_3_cent_clients_silencieux,
    serveur_3_reponses_dans_l_ordre, serveur_5_arret_propre,
};
pub use reprises::{
    serveur_3_client_qui_ne_lit_pas, serveur_3_client_silencieux, serveur_3_commande_en_morceaux,
    serveur_3_commandes, serveur_3_descripteurs, serveur_3_fin_de_flux_sans_fin,
    serveur_3_ligne_trop_longue, serveur_3_mille_clients, serveur_3_processeur_au_repos,
    serveur_3_reinitialisation, serveur_3_un_client, serveur_3_utf8_invalide,
    serveur_3_vingt_clients, serveur_4_limite_de_clients,
};

use crate::etape::{Cote, Etape};

const TP: &str = "TP15";

fn serveur(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Serveur,
        numero,
        nom,
    }
}
