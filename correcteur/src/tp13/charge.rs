//! Les étapes de charge : mille clients connectés ensemble, et un client
//! qui commande sans jamais lire ses réponses.

use std::io::{self, Write};
use std::net::Shutdown;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_REPONSE, Etape};
use crate::reseau::Raison;

use super::bar::{Bar, Client};
use super::{decimal, fenetre, serveur, sondes};
use crate::tp12::enfreint;

/// Nombre de clients connectés ensemble à l'étape 5.
const MILLE: usize = 1000;
/// Les premiers d'entre eux arrivent pendant que le serveur est suspendu :
/// à son réveil, un seul événement signale toute la file d'attente.
const RAFALE: usize = 50;
/// Descripteurs nécessaires en plus des mille sockets des clients.
const MARGE_DE_DESCRIPTEURS: u64 = 100;
/// Le temps laissé aux mille connexions pour s'établir, toutes ensemble.
const DELAI_DES_CONNEXIONS: Duration = Duration::from_secs(10);

/// Longueur de chaque commande du client gourmand, `\n` compris.
const LONGUEUR: usize = 1000;
/// Commandes préparées d'un coup par le client gourmand.
const PAR_LOT: usize = 64;
/// Tampons de socket du client gourmand : petits, pour que le noyau soit
/// vite plein de son côté.
const TAMPON_ETROIT: usize = 16 * 1024;
/// Sans progrès d'une écriture pendant ce délai, le client gourmand est bloqué.
const PAUSE_BLOCAGE: Duration = Duration::from_millis(300);
/// Au-delà, on cesse d'envoyer même si le serveur lit toujours.
const PLAFOND: usize = 32 << 20;
/// Au-delà, on cesse d'envoyer même si le serveur lit toujours, lentement.
const DUREE_MAX_DU_GAVAGE: Duration = Duration::from_secs(30);
/// Croissance de la mémoire du serveur au-delà de laquelle ses tampons ne
/// sont manifestement pas bornés.
const MEMOIRE_EN_TROP: u64 = 8 << 20;
/// Le temps laissé à la fin des commandes du client gourmand pour partir,
/// une fois toutes ses réponses lues.
const DELAI_DU_RESTE: Duration = Duration::from_secs(5);

const INDICE_ECRITURE: &str = "write() peut n'accepter qu'une partie des octets, ou aucun \
     (WouldBlock) quand le tampon d'émission de la socket est plein : ne retirez du tampon de \
     sortie que les n octets partis, gardez le reste, et abonnez la connexion à WRITABLE jusqu'à \
     ce qu'il soit vide.";

const INDICE_REPRISE: &str = "une connexion en pause doit reprendre sa lecture dès que sa \
     sortie repasse sous la limite, sans attendre d'événement : les commandes arrivées pendant la \
     pause sont déjà dans le noyau, epoll ne les signalera plus.";

const INDICE_CONTRE_PRESSION: &str = "la contre-pression : au-delà d'une limite (64 Kio par \
     exemple) de réponses en attente, cessez de lire ce client (plus d'Interest::READABLE) ; ses \
     commandes attendent dans le noyau, puis TCP fait attendre son write(). Reprenez la lecture \
     quand le tampon de sortie s'est vidé.";

// ─── Étape 5 : mille clients ───────────────────────────────────────────────

/// Vérifie que la limite de descripteurs permet mille clients : le
/// correcteur en ouvre un par client, et le serveur, qui hérite de la même
/// limite, aussi.
fn limite_suffisante(limite: u64) -> Result<(), String> {
    let besoin = MILLE as u64 + MARGE_DE_DESCRIPTEURS;
    if limite >= besoin {
        return Ok(());
    }
    Err(format!(
        "La limite du nombre de descripteurs ouverts (ulimit -n) vaut {limite} : c'est trop \
         peu pour mille clients connectés ensemble. Le correcteur ouvre une socket par client, \
         et le serveur, qui hérite de la même limite, aussi : il en faut au moins {besoin}.\n\
         Ce n'est pas une erreur de votre programme."
    ))
}

fn commande_du_client(rang: usize) -> String {
    format!("Un verre d'eau pour le client n°{rang}")
}

/// Étape 5 : mille clients se connectent et restent connectés ; les
/// cinquante premiers arrivent ensemble, pendant que le serveur est
/// suspendu. Chacun commande une fois, et chacun doit recevoir sa réponse.
pub fn serveur_5_mille_clients(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_5_mille_clients_controle(binaire).map_err(|d| enfreint(d, "R7"))
}

