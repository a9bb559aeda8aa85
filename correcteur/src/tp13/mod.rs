//! TP13 — un seul thread, plusieurs clients : le bar multiplexé.
//!
//! Le protocole est celui du TP12 (chapitre « TP12 » du livre) : une
//! réponse par commande, « fin », « bar complet », des lignes d'au plus
//! 1024 octets. Tous les contrôles du serveur du TP12 sont donc repris
//! ([`reprises`]). S'y ajoutent ceux de l'architecture demandée : les
//! sockets sont non bloquantes, un seul thread sert tout le monde, mille
//! clients connectés ensemble sont servis, un client qui ne lit pas ses
//! réponses ne fige pas les autres et n'en perd aucune, et le serveur au
//! repos ne consomme pas de processeur.
//!
//! Quand un client attend en vain, le correcteur regarde où le serveur est
//! bloqué (`/proc/PID/syscall`) : « bloqué dans read() sur la socket du
//! client A » dit tout de suite ce qui ne va pas.

mod bar;
mod charge;
mod fenetre;
mod reprises;
mod serveur;
mod sondes;

pub use charge::{serveur_5_mille_clients, serveur_6_client_qui_ne_lit_pas};
pub use reprises::{
    serveur_1_redemarrage, serveur_4_commande_en_morceaux, serveur_4_descripteurs,
    serveur_4_fin_de_flux_sans_fin, serveur_4_ligne_de_1024_octets, serveur_4_ligne_trop_longue,
    serveur_4_reinitialisation, serveur_4_un_client, serveur_4_utf8_invalide,
    serveur_5_client_silencieux, serveur_5_vingt_clients, serveur_8_limite_de_clients,
    serveur_9_inactivite,
};
pub use serveur::{
    serveur_1_ecoute, serveur_1_port_pris, serveur_2_accueil, serveur_3_commandes,
    serveur_3_jetons_uniques, serveur_3_journal_sans_commandes, serveur_5_un_seul_thread,
    serveur_7_processeur_au_repos,
};

use crate::etape::{Cote, Etape};

const TP: &str = "TP13";

fn serveur(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Serveur,
        numero,
        nom,
    }
}

/// Un nombre à virgule, à la française : `0,29`.
fn decimal(nombre: f64, chiffres: usize) -> String {
    format!("{nombre:.chiffres$}").replace('.', ",")
}
