//! Le banc : quels serveurs, à quels niveaux de charge, et ce qu'on décide
//! de ne pas lancer (avec la raison, toujours affichée).
//!
//! Deux scénarios :
//! - **visites longues** : chaque client ouvre une connexion et y passe
//!   toutes ses commandes ; 100 000 réponses par mesure, réparties entre
//!   les clients (au moins 10 commandes chacun). C'est le coût d'une
//!   requête qui domine.
//! - **visites courtes** : 100 clients, chacun fait 100 visites de deux
//!   commandes (une commande, puis « fin »), une connexion par visite. C'est
//!   le coût d'une connexion (accept, fork ou thread, fermeture) qui domine.

use std::process::Command;

use crate::charge::Mode;
use crate::mesure::Rapport;

/// Les variables d'environnement que le banc retire aux serveurs qu'il
/// lance, parce qu'elles changeraient ce qu'on mesure. Héritée d'un shell
/// ou d'une CI, `PYTHONUNBUFFERED=1` ôte à Python le tampon de sa sortie :
/// chaque `print` du bar deviendrait un appel système `write`, coût que les
/// serveurs Rust n'auraient pas.
pub const VARIABLES_RETIREES: [&str; 1] = ["PYTHONUNBUFFERED"];

/// Retire à `commande` les variables de [`VARIABLES_RETIREES`] : le serveur
/// lancé ne les voit pas, même si le banc les a reçues.
pub fn environnement_de_mesure(commande: &mut Command) -> &mut Command {
    for variable in VARIABLES_RETIREES {
        commande.env_remove(variable);
    }
    commande
}

/// Les niveaux de charge : nombre de clients simultanés.
pub const NIVEAUX: [usize; 5] = [1, 10, 100, 1_000, 10_000];
/// Réponses par mesure, en visites longues.
pub const BUDGET: usize = 100_000;
/// Le plus petit nombre de commandes par visite longue.
pub const COMMANDES_MIN: usize = 10;
/// Les visites courtes : clients, visites par client, commandes par visite.
pub const COURTES: (usize, usize, usize) = (100, 100, 2);
/// Le `--max-clients` donné aux TP12 et TP13 : plus que le plus haut niveau.
pub const MAX_CLIENTS: &str = "20000";

/// Comment lancer un serveur ; `{port}` est remplacé par le port choisi.
#[derive(Clone, Copy, Debug)]
pub enum Programme {
    /// Un binaire de l'espace de travail, construit en release.
    Rust {
        binaire: &'static str,
        args: &'static [&'static str],
    },
    /// Un script de `performances/python/`, lancé par python3.
    Python { script: &'static str },
}

/// Un serveur du banc.
#[derive(Clone, Copy, Debug)]
pub struct Serveur {
    /// L'identifiant court (`--serveurs`, CSV).
    pub id: &'static str,
    /// Le nom dans le tableau et la légende.
    pub nom: &'static str,
    pub mode: Mode,
    /// Ses clients se donnent-ils rendez-vous ? Pas avec un serveur
    /// itératif : il ne sert qu'un client à la fois, le rendez-vous n'aurait
    /// jamais lieu.
    pub rendez_vous: bool,
    pub programme: Programme,
}

