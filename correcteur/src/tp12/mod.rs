//! TP12 — serveur concurrent : le bar.
//!
//! Le protocole (chapitre « TP12 » du livre) : chaque ligne que le client
//! envoie est une commande ; le serveur répond
//! `vous m'avez demandé : COMMANDE bien reçu 5 / 5\n`. Après « fin », il
//! répond puis ferme ; une fin de flux sans « fin » termine la session sans
//! bruit. Au-delà de `--max-clients N` clients servis à la fois, un nouveau
//! venu reçoit `bar complet, revenez plus tard\n` et est fermé.
//!
//! Le correcteur joue ici de nombreux clients à la fois : vingt qui
//! commandent en alternance, un qui se tait, un qui part brutalement, un qui
//! envoie n'importe quoi. Un serveur itératif, ou dont les exécutants
//! s'attendent les uns les autres, est démasqué dès le deuxième client.

mod client;
mod serveur;

pub use client::{
    client_1_connexion, client_2_commandes, client_3_fin, client_4_fin_de_l_entree,
    croise_client_et_serveur,
};
pub use serveur::{
    serveur_1_ouverture, serveur_1_un_client, serveur_2_vingt_clients, serveur_3_client_silencieux,
    serveur_4_fin_de_flux_sans_fin, serveur_5_commande_en_morceaux, serveur_6_ligne_trop_longue,
    serveur_6_reinitialisation, serveur_6_utf8_invalide, serveur_7_descripteurs,
    serveur_8_limite_de_clients,
};

use std::net::SocketAddr;
use std::time::Duration;

use crate::etape::{Cote, Etape};

const TP: &str = "TP12";

/// Pause entre deux morceaux d'un message envoyé en plusieurs fois.
const PAUSE_ENTRE_MORCEAUX: Duration = Duration::from_millis(30);

/// Ce que reçoit un client de trop.
pub const COMPLET: &str = "bar complet, revenez plus tard\n";

/// La réponse du bar à une commande, avec son `\n`.
pub fn reponse(commande: &str) -> String {
    format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n")
}

/// La ligne du journal du serveur à l'arrivée d'un client.
pub fn arrivee(adresse: SocketAddr) -> String {
    format!("Client connecté : {adresse}")
}

/// La ligne du journal du serveur au départ d'un client.
pub fn depart(adresse: SocketAddr) -> String {
    format!("Client parti : {adresse}")
}

fn etape(cote: Cote, numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote,
        numero,
        nom,
    }
}
