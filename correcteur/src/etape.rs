//! Une étape de correction, et les gestes qu'elle répète : lancer le
//! programme, le joindre, lire une ligne attendue, attendre sa fin. Chaque
//! geste qui échoue rend un [`Diagnostic`] complet.

use std::io;
use std::net::{Shutdown, TcpStream};
use std::path::Path;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::indices;
use crate::processus::Programme;
use crate::reseau::{self, Injoignable, Lecteur, LectureIncomplete, Raison, ServeurDeReference};
use crate::table_des_sockets;

/// Le temps laissé à un programme pour démarrer (se connecter, écouter).
pub const DELAI_DEMARRAGE: Duration = Duration::from_secs(5);
/// Le temps laissé à un programme pour répondre, fermer ou s'arrêter.
pub const DELAI_REPONSE: Duration = Duration::from_secs(2);
/// Le temps laissé au message d'une panique pour arriver du programme,
/// quand sa connexion vient de se fermer.
const PANIQUE_EN_ROUTE: Duration = Duration::from_millis(500);

/// Le côté testé.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cote {
    Serveur,
    Client,
    /// Le client de l'étudiant avec son propre serveur.
    Croise,
}

/// Une étape : « TP09 · serveur · étape 2 — message de bienvenue ».
#[derive(Debug, Clone, Copy)]
pub struct Etape {
    pub tp: &'static str,
    pub cote: Cote,
    pub numero: u8,
    pub nom: &'static str,
}

impl Etape {
    /// Un échec de cette étape, avec son explication.
    pub fn echec(&self, explication: impl Into<String>) -> Diagnostic {
        let cote = match self.cote {
            Cote::Serveur => "serveur",
            Cote::Client => "client",
            Cote::Croise => "client et serveur ensemble",
        };
        Diagnostic::nouveau(
            format!(
                "{} · {cote} · étape {} — {}",
                self.tp, self.numero, self.nom
            ),
            explication,
        )
    }

    /// Un échec qui montre aussi ce que le programme a écrit, et la piste
    /// que sa sortie d'erreur suggère.
    pub fn echec_de(&self, programme: &Programme, explication: impl Into<String>) -> Diagnostic {
        let mut diagnostic = self.echec(explication).sortie(programme.dernieres_lignes());
        if let Some(indice) = indices::dans_les_erreurs(&programme.erreurs()) {
            diagnostic = diagnostic.indice(indice);
        }
        diagnostic
    }

    /// Vrai si le programme s'est arrêté sur le `todo!()` d'une étape
    /// **suivante** (« Étape N » avec N plus grand que celle-ci) : le code de
    /// cette étape-ci a donc tourné jusqu'au bout sans erreur. C'est le cas
    /// d'un étudiant qui vient de finir cette étape : elle doit passer, même
    /// si ce qu'elle observait (une écoute, une socket attachée) a disparu
    /// avec le programme.
    pub fn arrete_plus_loin(&self, programme: &Programme) -> bool {
        arrete_apres_l_etape(programme, self.numero)
    }

    /// Lance le binaire testé dans son rôle.
    pub fn lancer(
        &self,
        binaire: &Path,
        role: &str,
        args: &[&str],
    ) -> Result<Programme, Diagnostic> {
        Programme::lancer(binaire, role, args).map_err(|e| {
            self.echec(format!("Impossible de lancer {} : {e}.", binaire.display()))
                .indice("le programme a-t-il bien été compilé ? (cargo build)")
        })
    }

    /// Se connecte au serveur testé, qui démarre (relances bornées).
    pub fn connecter(&self, serveur: &mut Programme, port: u16) -> Result<TcpStream, Diagnostic> {
        reseau::connecter(port, serveur, DELAI_DEMARRAGE)
            .map_err(|e| self.serveur_injoignable(e, serveur, port))
    }