fn serveur_5_mille_clients_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(5, "mille clients connectés ensemble");
    let besoin = MILLE as u64 + MARGE_DE_DESCRIPTEURS;
    limite_suffisante(sondes::relever_limite_de_descripteurs(besoin)).map_err(|explication| {
        etape.echec(explication).indice(
            "le correcteur a déjà relevé la limite souple jusqu'à la limite dure (ulimit -Hn) \
             : c'est elle qui est trop basse. Relevez-la en root (limits.conf, ou \
             LimitNOFILE= pour systemd), ou lancez les tests dans un shell où \
             ulimit -Hn dépasse 1100.",
        )
    })?;
    let max_clients = MILLE.to_string();
    let mut bar = Bar::ouvrir(&etape, binaire, &["--max-clients", &max_clients])?;
    let limite = Instant::now() + DELAI_DES_CONNEXIONS;
    let mut rafale = Vec::with_capacity(RAFALE);
    {
        // Le serveur suspendu (SIGSTOP) n'accepte personne ; le noyau, lui,
        // établit les connexions et les range dans la file de listen().
        let _suspendu = sondes::Suspension::suspendre(bar.pid());
        for rang in 1..=RAFALE {
            rafale.push(bar.entrer_avant(&etape, format!("client n°{rang}"), limite)?);
        }
    }
    let situation = format!(
        ", alors que les {RAFALE} premiers clients sont arrivés ensemble, le serveur suspendu"
    );
    commandes_et_reponses(&etape, &mut bar, &mut rafale, 1, &situation)
        .map_err(|d| rafale_oubliee(d, &bar))?;
    let mut suivants = Vec::with_capacity(MILLE - RAFALE);
    for rang in RAFALE + 1..=MILLE {
        suivants.push(bar.entrer_avant(&etape, format!("client n°{rang}"), limite)?);
    }
    let situation = format!(", alors que {MILLE} clients sont connectés ensemble");
    commandes_et_reponses(&etape, &mut bar, &mut suivants, RAFALE + 1, &situation)
}

/// Chaque client commande, puis chacun lit sa réponse : les commandes
/// arrivent presque ensemble au serveur.
fn commandes_et_reponses(
    etape: &Etape,
    bar: &mut Bar,
    clients: &mut [Client],
    premier_rang: usize,
    situation: &str,
) -> Result<(), Diagnostic> {
    for (rang, client) in (premier_rang..).zip(clients.iter_mut()) {
        bar.envoyer(
            etape,
            client,
            format!("{}\n", commande_du_client(rang)).as_bytes(),
        )?;
    }
    for (rang, client) in (premier_rang..).zip(clients.iter_mut()) {
        bar.reponse(etape, client, &commande_du_client(rang), situation)?;
    }
    Ok(())
}

/// Un client de la rafale n'a pas été servi : combien d'entre eux le
/// serveur a-t-il acceptés (son journal le dit) ?
fn rafale_oubliee(mut d: Diagnostic, bar: &Bar) -> Diagnostic {
    let acceptes = bar.acceptes_parmi_les_premiers(RAFALE);
    if acceptes == RAFALE {
        return d;
    }
    d.explication.push_str(&format!(
        "\nCes {RAFALE} clients sont arrivés pendant que le serveur était suspendu (SIGSTOP) : \
         à son réveil, un seul événement signalait toute la file d'attente de listen(). Le \
         serveur n'en a accepté que {acceptes} (lignes « Client connecté » de son journal)."
    ));
    d.indice(
        "un événement sur la socket d'écoute peut annoncer plusieurs clients : appelez accept() \
         en boucle jusqu'à WouldBlock.",
    )
}

// ─── Étape 6 : le client qui ne lit pas ────────────────────────────────────

/// La commande n°`rang` du client gourmand : toutes ont la même longueur
/// (LONGUEUR octets avec le `\n`), ce qui permet de compter les commandes
/// parties d'après le nombre d'octets.
fn commande_gourmande(rang: usize) -> String {
    let debut = format!("tournée n°{rang:07} ");
    let bourrage = ".".repeat(LONGUEUR - 1 - debut.len());
    debut + &bourrage
}

/// Les octets de `nombre` commandes à partir de la n°`premiere`.
fn lot(premiere: usize, nombre: usize) -> Vec<u8> {
    (premiere..premiere + nombre)
        .flat_map(|rang| format!("{}\n", commande_gourmande(rang)).into_bytes())
        .collect()
}

