//! La session d'un client pour les variantes correctes du TP13 (et pour
//! `tp13-un-thread-par-client`, dont l'erreur est ailleurs), tenue
//! autrement que dans le corrigé : les réponses attendent dans une file
//! d'octets (`VecDeque`), et chaque événement ne fait qu'**une** lecture ;
//! c'est la boucle qui redemande la suite au noyau.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::time::Instant;

/// Longueur maximale d'une commande, `\n` compris.
const LONGUEUR_MAX: usize = 1024;
/// Au-delà de ces octets de réponses en attente, on cesse de lire.
const SORTIE_MAX: usize = 64 * 1024;

pub struct Seance {
    pub adresse: SocketAddr,
    entree: Vec<u8>,
    sortie: VecDeque<u8>,
    /// Plus rien à lire : « fin », fin du flux, ou faute du client.
    fin: bool,
    /// Connexion cassée, ou faute du client : fermer sans rien envoyer de plus.
    casse: bool,
    pub derniere_activite: Instant,
}

impl Seance {
    pub fn new(adresse: SocketAddr) -> Seance {
        Seance {
            adresse,
            entree: Vec::new(),
            sortie: VecDeque::new(),
            fin: false,
            casse: false,
            derniere_activite: Instant::now(),
        }
    }

    /// Le résultat d'une lecture : des octets, la fin du flux, ou une erreur.
    pub fn lu(&mut self, resultat: io::Result<&[u8]>) {
        self.derniere_activite = Instant::now();
        match resultat {
            Ok([]) => self.fin = true,
            Ok(octets) => {
                self.entree.extend_from_slice(octets);
                self.traiter();
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                eprintln!("erreur avec {} : {e}", self.adresse);
                self.casse = true;
            }
        }
    }

    /// Chaque ligne entière devient une réponse, tant que la file de sortie
    /// n'est pas pleine (contre-pression : le reste attend dans `entree`).
    fn traiter(&mut self) {
        while !self.fin && self.sortie.len() < SORTIE_MAX {
            let fenetre = &self.entree[..self.entree.len().min(LONGUEUR_MAX)];
            let Some(position) = fenetre.iter().position(|&o| o == b'\n') else {
                if self.entree.len() >= LONGUEUR_MAX {
                    eprintln!("erreur avec {} : ligne trop longue", self.adresse);
                    self.fin = true;
                    self.casse = true;
                }
                return;
            };
            let ligne: Vec<u8> = self.entree.drain(..=position).collect();
            let ligne = &ligne[..ligne.len() - 1];
            let ligne = ligne.strip_suffix(b"\r").unwrap_or(ligne);
            match std::str::from_utf8(ligne) {
                Ok(commande) => {
                    let reponse = format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n");
                    self.sortie.extend(reponse.as_bytes());
                    self.fin = commande == "fin";
                }
                Err(_) => {
                    eprintln!(
                        "erreur avec {} : commande qui n'est pas de l'UTF-8",
                        self.adresse
                    );
                    self.fin = true;
                    self.casse = true;
                }
            }
        }
    }

    /// Envoie ce que le noyau prend ; la place libérée relance le traitement
    /// des commandes en attente.
    pub fn envoyer(&mut self, flux: &mut impl Write) {
        while !self.sortie.is_empty() && !self.casse {
            let (debut, _) = self.sortie.as_slices();
            match flux.write(debut) {
                Ok(0) => self.casse = true,
                Ok(n) => {
                    self.sortie.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => self.casse = true,
            }
            if self.sortie.len() < SORTIE_MAX {
                self.traiter();
            }
        }
    }

    pub fn veut_lire(&self) -> bool {
        !self.fin && self.sortie.len() < SORTIE_MAX
    }

    pub fn a_envoyer(&self) -> bool {
        !self.sortie.is_empty()
    }

    pub fn terminee(&self) -> bool {
        self.casse || (self.fin && self.sortie.is_empty())
    }
}
