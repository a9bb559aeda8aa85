//! Plus aucun descripteur libre : `accept()` échoue (EMFILE). Le veilleur
//! ne doit pas s'arrêter pour autant : dès qu'un client part, le suivant
//! est accepté.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_REPONSE, statut_en_clair};
use crate::processus::Programme;
use crate::reseau;

use super::serveur::{Bar, serveur};
use super::{arrivee, enfreint};

/// La limite de descripteurs du serveur (souple et dure : il ne peut pas la
/// relever). Un serveur à threads en ouvre 4 ou 5 avant son premier client.
const LIMITE_DE_DESCRIPTEURS: u64 = 32;
/// Au-delà, la limite n'a pas pris : l'étape ne peut rien vérifier.
const CLIENTS_MAX: usize = 64;
/// Les clients acceptés qui partent pour libérer des descripteurs.
const DEPARTS: usize = 4;

const INDICE: &str = "un accept() qui échoue (plus de descripteurs libres, client reparti \
     aussitôt…) n'arrête pas le veilleur : affichez l'erreur avec eprintln!, faites une courte \
     pause, et retournez dans accept. Ni `?`, ni unwrap(), ni break sur son résultat.";

/// Étape 4 : le serveur est lancé avec une limite de 32 descripteurs. Des
/// clients entrent, un à un, jusqu'à ce que l'un d'eux ne soit plus
/// accepté (accept() échoue : EMFILE). Le serveur doit être toujours là ;
/// quatre clients partent, et le client resté dans la file d'attente du
/// noyau doit alors être accepté et servi.
pub fn serveur_4_descripteurs_epuises(binaire: &Path) -> Result<(), Diagnostic> {
    controle(binaire).map_err(|d| enfreint(d, "R20"))
}

fn controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "plus de descripteurs libres : le veilleur continue");
    let port = reseau::port_libre();
    let port_texte = port.to_string();
    let mut programme =
        Programme::lancer_regle(binaire, "serveur", &["serveur", &port_texte], |c| {
            limiter_les_descripteurs(c, LIMITE_DE_DESCRIPTEURS)
        })
        .map_err(|e| {
            etape
                .echec(format!("Impossible de lancer {} : {e}.", binaire.display()))
                .indice("le programme a-t-il bien été compilé ? (cargo build)")
        })?;
    etape.attendre_ecoute(&mut programme, port)?;
    let mut bar = Bar { programme, port };
    // Un client est accepté quand sa ligne « Client connecté » paraît ;
    // celui dont la ligne ne vient pas en DELAI_REPONSE attend dans la file
    // du noyau : accept() a échoué pour lui.
    // Le premier client doit être accepté : sinon, ce n'est pas un manque
    // de descripteurs (une étape reste à écrire, ou le veilleur manque).
    let premier = bar.entrer(&etape, "client n°1")?;
    etape.lignes_affichees(
        &bar.programme,
        &[&arrivee(premier.adresse)],
        "le veilleur accepte chaque client et le note : « Client connecté : IP:PORT ».",
    )?;
    let mut acceptes = vec![premier];
    let en_attente = loop {
        if acceptes.len() >= CLIENTS_MAX {
            crate::non_verifiable::signaler(&format!(
                "TP12 · serveur · étape 4 — descripteurs épuisés : non vérifiable ici, le serveur \
                 a accepté {CLIENTS_MAX} clients malgré une limite de {LIMITE_DE_DESCRIPTEURS} \
                 descripteurs (la limite n'a pas pris sur cette machine)."
            ));
            return Ok(());
        }
        // Un serveur qui n'a plus de descripteur libre voit accept() échouer
        // aussitôt, même sans client en attente : celui qui s'arrête alors
        // est parti avant même que le suivant se connecte.
        let client = match bar.entrer(&etape, format!("client n°{}", acceptes.len() + 1)) {
            Ok(client) => client,
            Err(diagnostic) => {
                return Err(match arret(&mut bar.programme) {
                    Some(statut) => {
                        arrete_faute_de_descripteurs(&etape, &bar, acceptes.len(), statut)
                    }
                    None => diagnostic,
                });
            }
        };
        let ligne = arrivee(client.adresse);
        match bar.programme.attendre_lignes(&[&ligne], DELAI_REPONSE) {
            Ok(()) => acceptes.push(client),
            Err(_) => break client,
        }
    };
    if let Some(statut) = arret(&mut bar.programme) {
        return Err(arrete_faute_de_descripteurs(
            &etape,
            &bar,
            acceptes.len(),
            statut,
        ));
    }
    // Quatre clients partent : leurs sessions finissent, leurs descripteurs
    // se libèrent, et le veilleur doit pouvoir accepter le client en attente.
    let partis = acceptes.len().min(DEPARTS);
    acceptes.drain(..partis);
    let ligne = arrivee(en_attente.adresse);
    if bar
        .programme
        .attendre_lignes(&[&ligne], DELAI_REPONSE)
        .is_err()
    {
        let explication = match arret(&mut bar.programme) {
            Some(statut) => format!("le serveur s'est arrêté ({})", statut_en_clair(statut)),
            None => format!(
                "il n'a toujours pas été accepté {} s après ces départs",
                DELAI_REPONSE.as_secs()
            ),
        };
        return Err(etape
            .echec_de(
                &bar.programme,
                format!(
                    "Le serveur (limite de {LIMITE_DE_DESCRIPTEURS} descripteurs) a accepté {} \
                     clients, puis accept() a échoué (EMFILE) pour le {}. {partis} clients sont \
                     partis, libérant leurs descripteurs ; mais {explication}.",
                    acceptes.len() + partis,
                    en_attente.nom
                ),
            )
            .indice(INDICE));
    }
    let mut en_attente = en_attente;
    let situation = "alors que d'autres clients, entrés avant lui, sont encore connectés";
    let rang = acceptes.len();
    super::serveur::servi_en_meme_temps(
        &mut bar,
        &etape,
        &mut en_attente,
        "Enfin servi",
        rang,
        situation,
    )
}