/// Les serveurs comparés, du plancher aux plus lents.
pub const SERVEURS: [Serveur; 7] = [
    Serveur {
        id: "echo",
        nom: "Écho (plancher)",
        mode: Mode::Echo,
        rendez_vous: true,
        programme: Programme::Rust {
            binaire: "plancher-echo",
            args: &["{port}"],
        },
    },
    Serveur {
        id: "tp13",
        nom: "TP13 · un thread, epoll",
        mode: Mode::Bar,
        rendez_vous: true,
        programme: Programme::Rust {
            binaire: "tp13-corrige",
            args: &["serveur", "{port}", "--max-clients", MAX_CLIENTS],
        },
    },
    Serveur {
        id: "tp15",
        nom: "TP15 · tâches tokio",
        mode: Mode::Bar,
        rendez_vous: true,
        programme: Programme::Rust {
            binaire: "tp15-corrige",
            args: &["serveur", "{port}", "--max-clients", MAX_CLIENTS],
        },
    },
    Serveur {
        id: "tp12",
        nom: "TP12 · un thread par client",
        mode: Mode::Bar,
        rendez_vous: true,
        programme: Programme::Rust {
            binaire: "tp12-corrige",
            args: &["serveur", "{port}", "--max-clients", MAX_CLIENTS],
        },
    },
    Serveur {
        id: "iteratif",
        nom: "Bar itératif (exemples)",
        mode: Mode::Bar,
        rendez_vous: false,
        programme: Programme::Rust {
            binaire: "exemple-bar",
            args: &["serveur", "{port}"],
        },
    },
    Serveur {
        id: "python-asyncio",
        nom: "Python · asyncio",
        mode: Mode::Bar,
        rendez_vous: true,
        programme: Programme::Python {
            script: "bar_asyncio.py",
        },
    },
    Serveur {
        id: "python-fork",
        nom: "Python · un processus par client",
        mode: Mode::Bar,
        rendez_vous: true,
        programme: Programme::Python {
            script: "bar_fork.py",
        },
    },
];

/// Une mesure à faire : combien de clients, de visites, de commandes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub clients: usize,
    pub visites: usize,
    pub commandes: usize,
    pub courtes: bool,
}

/// Les mesures du banc pour ces niveaux : les visites longues à chaque
/// niveau, puis les visites courtes (si le niveau 100 est demandé).
pub fn scenarios(niveaux: &[usize]) -> Vec<Scenario> {
    let mut liste: Vec<Scenario> = niveaux
        .iter()
        .map(|&clients| Scenario {
            clients,
            visites: 1,
            commandes: (BUDGET / clients).max(COMMANDES_MIN),
            courtes: false,
        })
        .collect();
    let (clients, visites, commandes) = COURTES;
    if niveaux.contains(&clients) {
        liste.push(Scenario {
            clients,
            visites,
            commandes,
            courtes: true,
        });
    }
    liste
}

/// La raison de ne pas lancer une mesure, ou `None` pour la lancer.
pub fn raison_de_ne_pas_lancer(serveur: &Serveur, scenario: &Scenario) -> Option<String> {
    if serveur.id == "python-fork" && scenario.clients >= 10_000 {
        let gio = (scenario.clients * PROCESSUS_PYTHON_KIO) as f64 / (1024.0 * 1024.0);
        return Some(format!(
            "non lancé : {} processus Python vivants à la fois, un par client (environ \
             {} Mio de mémoire propre chacun, soit ~{} Gio), à ordonnancer sur 2 cœurs : \
             la mesure serait celle de l'ordonnanceur et de la mémoire de la machine",
            crate::mesure::milliers(scenario.clients as u64),
            crate::mesure::decimal(PROCESSUS_PYTHON_KIO as f64 / 1024.0, 1),
            crate::mesure::decimal(gio, 0)
        ));
    }
    None
}

/// Mémoire propre (non partagée) d'un exécutant Python après fork(), en
/// Kio : mesurée sur cette machine, moyenne des Private_Dirty de
/// /proc/PID/smaps_rollup de 200 exécutants ayant servi une commande.
pub const PROCESSUS_PYTHON_KIO: usize = 1_080;

/// Chaque mesure est faite [`ESSAIS`] fois, en passes successives sur
/// tous les serveurs : une perturbation passagère de la machine ne touche
/// qu'un essai, pas toute une colonne.
pub const ESSAIS: usize = 3;