    /// L'étape 1 d'un serveur : il écoute sur `port` (le correcteur s'y
    /// connecte). Un programme qui vient de finir cette étape s'arrête
    /// aussitôt après, sur le `todo!()` de l'étape 2 : il n'écoute alors
    /// qu'un instant. L'étape est tout de même acquise s'il a annoncé ce
    /// port avant de s'arrêter là.
    pub fn ecoute_au_demarrage(
        &self,
        serveur: &mut Programme,
        port: u16,
    ) -> Result<(), Diagnostic> {
        match reseau::connecter(port, serveur, DELAI_DEMARRAGE) {
            Ok(_) => Ok(()),
            Err(Injoignable::Arrete(_))
                if self.arrete_plus_loin(serveur)
                    && serveur
                        .dernieres_lignes()
                        .iter()
                        .any(|l| l.contains(&port.to_string())) =>
            {
                Ok(())
            }
            Err(raison) => Err(self.serveur_injoignable(raison, serveur, port)),
        }
    }

    /// Attend que le serveur testé écoute sur `port`, sans s'y connecter.
    pub fn attendre_ecoute(&self, serveur: &mut Programme, port: u16) -> Result<(), Diagnostic> {
        reseau::attendre_ecoute(port, serveur, DELAI_DEMARRAGE)
            .map_err(|e| self.serveur_injoignable(e, serveur, port))
    }

    /// Le diagnostic d'un serveur injoignable sur `port`. S'il a annoncé ce
    /// port avant de s'arrêter, il a bien écouté : le dire, plutôt que
    /// « arrêté avant d'écouter » (il s'est le plus souvent arrêté sur le
    /// `todo!()` d'une étape suivante, que sa sortie d'erreur montre).
    pub fn serveur_injoignable(
        &self,
        raison: Injoignable,
        serveur: &Programme,
        port: u16,
    ) -> Diagnostic {
        match raison {
            Injoignable::Arrete(statut) if a_annonce(serveur, port) => self.echec_de(
                serveur,
                format!(
                    "Le {} a annoncé le port {port}, puis s'est arrêté ({}) avant que le \
                     correcteur ait pu s'y connecter.",
                    serveur.role,
                    statut_en_clair(statut)
                ),
            ),
            raison => {
                let mut diagnostic =
                    self.injoignable(raison, serveur, &format!("d'écouter sur le port {port}"));
                if let Some(constat) = occupants_si_port_pris(serveur, port) {
                    diagnostic.explication.push('\n');
                    diagnostic.explication.push_str(&constat);
                }
                diagnostic
            }
        }
    }

    /// Attend la connexion du client testé sur le serveur de référence.
    pub fn accepter(
        &self,
        reference: &ServeurDeReference,
        client: &mut Programme,
    ) -> Result<TcpStream, Diagnostic> {
        reference.accepter(client, DELAI_DEMARRAGE).map_err(|e| {
            self.injoignable(
                e,
                client,
                &format!("de se connecter au port {}", reference.port()),
            )
        })
    }

    /// Le diagnostic d'un programme qu'on n'a pas pu joindre.
    pub fn injoignable(
        &self,
        raison: Injoignable,
        programme: &Programme,
        attendu: &str,
    ) -> Diagnostic {
        match raison {
            Injoignable::Arrete(statut) => self.echec_de(
                programme,
                format!(
                    "Le {} s'est arrêté ({}) avant {attendu}.",
                    programme.role,
                    statut_en_clair(statut)
                ),
            ),
            Injoignable::Delai(erreur) => {
                let mut diagnostic = self.echec_de(
                    programme,
                    format!(
                        "En {} s, le {} n'a pas été en mesure {attendu}.",
                        DELAI_DEMARRAGE.as_secs(),
                        programme.role
                    ),
                );
                if let Some(indice) = erreur.as_ref().and_then(indices::pour_erreur) {
                    diagnostic = diagnostic.indice(indice);
                }
                diagnostic
            }
        }
    }