/// Le serveur s'est arrêté quand ses descripteurs se sont épuisés.
fn arrete_faute_de_descripteurs(
    etape: &crate::etape::Etape,
    bar: &Bar,
    acceptes: usize,
    statut: std::process::ExitStatus,
) -> Diagnostic {
    etape
        .echec_de(
            &bar.programme,
            format!(
                "Le serveur (limite de {LIMITE_DE_DESCRIPTEURS} descripteurs) a accepté \
                 {acceptes} clients, puis s'est arrêté ({}) : ses descripteurs épuisés, accept() \
                 échoue (EMFILE), et le veilleur s'est arrêté au lieu d'attendre qu'un client \
                 parte.",
                statut_en_clair(statut)
            ),
        )
        .indice(INDICE)
}

/// Le statut du programme s'il s'est arrêté. Des sorties fermées annoncent
/// un arrêt que le noyau n'a peut-être pas encore rendu visible (le
/// processus ferme ses fichiers avant de devenir récoltable) : on attend
/// alors cet arrêt, borné, au lieu de le manquer d'un cheveu.
fn arret(programme: &mut Programme) -> Option<std::process::ExitStatus> {
    if programme.attendre_sorties_fermees(std::time::Duration::ZERO) {
        programme.attendre_fin(DELAI_REPONSE)
    } else {
        programme.statut()
    }
}

/// Le serveur aura au plus `limite` descripteurs ouverts (limite souple et
/// dure), posée entre fork et exec ; une limite survit à `exec`.
fn limiter_les_descripteurs(commande: &mut Command, limite: u64) {
    // SAFETY: la fermeture n'appelle que setrlimit(2), sûr entre fork et
    // exec ; la structure est locale. Abaisser une limite est permis à tout
    // processus.
    unsafe {
        commande.pre_exec(move || {
            let limite = libc::rlimit {
                rlim_cur: limite as libc::rlim_t,
                rlim_max: limite as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limite) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
