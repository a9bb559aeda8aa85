//! Les étapes aux limites : le redémarrage sur le même port, une ligne de
//! 1024 octets tout juste (et un de plus), le client inactif congédié.

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::etape::DELAI_REPONSE;

use super::serveur::{Bar, ferme_sans_repondre, serveur, servi_en_meme_temps};
use super::{COMPLET, depart, enfreint, reponse};

/// La longueur maximale d'une commande, `\n` compris.
const LONGUEUR_MAX: usize = 1024;
/// Le délai d'inactivité donné au serveur (serveur_4_inactivite), en secondes.
const INACTIVITE: u64 = 1;
/// Pause entre deux essais, quand on attend qu'une place se libère.
const PAUSE_ESSAI: Duration = Duration::from_millis(20);

/// Étape 4 : le bar, arrêté juste après une session qu'il a fermée le
/// premier (sa socket de service reste en TIME_WAIT), se relance aussitôt
/// sur le même port.
pub fn serveur_4_redemarrage(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "relancé aussitôt sur le même port");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut client = bar.entrer(&etape, "client")?;
    bar.dire_fin(&etape, &mut client)?;
    let port = bar.port;
    // Arrêter le serveur (le drop le tue et attend sa fin), puis le relancer.
    drop(bar);
    let mut relance = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    etape.ecoute_au_demarrage(&mut relance, port).map_err(|d| {
        enfreint(d, "R2").indice(
            "la connexion que le serveur a fermée le premier reste quelques dizaines de \
                 secondes en TIME_WAIT, sur ce port : sans SO_REUSEADDR \
                 (set_reuse_address(true) avant bind), bind échoue (« Address already in use »).",
        )
    })
}

/// Étape 4 : une commande de 1024 octets tout juste (`\n` compris) est
/// servie ; une de 1025 octets ferme la connexion de ce client, sans
/// réponse.
pub fn serveur_4_ligne_de_1024_octets(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "une ligne de 1024 octets tout juste, puis de 1025");
    let mut bar = Bar::ouvrir(&etape, binaire, &[])?;
    let mut client = bar.entrer(&etape, "client")?;
    let juste = "b".repeat(LONGUEUR_MAX - 1);
    bar.commander(&etape, &mut client, &juste).map_err(|d| {
        enfreint(d, "R9").indice(
            "une commande fait au plus 1024 octets, « \\n » compris : celle-ci (1023 octets et \
             son « \\n ») est permise. Bornez la lecture à 1024 octets, pas 1023.",
        )
    })?;
    let mut fautif = bar.entrer(&etape, "client bavard")?;
    let situation = "alors que le premier client, entré avant lui, est encore connecté";
    servi_en_meme_temps(&mut bar, &etape, &mut fautif, "Un café", 1, situation)?;
    let trop = format!("{}\n", "c".repeat(LONGUEUR_MAX));
    bar.envoyer(&etape, &mut fautif, trop.as_bytes())?;
    ferme_sans_repondre(
        &mut bar,
        &etape,
        &mut fautif,
        "une ligne de 1025 octets, « \\n » compris (un de plus que la limite)",
    )
    .map_err(|d| {
        enfreint(d, "R9").indice(
            "au-delà de 1024 octets sans « \\n », ce n'est plus une commande : fermez la \
             connexion sans répondre.",
        )
    })
}