    /// Lit une ligne sur la connexion et la compare, octet pour octet, à `attendue`.
    /// `silence` explique ce que signifie une absence totale de réponse.
    pub fn lire_ligne(
        &self,
        lecteur: &mut Lecteur,
        programme: &Programme,
        attendue: &[u8],
        silence: &str,
    ) -> Result<(), Diagnostic> {
        match lecteur.ligne(DELAI_REPONSE) {
            Ok(recue) if recue == attendue => Ok(()),
            Ok(recue) => Err(self
                .echec_de(
                    programme,
                    format!("Le {} n'a pas envoyé la ligne attendue.", programme.role),
                )
                .ecart(attendue, recue)),
            Err(LectureIncomplete { recu, raison }) => {
                let pourquoi = match (&raison, recu.is_empty()) {
                    (Raison::Delai, true) => silence.to_string(),
                    (Raison::Delai, false) => format!(
                        "Ligne incomplète : pas de « \\n » après {} s.",
                        DELAI_REPONSE.as_secs()
                    ),
                    (Raison::Fin, _) => format!(
                        "Le {} a fermé la connexion avant la fin de la ligne attendue.",
                        programme.role
                    ),
                    (Raison::Erreur(e), _) => format!("Erreur en lisant la connexion : {e}."),
                };
                // Une connexion fermée ou réinitialisée accompagne souvent la
                // panique d'un fil ou d'une tâche du programme (un todo!()),
                // dont le message peut être encore dans le tube : on lui
                // laisse un instant (borné) pour arriver dans le diagnostic.
                if matches!(raison, Raison::Fin | Raison::Erreur(_)) {
                    programme.attendre_erreur("panicked", PANIQUE_EN_ROUTE);
                }
                let partielle = !recu.is_empty();
                let mut diagnostic = self.echec_de(programme, pourquoi).ecart(attendue, recu);
                if let Raison::Erreur(e) = &raison
                    && let Some(indice) = indices::pour_erreur(e)
                {
                    diagnostic = diagnostic.indice(indice);
                }
                if partielle && matches!(raison, Raison::Delai | Raison::Fin) {
                    diagnostic = diagnostic.indice(
                        "chaque message se termine par « \\n » : c'est ce qui permet au \
                         destinataire de savoir où il s'arrête.",
                    );
                }
                Err(diagnostic)
            }
        }
    }

    /// Vérifie que le programme affiche, à la suite, les lignes `attendues`.
    pub fn lignes_affichees(
        &self,
        programme: &Programme,
        attendues: &[&str],
        indice: &str,
    ) -> Result<(), Diagnostic> {
        programme
            .attendre_lignes(attendues, DELAI_REPONSE)
            .map_err(|(manquante, recue)| {
                let recue = recue.unwrap_or_default();
                self.echec_de(
                    programme,
                    format!(
                        "Le {} n'a pas affiché la ligne attendue, seule sur sa ligne.",
                        programme.role
                    ),
                )
                .ecart(manquante, recue)
                .indice(indice)
            })
    }

    /// Attend que le programme ferme la connexion (on lit 0 octet), puis
    /// ferme à son tour le sens d'émission du correcteur, comme le pair du
    /// chapitre, qui ferme sa socket dès qu'il a lu la fin du flux. Un
    /// programme qui ferme en bon ordre (`shutdown(Write)`, lecture jusqu'à
    /// la fin du flux, puis `drop`) attend ce 0 octet pour finir : le garder
    /// ouvert le ferait passer pour un programme qui ne se termine pas.
    pub fn fin_de_flux(
        &self,
        lecteur: &mut Lecteur,
        programme: &Programme,
    ) -> Result<(), Diagnostic> {
        let resultat = self.attendre_la_fin_du_flux(lecteur, programme);
        if resultat.is_ok() {
            // Une erreur ici (connexion déjà réinitialisée) ne change rien :
            // le programme a fermé, c'est ce qu'on vérifiait.
            let _ = lecteur.flux().shutdown(Shutdown::Write);
        }
        resultat
    }

