//! La sortie standard des outils, sans panique.
//!
//! `print!` panique quand l'écriture échoue : « failed printing to stdout »,
//! suivi d'une trace de pile. Deux cas ordinaires y mènent :
//!
//! - le lecteur est parti : `cargo corriger … | head -3` ferme le tube après
//!   trois lignes. Rust ignore SIGPIPE (un programme C en mourrait, sans
//!   bruit) ; l'écriture suivante échoue donc avec EPIPE ;
//! - la destination refuse : `cargo progression > notes.txt` sur un disque
//!   plein (ENOSPC).
//!
//! [`afficher!`](crate::afficher) et [`afficherln!`](crate::afficherln)
//! écrivent comme `print!` et `println!`. Un lecteur parti termine l'outil
//! en silence avec le code 0, comme le ferait SIGPIPE : il a lu ce qu'il
//! voulait. Toute autre erreur est dite en français sur la sortie d'erreur,
//! code 1 : un fichier tronqué ne doit pas passer pour complet.

use std::fmt;
use std::io::{self, Write};
use std::process;

/// Comme `print!`, sans panique si la sortie standard se ferme ou refuse
/// l'écriture (voir le module [`sortie`](crate::sortie)).
#[macro_export]
macro_rules! afficher {
    ($($morceaux:tt)*) => {
        $crate::sortie::ecrire(::std::format_args!($($morceaux)*))
    };
}

/// Comme `println!`, sans panique si la sortie standard se ferme ou refuse
/// l'écriture (voir le module [`sortie`](crate::sortie)).
#[macro_export]
macro_rules! afficherln {
    () => {
        $crate::sortie::ecrire(::std::format_args!("\n"))
    };
    ($($morceaux:tt)*) => {
        $crate::sortie::ecrire(::std::format_args!("{}\n", ::std::format_args!($($morceaux)*)))
    };
}

/// Écrit sur la sortie standard et vide le tampon : une erreur se voit ici,
/// pas plus tard (à la sortie du programme, où elle serait perdue). En cas
/// d'échec, termine le programme (voir [`Fin`]).
pub fn ecrire(morceaux: fmt::Arguments<'_>) {
    let mut sortie = io::stdout().lock();
    if let Err(erreur) = sortie.write_fmt(morceaux).and_then(|()| sortie.flush()) {
        drop(sortie);
        let fin = Fin::apres(&erreur);
        if let Some(message) = &fin.message {
            let _ = writeln!(io::stderr(), "{message}");
        }
        process::exit(fin.code);
    }
}

/// Comment finir après une écriture refusée sur la sortie standard.
#[derive(Debug, PartialEq, Eq)]
pub struct Fin {
    /// Le code de sortie du programme.
    pub code: i32,
    /// Le message pour la sortie d'erreur (aucun si le lecteur est parti).
    pub message: Option<String>,
}

impl Fin {
    /// EPIPE : le lecteur a fermé le tube, il a lu ce qu'il voulait (code 0,
    /// rien à dire). Le reste est une vraie erreur (code 1, dite).
    pub fn apres(erreur: &io::Error) -> Fin {
        if erreur.kind() == io::ErrorKind::BrokenPipe {
            Fin {
                code: 0,
                message: None,
            }
        } else {
            Fin {
                code: 1,
                message: Some(format!(
                    "erreur : écriture sur la sortie standard impossible ({erreur}) ; \
                     ce qui a été écrit jusqu'ici est incomplet."
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Un tube dont le lecteur est parti : l'écriture rend EPIPE (Rust
    /// ignore SIGPIPE), et l'outil finit en silence, code 0.
    #[test]
    fn un_lecteur_parti_finit_en_silence() {
        let (lecture, mut ecriture) = io::pipe().expect("tube");
        drop(lecture);
        let erreur = ecriture.write_all(b"ligne\n").expect_err("EPIPE attendu");
        assert_eq!(
            Fin::apres(&erreur),
            Fin {
                code: 0,
                message: None
            }
        );
    }

    /// Une autre erreur (disque plein) est dite, code 1.
    #[test]
    fn une_destination_qui_refuse_est_une_erreur_dite() {
        let erreur = io::Error::from(io::ErrorKind::StorageFull);
        let fin = Fin::apres(&erreur);
        assert_eq!(fin.code, 1);
        let message = fin.message.expect("un message");
        assert!(
            message.starts_with("erreur : écriture sur la sortie standard impossible"),
            "{message}"
        );
        assert!(message.contains("incomplet"), "{message}");
    }
}