/// L'essai qu'on montre. Un échec ne se cache pas : s'il y en a un, c'est
/// lui. Sinon, le meilleur essai (le plus grand débit), avec l'étendue des
/// débits de tous : sur une machine partagée, les autres programmes ne
/// peuvent que ralentir un essai, jamais l'accélérer ; le meilleur est
/// celui qu'ils ont le moins dérangé.
pub fn retenir(essais: Vec<Issue>) -> Issue {
    let nombre = essais.len();
    let mut reussis = Vec::new();
    let mut premier_echec = None;
    let mut echecs = 0;
    for essai in essais {
        match essai {
            Issue::Mesure(c) if c.reussi() => reussis.push(c),
            autre => {
                echecs += 1;
                premier_echec.get_or_insert(autre);
            }
        }
    }
    let (min, max) = reussis
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(min, max), c| {
            (min.min(c.debit), max.max(c.debit))
        });
    let mut retenu = match premier_echec {
        Some(Issue::Mesure(c)) => c,
        Some(autre) => return autre,
        None => match reussis.iter().max_by(|a, b| a.debit.total_cmp(&b.debit)) {
            Some(meilleur) => meilleur.clone(),
            None => return Issue::Echec("aucun essai".to_string()),
        },
    };
    retenu.essais = nombre;
    retenu.essais_en_echec = echecs;
    if reussis.is_empty() {
        (retenu.debit_min, retenu.debit_max) = (retenu.debit, retenu.debit);
    } else {
        (retenu.debit_min, retenu.debit_max) = (min, max);
    }
    Issue::Mesure(retenu)
}

/// Ce qu'une mesure a donné : des chiffres, ou la raison de leur absence.
#[derive(Clone, Debug, PartialEq)]
pub enum Issue {
    Mesure(Chiffres),
    /// Décidé à l'avance : pas lancé.
    Ignore(String),
    /// Lancé, mais le serveur n'a pas pu être mesuré (il n'a pas démarré…).
    Echec(String),
}

/// Une ligne du tableau : un serveur, un scénario, une issue.
#[derive(Clone, Debug, PartialEq)]
pub struct Ligne {
    pub id: String,
    pub serveur: String,
    pub scenario: Scenario,
    pub issue: Issue,
    /// Ce qu'il faut savoir pour lire la ligne (vide le plus souvent).
    pub remarque: String,
}

/// Les chiffres d'une mesure, tels que le tableau et les graphiques les
/// montrent.
#[derive(Clone, Debug, PartialEq)]
pub struct Chiffres {
    pub debit: f64,
    pub p50_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    pub pic: usize,
    pub reponses: u64,
    pub prevues: u64,
    pub erreurs: usize,
    pub delai_depasse: bool,
    /// Le premier diagnostic, s'il y en a un.
    pub diagnostic: Option<String>,
    /// Essais faits, essais en échec, et l'étendue des débits des essais
    /// réussis : la variation d'un essai à l'autre sur cette machine.
    pub essais: usize,
    pub essais_en_echec: usize,
    pub debit_min: f64,
    pub debit_max: f64,
    /// Part d'un cœur occupée par l'outil de charge (1,0 = un cœur entier).
    pub processeur_outil: f64,
    /// Part d'un cœur occupée par le serveur (ses threads et ses processus
    /// fils récoltés), si on a pu la lire dans /proc.
    pub processeur_serveur: Option<f64>,
}

impl Chiffres {
    pub fn de(rapport: &Rapport) -> Chiffres {
        Chiffres {
            debit: rapport.debit(),
            p50_us: crate::mesure::micro(rapport.latences.p50),
            p99_us: crate::mesure::micro(rapport.latences.p99),
            max_us: crate::mesure::micro(rapport.latences.max),
            pic: rapport.pic,
            reponses: rapport.reponses,
            prevues: rapport.prevues(),
            erreurs: rapport.erreurs,
            delai_depasse: rapport.delai_depasse,
            diagnostic: rapport.diagnostics.first().cloned(),
            essais: 1,
            essais_en_echec: usize::from(!rapport.reussi()),
            debit_min: rapport.debit(),
            debit_max: rapport.debit(),
            processeur_outil: rapport.occupation(),
            processeur_serveur: None,
        }
    }