    fn attendre_la_fin_du_flux(
        &self,
        lecteur: &mut Lecteur,
        programme: &Programme,
    ) -> Result<(), Diagnostic> {
        match lecteur.fin(DELAI_REPONSE) {
            Ok(reste) if reste.is_empty() => Ok(()),
            Ok(reste) => Err(self
                .echec_de(
                    programme,
                    format!(
                        "Le {} a envoyé des octets en trop avant de fermer.",
                        programme.role
                    ),
                )
                .ecart(Vec::new(), reste)),
            Err(LectureIncomplete {
                raison: Raison::Erreur(e),
                ..
            }) if e.kind() == io::ErrorKind::ConnectionReset => {
                // Une fermeture brutale (RST) reste une fermeture : on l'accepte.
                Ok(())
            }
            Err(LectureIncomplete { recu, raison }) => {
                let explication = match raison {
                    Raison::Erreur(e) => format!("Erreur en attendant la fermeture : {e}."),
                    _ => format!(
                        "Le {} n'a pas fermé la connexion dans les {} s qui ont suivi le dernier message.",
                        programme.role,
                        DELAI_REPONSE.as_secs()
                    ),
                };
                let mut diagnostic = self.echec_de(programme, explication).indice(
                    "fermez la socket quand l'échange est fini (drop, ou shutdown) : \
                     l'autre côté lit alors 0 octet, c'est la fin de flux.",
                );
                if !recu.is_empty() {
                    diagnostic = diagnostic.ecart(Vec::new(), recu);
                }
                Err(diagnostic)
            }
        }
    }

    /// Attend que le programme se termine avec le code 0.
    pub fn fin_normale(&self, programme: &mut Programme) -> Result<(), Diagnostic> {
        match programme.attendre_fin(DELAI_REPONSE) {
            Some(statut) if statut.success() => Ok(()),
            Some(statut) => Err(self.echec_de(
                programme,
                format!("Le {} s'est terminé en échec ({}) au lieu du code 0.", programme.role, statut_en_clair(statut)),
            )),
            None => Err(self
                .echec_de(
                    programme,
                    format!(
                        "Le {} tourne encore {} s après la fin de l'échange.",
                        programme.role,
                        DELAI_REPONSE.as_secs()
                    ),
                )
                .indice("une fois la connexion fermée, le programme a fini son travail : il doit se terminer.")),
        }
    }
}

/// Vrai si le programme a cité `port` sur sa sortie standard (son annonce).
fn a_annonce(programme: &Programme, port: u16) -> bool {
    let prefixe = format!("[{}] ", programme.role);
    programme.dernieres_lignes().iter().any(|ligne| {
        ligne.strip_prefix(&prefixe).is_some_and(|texte| {
            texte
                .split(|c: char| !c.is_ascii_digit())
                .any(|nombre| nombre == port.to_string())
        })
    })
}

/// « code 101 », « tué par le signal 9 » : un statut de fin lisible.
pub fn statut_en_clair(statut: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (statut.code(), statut.signal()) {
        (Some(code), _) => format!("code {code}"),
        (None, Some(signal)) => format!("tué par le signal {signal}"),
        _ => statut.to_string(),
    }
}

/// Vrai si le programme s'est arrêté sur le `todo!()` d'une étape de numéro
/// plus grand que `numero` (voir [`Etape::arrete_plus_loin`] ; pour les TP
/// qui ont leur propre type d'étape).
pub fn arrete_apres_l_etape(programme: &Programme, numero: u8) -> bool {
    programme
        .erreurs()
        .split("not yet implemented: Étape ")
        .skip(1)
        .filter_map(|suite| {
            let chiffres: String = suite.chars().take_while(char::is_ascii_digit).collect();
            chiffres.parse::<u8>().ok()
        })
        .any(|suivante| suivante > numero)
}

/// Si le serveur s'est arrêté sur « adresse déjà utilisée » (os error 98),
/// qui tient le port juste après : un serveur oublié dans un autre terminal,
/// une connexion en TIME_WAIT… ou plus personne (il a été libéré entre-temps).
fn occupants_si_port_pris(serveur: &Programme, port: u16) -> Option<String> {
    let refuse = serveur
        .dernieres_lignes()
        .iter()
        .any(|l| l.contains("(os error 98)") || l.contains("Address already in use"));
    if !refuse {
        return None;
    }
    let occupants = table_des_sockets::occupants_tcp(port)?;
    Some(if occupants.is_empty() {
        format!(
            "Juste après, plus aucune socket TCP n'occupe le port {port} sur la machine : \
             celle qui le tenait au moment du bind() a disparu depuis."
        )
    } else {
        format!(
            "Juste après, le port {port} est tenu sur la machine par :\n  - {}",
            occupants.join("\n  - ")
        )
    })
}
