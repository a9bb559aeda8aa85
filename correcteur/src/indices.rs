//! Des erreurs système aux pistes de correction.
//!
//! Un message comme « Connection refused (os error 111) » dit ce qui s'est
//! passé, pas quoi faire : ce module traduit les cas fréquents en conseils.

use std::io;

/// Une piste pour une erreur d'entrée-sortie vue par le correcteur.
pub fn pour_erreur(erreur: &io::Error) -> Option<&'static str> {
    use io::ErrorKind::*;
    Some(match erreur.kind() {
        ConnectionRefused => {
            "connexion refusée : personne n'écoute sur ce port. Le serveur est-il lancé, \
             a-t-il appelé listen(), écoute-t-il sur le port reçu en argument ?"
        }
        AddrInUse => {
            "adresse déjà utilisée. En TCP : un autre programme, ou une exécution précédente \
             restée en TIME_WAIT, occupe ce port ; activez SO_REUSEADDR avant bind(). Pour \
             une socket locale (AF_UNIX) : le fichier de la socket existe déjà ; s'il est \
             périmé (connect() y est refusé), supprimez-le avant bind()."
        }
        BrokenPipe => "tube cassé : le pair avait déjà fermé la connexion quand on lui a écrit.",
        ConnectionReset => {
            "connexion réinitialisée (RST) : le pair s'est arrêté brutalement, ou a fermé \
             sa socket alors que des octets reçus n'avaient pas été lus."
        }
        NotFound => {
            "fichier introuvable : pour une socket locale, le serveur n'a pas encore créé \
             son fichier (bind) ou l'a déjà supprimé."
        }
        PermissionDenied => {
            "permission refusée : les ports inférieurs à 1024 sont réservés à root, \
             et un fichier de socket obéit aux droits du dossier."
        }
        AddrNotAvailable => "adresse indisponible : cette adresse n'appartient pas à la machine.",
        TimedOut | WouldBlock => "délai dépassé : rien n'est arrivé à temps.",
        _ => return None,
    })
}

/// Une piste tirée de ce que le programme a écrit sur sa sortie d'erreur.
pub fn dans_les_erreurs(texte: &str) -> Option<&'static str> {
    const PAR_CODE: [(&str, io::ErrorKind); 5] = [
        ("(os error 98)", io::ErrorKind::AddrInUse),
        ("(os error 111)", io::ErrorKind::ConnectionRefused),
        ("(os error 104)", io::ErrorKind::ConnectionReset),
        ("(os error 32)", io::ErrorKind::BrokenPipe),
        ("(os error 2)", io::ErrorKind::NotFound),
    ];
    if texte.contains("not yet implemented") {
        return Some(
            "le programme s'est arrêté sur un todo!() : c'est l'étape indiquée dans le \
             message ci-dessous qu'il faut écrire maintenant.",
        );
    }
    if let Some((_, nature)) = PAR_CODE.iter().find(|(code, _)| texte.contains(code)) {
        return pour_erreur(&io::Error::from(*nature));
    }
    if texte.contains("panicked") {
        return Some(
            "le programme a paniqué (voir le message ci-dessous) : une erreur réseau se \
             traite avec un message clair, pas avec unwrap().",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconnait_un_todo() {
        let texte = "thread 'main' panicked at src/serveur.rs:12:5:\nnot yet implemented: Étape 1";
        assert!(dans_les_erreurs(texte).is_some_and(|i| i.contains("todo!()")));
    }

    #[test]
    fn reconnait_une_adresse_occupee() {
        let texte = "erreur : bind: Address already in use (os error 98)";
        assert!(dans_les_erreurs(texte).is_some_and(|i| i.contains("SO_REUSEADDR")));
    }

    #[test]
    fn silencieux_sans_rien_a_dire() {
        assert_eq!(dans_les_erreurs("tout va bien"), None);
        assert_eq!(pour_erreur(&io::Error::other("autre")), None);
    }
}