/// Étape 4 : avec `--inactivite 1`, un client qui se tait plus d'une
/// seconde est congédié : le serveur ferme sa connexion sans rien envoyer,
/// note son départ, et sa place se libère (`--max-clients 1`).
pub fn serveur_4_inactivite(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "--inactivite : le client muet est congédié");
    let secondes = INACTIVITE.to_string();
    let mut bar = Bar::ouvrir(
        &etape,
        binaire,
        &["--max-clients", "1", "--inactivite", &secondes],
    )?;
    let mut muet = bar.entrer(&etape, "client muet")?;
    bar.commander(&etape, &mut muet, "Un café")
        .map_err(|d| enfreint(d, "R12"))?;
    let debut = Instant::now();
    let indice = "lancé avec --inactivite S, le serveur ferme la connexion d'un client qui n'a \
                  rien envoyé depuis S secondes (set_read_timeout sur la socket de service : la \
                  lecture échoue avec WouldBlock ou TimedOut).";
    match muet
        .lecteur
        .fin(Duration::from_secs(INACTIVITE) + DELAI_REPONSE)
    {
        Ok(reste) if reste.is_empty() => {}
        resultat => {
            let recu = match resultat {
                Ok(reste) => reste,
                Err(incomplete) => incomplete.recu,
            };
            let mut d = etape.echec_de(
                &bar.programme,
                format!(
                    "Lancé avec --inactivite {INACTIVITE}, le serveur devait fermer la \
                     connexion d'un client muet depuis {INACTIVITE} s ; après {} s, il ne l'a \
                     pas fait.",
                    debut.elapsed().as_secs()
                ),
            );
            let ouverte = recu.is_empty();
            if !recu.is_empty() {
                d = d.ecart(Vec::new(), recu);
            }
            let d = bar.constat(d, "client muet");
            let d = bar.socket_gardee(d, &muet, ouverte);
            return Err(enfreint(d, "R12").indice(indice));
        }
    }
    if debut.elapsed() < Duration::from_millis(INACTIVITE * 1000 / 2) {
        return Err(enfreint(
            etape.echec_de(
                &bar.programme,
                format!(
                    "Le serveur a fermé la connexion du client muet au bout de {} ms, avant \
                     le délai d'inactivité ({INACTIVITE} s).",
                    debut.elapsed().as_millis()
                ),
            ),
            "R12",
        )
        .indice(indice));
    }
    etape
        .lignes_affichees(
            &bar.programme,
            &[&depart(muet.adresse)],
            "un client congédié est parti : notez-le (« Client parti : IP:PORT »).",
        )
        .map_err(|d| {
            // Arrêté : la lecture en échec (délai écoulé) de cette session a
            // arrêté le serveur entier, au lieu de fermer sa seule connexion
            // (R8). Sinon, c'est le départ qui n'est pas noté (R3).
            let d = bar.constat(d, "client muet");
            if bar.arrete() {
                enfreint(d, "R8").indice(
                    "le délai écoulé fait échouer la lecture de cette session seulement : \
                     l'exécutant ferme sa connexion et se termine, le serveur continue.",
                )
            } else {
                enfreint(d, "R3")
            }
        })?;
    // Sa place (la seule, --max-clients 1) se libère : l'exécutant la rend
    // juste après avoir fermé, on réessaie donc pendant un court délai.
    let limite = Instant::now() + DELAI_REPONSE;
    loop {
        let mut suivant = bar.entrer(&etape, "client suivant")?;
        bar.envoyer(&etape, &mut suivant, b"Un th\xc3\xa9\n")?;
        match suivant.lecteur.ligne(DELAI_REPONSE) {
            Ok(ligne) if ligne == COMPLET.as_bytes() && Instant::now() < limite => {
                thread::sleep(PAUSE_ESSAI);
            }
            Ok(ligne) if ligne == reponse("Un thé").as_bytes() => return Ok(()),
            resultat => {
                let recu = match resultat {
                    Ok(ligne) => ligne,
                    Err(incomplete) => incomplete.recu,
                };
                let d = etape
                    .echec_de(
                        &bar.programme,
                        "Le client muet congédié devait rendre sa place (la seule, \
                         --max-clients 1), et le client suivant être servi.",
                    )
                    .ecart(reponse("Un thé"), recu)
                    .indice("le client congédié rend sa place, comme un client parti.");
                return Err(enfreint(bar.constat(d, "client suivant"), "R12"));
            }
        }
    }
}

/// Étape 1 : le port est déjà pris par une autre socket en écoute : le bar
/// l'explique sur sa sortie d'erreur et s'arrête avec le code 1, sans
/// panique (R18).
pub fn serveur_1_port_pris(binaire: &Path) -> Result<(), Diagnostic> {
    crate::arret_explique::serveur_sur_un_port_pris(
        &serveur(1, "port déjà pris"),
        binaire,
        &[],
        "R18",
    )
}