/// Un volume en mébioctets, à la française : `3,7`.
fn mio(octets: usize) -> String {
    decimal(octets as f64 / (1 << 20) as f64, 1)
}

/// Étape 6 : un client « gourmand » envoie des commandes sans jamais lire
/// les réponses, jusqu'à ce que les tampons du noyau soient pleins et que
/// son write() n'avance plus. Pendant ce temps, un autre client doit être
/// servi, et la mémoire du serveur ne doit pas enfler. Quand le gourmand
/// lit enfin, il doit recevoir chaque réponse, intacte et dans l'ordre.
pub fn serveur_6_client_qui_ne_lit_pas(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_6_client_qui_ne_lit_pas_controle(binaire).map_err(|d| enfreint(d, "R8"))
}

fn serveur_6_client_qui_ne_lit_pas_controle(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(6, "un client qui ne lit pas ses réponses");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut gourmand = bar.entrer_a_l_etroit(&etape, "client gourmand", TAMPON_ETROIT)?;
    let memoire_avant = sondes::memoire_residente(bar.pid());
    let (envoyes, bloque) = gaver(&etape, &mut bar, &mut gourmand)?;

    let situation = format!(
        ", alors que le client gourmand a envoyé {} commandes ({} Mio) sans lire une seule \
         réponse",
        envoyes / LONGUEUR,
        mio(envoyes)
    );
    let mut presse = bar.entrer(&etape, "client pressé")?;
    bar.commander(&etape, &mut presse, "Un café serré", &situation)?;

    let memoire_apres = sondes::memoire_residente(bar.pid());
    if let (Some(avant), Some(apres)) = (memoire_avant, memoire_apres)
        && apres > avant + MEMOIRE_EN_TROP
    {
        let lecture = if bloque {
            ""
        } else {
            ", et le serveur n'a jamais cessé de les lire"
        };
        return Err(etape
            .echec_de(
                &bar.programme,
                format!(
                    "Le client gourmand a envoyé {} Mio de commandes sans lire aucune \
                     réponse{lecture} : pendant ce temps, la mémoire du serveur a grossi de \
                     {} Mio (VmRSS, /proc/{}/status).\nSes réponses s'entassent dans le \
                     tampon de sortie, sans limite : quelques clients de ce genre suffiraient \
                     à épuiser la mémoire du serveur.",
                    mio(envoyes),
                    mio((apres - avant) as usize),
                    bar.pid()
                ),
            )
            .indice(INDICE_CONTRE_PRESSION));
    }
    relire(&etape, &mut bar, &mut gourmand, envoyes)
}