    /// Toutes les réponses, justes, à temps.
    pub fn reussi(&self) -> bool {
        self.erreurs == 0 && !self.delai_depasse && self.reponses == self.prevues
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn essai(debit: f64, erreurs: usize) -> Issue {
        Issue::Mesure(Chiffres {
            debit,
            p50_us: debit / 1000.0,
            p99_us: 1.0,
            max_us: 1.0,
            pic: 1,
            reponses: 10,
            prevues: 10,
            erreurs,
            delai_depasse: false,
            diagnostic: None,
            essais: 1,
            essais_en_echec: 0,
            debit_min: debit,
            debit_max: debit,
            processeur_outil: 1.0,
            processeur_serveur: None,
        })
    }

    #[test]
    fn on_retient_le_meilleur_essai() {
        let Issue::Mesure(c) = retenir(vec![essai(200.0, 0), essai(100.0, 0), essai(300.0, 0)])
        else {
            panic!("mesure attendue");
        };
        // Les latences viennent du même essai que le débit.
        assert_eq!((c.debit, c.p50_us), (300.0, 0.3));
        assert_eq!((c.debit_min, c.debit_max, c.essais), (100.0, 300.0, 3));
    }

    #[test]
    fn un_echec_ne_se_cache_pas() {
        let Issue::Mesure(c) = retenir(vec![essai(300.0, 0), essai(100.0, 2), essai(200.0, 0)])
        else {
            panic!("mesure attendue");
        };
        assert_eq!((c.debit, c.erreurs, c.essais_en_echec), (100.0, 2, 1));
        let absent = Issue::Echec("indisponible".to_string());
        assert_eq!(retenir(vec![essai(1.0, 0), absent.clone()]), absent);
    }

    #[test]
    fn cent_mille_reponses_par_mesure_longue() {
        let liste = scenarios(&NIVEAUX);
        assert_eq!(liste.len(), NIVEAUX.len() + 1);
        for s in liste.iter().filter(|s| !s.courtes) {
            assert_eq!(s.clients * s.commandes, BUDGET, "{s:?}");
        }
        assert!(liste.last().is_some_and(|s| s.courtes && s.clients == 100));
        assert!(!scenarios(&[1, 10]).iter().any(|s| s.courtes));
    }

    #[test]
    fn seul_le_fork_a_dix_mille_est_ecarte() {
        for serveur in &SERVEURS {
            for scenario in scenarios(&NIVEAUX) {
                let ecarte = raison_de_ne_pas_lancer(serveur, &scenario).is_some();
                assert_eq!(
                    ecarte,
                    serveur.id == "python-fork" && scenario.clients == 10_000
                );
            }
        }
    }

    #[test]
    fn les_serveurs_ne_voient_pas_pythonunbuffered() {
        // La variable est posée sur la commande, comme si le banc l'avait
        // héritée ; le nettoyage doit l'ôter au serveur lancé.
        let mut commande = Command::new("python3");
        commande.args([
            "-c",
            "import os, sys; print(os.environ.get('PYTHONUNBUFFERED', 'absente'), type(sys.stdout.buffer).__name__)",
        ]);
        commande.env("PYTHONUNBUFFERED", "1");
        let sortie = environnement_de_mesure(&mut commande)
            .output()
            .expect("python3 introuvable : il est nécessaire aux tests (voir le README)");
        assert!(sortie.status.success(), "python3 a échoué : {sortie:?}");
        assert_eq!(
            String::from_utf8_lossy(&sortie.stdout).trim(),
            // Sans la variable, la sortie de Python garde son tampon
            // (BufferedWriter) ; avec, ce serait un FileIO sans tampon.
            "absente BufferedWriter",
            "le serveur Python voit encore PYTHONUNBUFFERED"
        );
    }
}
