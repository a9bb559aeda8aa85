//! Étape 7 : l'écriture du journal échoue (R16). Pas besoin de remplir le
//! disque : le serveur est lancé avec une taille de fichier maximale
//! (RLIMIT_FSIZE) à peine au-dessus de son journal, et SIGXFSZ ignoré. Le
//! vote suivant ne tient pas : le noyau en écrit le début, jusqu'à la
//! limite, puis l'écriture échoue (EFBIG, « File too large »). C'est ce que
//! verrait un serveur sur un disque plein, ou sur un quota atteint.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::processus::Programme;
use crate::reseau;

use super::trames::{self, code};
use super::{Scrutin, decompte_de, echanger, jeton, nouveau_scrutin, regle_par_defaut, serveur};

/// Les votes déjà dans le journal au lancement : (jeton, option).
fn votes_du_journal() -> Vec<(String, u16)> {
    vec![(jeton(60), 1), (jeton(61), 2), (jeton(62), 2)]
}

/// Octets qu'un enregistrement de plus peut écrire avant la limite : la
/// moitié d'un enregistrement (20 octets pour ces jetons).
const PLACE_APRES_LE_JOURNAL: u64 = 10;

const INDICE: &str = "si l'écriture du journal (write_all ou sync_data) échoue, le vote n'a pas \
     eu lieu : ne le comptez pas, ne marquez pas le jeton, répondez ERREUR 8, et ramenez le \
     fichier à sa taille d'avant (set_len) — le début d'enregistrement déjà écrit serait sinon \
     un enregistrement déchiré au milieu du journal.";

/// Le serveur aura une taille de fichier maximale de `octets`, et SIGXFSZ
/// ignoré : une écriture au-delà échoue (EFBIG) au lieu de tuer le
/// programme. Une disposition ignorée et une limite survivent à `exec`.
fn limiter_la_taille_des_fichiers(commande: &mut Command, octets: u64) {
    // SAFETY: la fermeture n'appelle que signal(2) et setrlimit(2), sûrs
    // entre fork et exec ; la structure est locale. Abaisser une limite est
    // permis à tout processus.
    unsafe {
        commande.pre_exec(move || {
            if libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR {
                return Err(std::io::Error::last_os_error());
            }
            let limite = libc::rlimit {
                rlim_cur: octets as libc::rlim_t,
                rlim_max: octets as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limite) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Attend, au plus `delai`, que le journal soit redevenu `attendu` ; rend
/// son contenu au moment où l'on cesse d'attendre.
fn attendre_le_journal(scrutin: &Scrutin, attendu: &[u8], delai: Duration) -> Vec<u8> {
    let limite = Instant::now() + delai;
    loop {
        let present = std::fs::read(scrutin.journal()).unwrap_or_default();
        if present == attendu || Instant::now() >= limite {
            return present;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Étape 7 : le journal ne peut plus grandir. Le vote est refusé
/// (ERREUR 8), il n'est pas compté, le journal revient à sa taille d'avant,
/// le même électeur peut réessayer (ERREUR 8 encore, pas « déjà voté »), et
/// le serveur sert toujours. Relancé sans limite, le serveur accepte ce vote
/// avec le reçu n° 4.
pub fn serveur_7_ecriture_du_journal_impossible(binaire: &Path) -> Result<(), Diagnostic> {
    regle_par_defaut(observer(binaire), "R16")
}

fn observer(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(7, "l'écriture du journal échoue");
    let scrutin = nouveau_scrutin(&etape)?;
    let anciens = votes_du_journal();
    let journal: Vec<u8> = anciens
        .iter()
        .flat_map(|(j, o)| trames::enregistrement(j, *o))
        .collect();
    std::fs::write(scrutin.journal(), &journal)
        .map_err(|e| etape.echec(format!("Le correcteur n'a pas pu écrire le journal : {e}.")))?;
    let limite = journal.len() as u64 + PLACE_APRES_LE_JOURNAL;
    let port = reseau::port_libre();
    let arguments = scrutin.arguments(port);
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let mut programme = Programme::lancer_regle(binaire, "serveur", &arguments, |commande| {
        limiter_la_taille_des_fichiers(commande, limite)
    })
    .map_err(|e| {
        etape
            .echec(format!("Impossible de lancer {} : {e}.", binaire.display()))
            .indice("le programme a-t-il bien été compilé ? (cargo build)")
    })?;
    super::attendre_ecoute(&etape, &mut programme, port)?;
    let situation = format!(
        "Journal de {} octets (3 votes), serveur lancé avec une taille de fichier maximale de \
         {limite} octets : le vote suivant ne tient pas (EFBIG)",
        journal.len()
    );
    let (nouveau, option) = (jeton(63), 3u16);
    let mut flux = etape.connecter(&mut programme, port)?;
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::voter(&nouveau, option),
        &trames::erreur(code::JOURNAL),
        &format!("{situation} ; réponse à VOTER(« {nouveau} », option {option})"),
    )
    .map_err(|d| d.indice(INDICE))?;
    let present = attendre_le_journal(&scrutin, &journal, super::DELAI_REPONSE);
    if present != journal {
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "{situation} : le serveur a répondu ERREUR 8, mais le journal n'est pas \
                     revenu à sa dernière taille valide ({} au lieu de {}).",
                    crate::diagnostic::octets(present.len()),
                    journal.len()
                ),
            )
            .ecart(journal.clone(), present)
            .indice(INDICE));
    }
    // Une autre connexion : ERREUR 8 peut aussi fermer la première.
    let mut flux = etape.connecter(&mut programme, port)?;
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::voter(&nouveau, option),
        &trames::erreur(code::JOURNAL),
        &format!(
            "Après ce refus, réponse à un nouvel essai de « {nouveau} » (son vote n'a pas eu \
             lieu : pas « déjà voté »)"
        ),
    )
    .map_err(|d| d.indice(INDICE))?;
    let mut flux = etape.connecter(&mut programme, port)?;
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::resultats(),
        &decompte_de(anciens.iter().map(|v| v.1)),
        "Après ces deux refus (ERREUR 8), réponse à RESULTATS sur une nouvelle connexion : \
         seuls les 3 votes du journal comptent",
    )
    .map_err(|d| super::rejeu_compte_double(d).indice(INDICE))?;
    // Relancé sans limite sur le même journal, le vote passe enfin.
    drop(flux);
    drop(programme);
    let (mut programme, port) = super::demarrer(&etape, binaire, &scrutin)?;
    let mut flux = etape.connecter(&mut programme, port)?;
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::voter(&nouveau, option),
        &trames::recu(anciens.len() as u32 + 1),
        &format!("Relancé sans limite sur le même journal, réponse à VOTER(« {nouveau} », option {option})"),
    )
    .map_err(|d| d.indice(INDICE))?;
    echanger(
        &etape,
        &programme,
        &mut flux,
        &trames::resultats(),
        &decompte_de(anciens.iter().map(|v| v.1).chain([option])),
        "Relancé sans limite, après ce vote, réponse à RESULTATS",
    )
    .map_err(|d| d.indice(INDICE))
}