/// Envoie des commandes pour le client gourmand, sans rien lire, jusqu'à ce
/// que le serveur cesse de les lire (rend `true`), ou jusqu'au PLAFOND (rend
/// `false`). Rend aussi le nombre d'octets partis.
///
/// Le client n'écrit que ce que la fenêtre de réception du serveur laisse
/// partir aussitôt ([`fenetre`]) : quand il s'arrête, rien n'attend dans sa
/// file d'émission qui pourrait arriver plus tard et réveiller un serveur
/// fautif (vu sous charge : tp13-pause-sans-reprise accepté 1 fois sur 15).
///
/// Une fenêtre fermée (ou une écriture qui n'avance plus) pendant
/// PAUSE_BLOCAGE ne suffit pas à conclure : sur une machine chargée, le
/// serveur peut simplement ne pas avoir eu de processeur. Le serveur a cessé
/// de lire quand des octets attendent dans **sa** file de réception
/// (/proc/net/tcp) alors qu'il dort ([`a_travaille`]) ; sinon, il lit encore,
/// ou va lire, et l'envoi continue.
fn gaver(etape: &Etape, bar: &mut Bar, gourmand: &mut Client) -> Result<(usize, bool), Diagnostic> {
    let serveur = std::net::SocketAddr::from((crate::reseau::BOUCLE_LOCALE, bar.port));
    let flux = gourmand.lecteur.flux();
    let client = flux.local_addr().ok();
    let a_cesse_de_lire = || {
        let non_lus = client.and_then(|c| crate::tp12::files_d_attente(serveur, c));
        !matches!(non_lus, Some((_, 0)))
    };
    flux.set_write_timeout(Some(PAUSE_BLOCAGE))
        .and_then(|()| flux.set_nodelay(true))
        .map_err(|e| {
            etape.echec(format!(
                "Le correcteur n'a pas pu régler la socket du client gourmand : {e}."
            ))
        })?;
    let pid = bar.pid();
    let mut envoyes = 0;
    let mut fermee_depuis: Option<(Instant, Option<sondes::Ordonnancement>)> = None;
    let limite = Instant::now() + DUREE_MAX_DU_GAVAGE;
    while envoyes < PLAFOND && Instant::now() < limite {
        let permis = match fenetre::mesurer(flux) {
            Some(f) if f.libre > 0 && f.en_attente == 0 => f.libre,
            // Fenêtre fermée, ou octets pas encore partis : on attend, sans
            // rien écrire de plus, que le serveur lise ou qu'il soit établi
            // qu'il a cessé de lire.
            Some(_) => {
                let (depuis, avant) = *fermee_depuis
                    .get_or_insert_with(|| (Instant::now(), sondes::ordonnancement(pid)));
                if depuis.elapsed() >= PAUSE_BLOCAGE {
                    if !a_travaille(pid, avant) && a_cesse_de_lire() {
                        return Ok((envoyes, true));
                    }
                    fermee_depuis = None;
                }
                std::thread::sleep(Duration::from_millis(1));
                continue;
            }
            None => usize::MAX,
        };
        fermee_depuis = None;
        let octets = lot(envoyes / LONGUEUR, PAR_LOT);
        let morceau = &octets[envoyes % LONGUEUR..];
        match flux.write(&morceau[..morceau.len().min(permis)]) {
            Ok(n) if n > 0 => envoyes += n,
            // Rien n'est parti pendant PAUSE_BLOCAGE : tout est plein, si le
            // serveur laisse des octets non lus (ou si la table est illisible).
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if a_cesse_de_lire() {
                    return Ok((envoyes, true));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            resultat => {
                let raison = match resultat {
                    Err(e) => e.to_string(),
                    Ok(_) => "écriture de 0 octet".to_string(),
                };
                let d = etape
                    .echec_de(
                        &bar.programme,
                        format!(
                            "Le serveur a coupé la connexion du client gourmand, qui avait \
                             envoyé {} commandes sans lire les réponses ({raison}).",
                            envoyes / LONGUEUR
                        ),
                    )
                    .indice(
                        "un client qui tarde à lire n'est pas en faute : ne le fermez pas, \
                         cessez seulement de lire ses commandes tant que ses réponses \
                         s'accumulent.",
                    );
                return Err(bar.constat(d, "client gourmand"));
            }
        }
    }
    Ok((envoyes, false))
}

/// Vrai si le serveur a tourné, ou attendu son tour pour tourner, pendant
/// une part notable du temps écoulé depuis `avant` (`/proc/PID/task/*/schedstat`) :
/// ses octets non lus ne prouvent pas alors qu'il a choisi de ne plus lire,
/// il n'a peut-être pas eu de processeur (vu sous charge : un serveur qui lit
/// tout, tp13-ecriture-supposee-complete, pris pour un serveur en pause).
/// Sans ces compteurs (hors de Linux), faux.
fn a_travaille(pid: u32, avant: Option<sondes::Ordonnancement>) -> bool {
    let (Some(avant), Some(apres)) = (avant, sondes::ordonnancement(pid)) else {
        return false;
    };
    let ecart = apres.depuis(&avant);
    ecart.sur_processeur + ecart.en_attente > PAUSE_BLOCAGE / 10
}

/// Le client gourmand lit enfin ses réponses : celles de toutes ses
/// commandes complètes doivent arriver, intactes et dans l'ordre. Ensuite
/// seulement, il finit d'envoyer sa dernière commande, puis « fin » : leurs
/// réponses et la fermeture doivent suivre.
///
/// Pendant cette lecture, le correcteur n'envoie rien : aucun octet nouveau
/// ne vient réveiller un serveur qui, sorti de sa pause, attendrait un
/// événement au lieu de reprendre sa lecture (R8). Envoyer la fin en même
/// temps le sauvait parfois : arrivée après sa dernière lecture, elle lui
/// donnait l'événement qu'il attendait (vu sous charge : 1 preuve sur 67).
fn relire(
    etape: &Etape,
    bar: &mut Bar,
    gourmand: &mut Client,
    envoyes: usize,
) -> Result<(), Diagnostic> {
    let completes = envoyes / LONGUEUR;
    let commandes = envoyes.div_ceil(LONGUEUR);
    let mut reste = Vec::new();
    if commandes > completes {
        reste.extend_from_slice(&lot(completes, 1)[envoyes % LONGUEUR..]);
    }
    reste.extend_from_slice(b"fin\n");
    let resultat = lire_les_reponses(etape, bar, gourmand, 0..completes).and_then(|()| {
        envoyer_le_reste(etape, bar, gourmand, &reste)?;
        lire_les_reponses(etape, bar, gourmand, completes..commandes)?;
        bar.reponse(etape, gourmand, "fin", " après toutes ses autres réponses")?;
        etape.fin_de_flux(&mut gourmand.lecteur, &bar.programme)
    });
    if resultat.is_err() {
        let _ = gourmand.lecteur.flux().shutdown(Shutdown::Both);
    }
    resultat
}

/// Envoie la fin de la dernière commande et « fin » : quelques centaines
/// d'octets, que le tampon d'envoi du correcteur accepte d'un coup (toutes
/// les réponses sont lues, le serveur lit de nouveau).
fn envoyer_le_reste(
    etape: &Etape,
    bar: &Bar,
    gourmand: &mut Client,
    reste: &[u8],
) -> Result<(), Diagnostic> {
    let flux = gourmand.lecteur.flux();
    flux.set_write_timeout(Some(DELAI_DU_RESTE))
        .and_then(|()| flux.write_all(reste))
        .map_err(|e| {
            etape.echec_de(
                &bar.programme,
                format!(
                    "Le client gourmand a lu toutes ses réponses, mais la fin de sa dernière \
                     commande et « fin » ne partent pas en {} s ({e}) : le serveur ne lit plus \
                     sa connexion.",
                    DELAI_DU_RESTE.as_secs()
                ),
            )
        })
}

fn lire_les_reponses(
    etape: &Etape,
    bar: &mut Bar,
    gourmand: &mut Client,
    rangs: std::ops::Range<usize>,
) -> Result<(), Diagnostic> {
    let commandes = rangs.end;
    for rang in rangs {
        let attendue = crate::tp12::reponse(&commande_gourmande(rang));
        let lu = gourmand.lecteur.ligne(DELAI_REPONSE);
        let silence = matches!(&lu, Err(e) if matches!(e.raison, Raison::Delai));
        let (explication, recu) = match lu {
            Ok(ligne) if ligne == attendue.as_bytes() => continue,
            Ok(ligne) => (
                format!(
                    "Le client gourmand lit enfin ses réponses : la n°{} (sur {commandes}) n'est \
                     pas celle attendue. Des octets ont été perdus, ou mélangés, pendant qu'il \
                     ne lisait pas.",
                    rang + 1
                ),
                ligne,
            ),
            Err(incomplete) => {
                let quoi = match incomplete.raison {
                    Raison::Delai => format!(
                        "plus rien n'arrive pendant {} s : des réponses ont été perdues, ou le \
                         serveur n'envoie plus rien",
                        DELAI_REPONSE.as_secs()
                    ),
                    Raison::Fin => format!(
                        "le serveur a fermé la connexion : {} réponses manquent",
                        commandes - rang
                    ),
                    Raison::Erreur(e) => format!("erreur de lecture : {e}"),
                };
                (
                    format!(
                        "Le client gourmand lit enfin ses réponses : après la n°{rang} (sur \
                         {commandes}), {quoi}."
                    ),
                    incomplete.recu,
                )
            }
        };
        let mut d = etape
            .echec_de(&bar.programme, explication)
            .ecart(attendue, recu)
            .indice(INDICE_ECRITURE);
        if silence {
            d = bar.expliquer_le_blocage(d.indice(INDICE_REPRISE));
        }
        return Err(bar.constat(d, "client gourmand"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn la_limite_de_descripteurs_trop_basse_est_expliquee() {
        assert!(limite_suffisante(20_000).is_ok());
        let explication = limite_suffisante(1024).expect_err("1024 < 1100");
        assert!(explication.contains("ulimit -n") && explication.contains("1100"));
    }

    #[test]
    fn les_commandes_du_gourmand_ont_toutes_la_meme_longueur() {
        assert_eq!(lot(0, 1).len(), LONGUEUR);
        assert_eq!(lot(1_234_567, 3).len(), 3 * LONGUEUR);
        // Une commande du protocole fait au plus 1024 octets.
        const { assert!(LONGUEUR <= 1024) };
    }
}
