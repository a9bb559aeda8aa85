//! TP09 — client et serveur TCP.
//!
//! Le scénario (chapitre « TP09 » du livre) : le serveur accepte un client,
//! lui souhaite la bienvenue en une ligne, reçoit deux lignes, les affiche
//! et ferme. Tous les messages finissent par `\n`.
//!
//! Une fonction par étape du chapitre ; chacune lance le programme de
//! l'étudiant et joue l'autre côté. Les lignes sont envoyées d'un bloc,
//! octet par octet, ou en morceaux coupés au milieu d'un caractère : un
//! programme qui suppose « un `read` = un message » est démasqué.

use std::path::Path;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::etape::{Cote, DELAI_DEMARRAGE, DELAI_REPONSE, Etape};
use crate::reseau::{self, Lecteur, ServeurDeReference};

const TP: &str = "TP09";

/// Pause entre deux morceaux envoyés séparément.
const PAUSE_ENTRE_MORCEAUX: Duration = Duration::from_millis(30);
/// Pause entre deux octets, dans l'envoi octet par octet.
const PAUSE_ENTRE_OCTETS: Duration = Duration::from_millis(2);

/// La ligne de bienvenue du serveur.
pub fn bienvenue(port: u16) -> String {
    format!("Bonjour Client, je suis le serveur {port}, la connexion est établie\n")
}

/// Les deux lignes du client, dans l'ordre.
pub fn lignes_du_client(port: u16) -> [String; 2] {
    [
        format!("Bonjour Serveur {port}, nous sommes donc dans la phase de transfert\n"),
        format!("Serveur {port}, je vous dis au revoir\n"),
    ]
}

/// Une ligne telle qu'un programme doit l'afficher : sans son `\n`.
fn affichee(ligne: &str) -> &str {
    ligne.trim_end_matches('\n')
}

fn serveur(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Serveur,
        numero,
        nom,
    }
}

fn client(numero: u8, nom: &'static str) -> Etape {
    Etape {
        tp: TP,
        cote: Cote::Client,
        numero,
        nom,
    }
}

// ─── Le serveur de l'étudiant ──────────────────────────────────────────────

/// Lance le serveur sur un port libre et s'y connecte.
fn serveur_connecte(
    etape: &Etape,
    binaire: &Path,
) -> Result<(crate::processus::Programme, Lecteur, u16), Diagnostic> {
    let port = reseau::port_libre();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    let flux = etape.connecter(&mut programme, port)?;
    Ok((programme, Lecteur::new(flux), port))
}

/// Lance le serveur, s'y connecte et lit sa bienvenue.
fn serveur_accueillant(
    etape: &Etape,
    binaire: &Path,
) -> Result<(crate::processus::Programme, Lecteur, u16), Diagnostic> {
    let (programme, mut lecteur, port) = serveur_connecte(etape, binaire)?;
    lire_bienvenue(etape, &mut lecteur, &programme, port)?;
    Ok((programme, lecteur, port))
}

fn lire_bienvenue(
    etape: &Etape,
    lecteur: &mut Lecteur,
    programme: &crate::processus::Programme,
    port: u16,
) -> Result<(), Diagnostic> {
    let silence = format!(
        "Le serveur a accepté la connexion mais n'a rien envoyé en {} s, alors que le \
         correcteur, lui, attend sans rien envoyer : chacun attend l'autre, c'est un interblocage.",
        DELAI_REPONSE.as_secs()
    );
    etape
        .lire_ligne(lecteur, programme, bienvenue(port).as_bytes(), &silence)
        .map_err(|d| {
            d.indice(format!(
                "juste après accept(), envoyez la ligne de bienvenue avec write_all, avant \
                 toute lecture ; le port cité est celui où le serveur écoute ({port})."
            ))
        })
}

/// Étape 1 : le serveur écoute sur le port reçu en argument (ou l'a annoncé
/// avant de s'arrêter sur le `todo!()` de l'étape 2 : voir
/// [`Etape::ecoute_au_demarrage`]).
pub fn serveur_1_ecoute(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "écoute sur le port donné");
    let port = reseau::port_libre();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    etape.ecoute_au_demarrage(&mut programme, port)
}

/// Étape 2 : dès la connexion acceptée, la ligne de bienvenue, exacte.
pub fn serveur_2_bienvenue(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_accueillant(&serveur(2, "message de bienvenue"), binaire).map(|_| ())
}

/// Envoie les deux lignes du client au serveur testé, par morceaux de
/// `taille` octets, et vérifie qu'il les affiche.
fn serveur_affiche_les_lignes(
    etape: Etape,
    binaire: &Path,
    taille: usize,
    pause: Duration,
) -> Result<(), Diagnostic> {
    let (programme, mut lecteur, port) = serveur_accueillant(&etape, binaire)?;
    let lignes = lignes_du_client(port);
    let envoi =
        reseau::ecrire_en_morceaux(lecteur.flux(), lignes.concat().as_bytes(), taille, pause);
    etape
        .lignes_affichees(
            &programme,
            &[affichee(&lignes[0]), affichee(&lignes[1])],
            "TCP transporte un flux d'octets, pas des messages : un read() peut rendre un \
             morceau de ligne ou plusieurs lignes collées. Lisez jusqu'au « \\n » avec un seul \
             BufReader gardé pour toute la connexion (read_line).",
        )
        .map_err(|d| envoi_interrompu(d, envoi))
}

/// Si le programme a fermé pendant que le correcteur écrivait, l'écriture
/// échoue (tube cassé) : ce n'est pas le diagnostic — ce qu'il a affiché
/// l'est —, mais c'est une piste.
fn envoi_interrompu(diagnostic: Diagnostic, envoi: std::io::Result<()>) -> Diagnostic {
    match envoi {
        Err(_) => diagnostic.indice(
            "le programme a fermé la connexion avant la fin de l'envoi : il n'a pas \
             attendu la fin de la ligne.",
        ),
        Ok(()) => diagnostic,
    }
}

/// Étape 3 : les deux lignes arrivent d'un seul bloc (un seul segment TCP).
pub fn serveur_3_lignes_d_un_bloc(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_affiche_les_lignes(
        serveur(3, "deux lignes reçues d'un seul bloc"),
        binaire,
        usize::MAX,
        Duration::ZERO,
    )
}

/// Étape 3 bis : les deux lignes arrivent octet par octet.
pub fn serveur_3_lignes_octet_par_octet(binaire: &Path) -> Result<(), Diagnostic> {
    serveur_affiche_les_lignes(
        serveur(3, "deux lignes reçues octet par octet"),
        binaire,
        1,
        PAUSE_ENTRE_OCTETS,
    )
}

/// Étape 4 : après la seconde ligne, le serveur ferme et se termine (code 0).
pub fn serveur_4_fermeture(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(4, "fermeture de la connexion");
    let (mut programme, mut lecteur, port) = serveur_accueillant(&etape, binaire)?;
    reseau::ecrire_en_morceaux(
        lecteur.flux(),
        lignes_du_client(port).concat().as_bytes(),
        usize::MAX,
        Duration::ZERO,
    )
    .map_err(|e| {
        etape.echec_de(
            &programme,
            format!("Le correcteur n'a pas pu envoyer les deux lignes : {e}."),
        )
    })?;
    etape.fin_de_flux(&mut lecteur, &programme)?;
    etape.fin_normale(&mut programme)
}

// ─── Le client de l'étudiant ───────────────────────────────────────────────

/// Lance le client vers le serveur de référence et attend sa connexion.
fn client_connecte(
    etape: &Etape,
    binaire: &Path,
    hote: &str,
) -> Result<(crate::processus::Programme, Lecteur, u16), Diagnostic> {
    let reference = ServeurDeReference::ouvrir().map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu ouvrir son serveur de référence : {e}."
        ))
    })?;
    let port = reference.port();
    let mut programme = etape.lancer(binaire, "client", &["client", hote, &port.to_string()])?;
    let flux = etape.accepter(&reference, &mut programme)?;
    Ok((programme, Lecteur::new(flux), port))
}

/// Lance le client, accepte sa connexion et lui envoie la bienvenue.
fn client_accueilli(
    etape: &Etape,
    binaire: &Path,
) -> Result<(crate::processus::Programme, Lecteur, u16), Diagnostic> {
    let (programme, mut lecteur, port) = client_connecte(etape, binaire, "127.0.0.1")?;
    reseau::ecrire_en_morceaux(
        lecteur.flux(),
        bienvenue(port).as_bytes(),
        usize::MAX,
        Duration::ZERO,
    )
    .map_err(|e| {
        etape.echec_de(
            &programme,
            format!("Le correcteur n'a pas pu envoyer la bienvenue : {e}."),
        )
    })?;
    Ok((programme, lecteur, port))
}

/// Étape 1 : le client se connecte à l'hôte et au port donnés (ici
/// `localhost`, à résoudre en adresse).
pub fn client_1_connexion(binaire: &Path) -> Result<(), Diagnostic> {
    client_connecte(&client(1, "connexion au serveur"), binaire, "localhost").map(|_| ())
}

/// Étape 1 bis : sans serveur, un message clair et un code d'échec, pas de panique.
pub fn client_1_sans_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(1, "aucun serveur à l'écoute");
    let (_reserve, port) = reseau::port_sans_serveur()
        .map_err(|e| etape.echec(format!("Le correcteur n'a pas pu réserver un port : {e}.")))?;
    let mut programme = etape.lancer(
        binaire,
        "client",
        &["client", "127.0.0.1", &port.to_string()],
    )?;
    let Some(statut) = programme.attendre_fin(DELAI_DEMARRAGE) else {
        return Err(etape.echec_de(
            &programme,
            format!(
                "Personne n'écoute sur le port {port}, et le client tourne encore après {} s.",
                DELAI_DEMARRAGE.as_secs()
            ),
        ));
    };
    let erreurs = programme.erreurs();
    if erreurs.contains("panicked") {
        return Err(etape
            .echec_de(
                &programme,
                "Sans serveur, le client a paniqué au lieu d'expliquer le problème.",
            )
            .indice(
                "ne faites pas unwrap() sur connect() : transmettez l'erreur (?) avec un \
                 contexte en français, et affichez-la sur la sortie d'erreur.",
            ));
    }
    if statut.success() {
        return Err(etape
            .echec_de(
                &programme,
                "Sans serveur, le client s'est terminé avec le code 0, comme si tout allait bien.",
            )
            .indice(
                "un échec se signale par un code de sortie non nul (std::process::ExitCode).",
            ));
    }
    if erreurs.trim().is_empty() {
        return Err(etape
            .echec_de(
                &programme,
                "Sans serveur, le client s'est arrêté sans rien écrire sur la sortie d'erreur.",
            )
            .indice("dites à l'utilisateur ce qui se passe : eprintln!, sur la sortie d'erreur."));
    }
    Ok(())
}

/// Étape 2 : la bienvenue, envoyée en morceaux (coupés au milieu d'un
/// caractère), s'affiche en entier, sur une ligne.
pub fn client_2_bienvenue(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(2, "réception de la bienvenue en plusieurs morceaux");
    let (programme, mut lecteur, port) = client_connecte(&etape, binaire, "127.0.0.1")?;
    let ligne = bienvenue(port);
    // Le dernier morceau commence au milieu du « é » de « établie » (2 octets en UTF-8).
    let coupure = ligne.find("établie").map_or(ligne.len() / 2, |i| i + 1);
    let (debut, fin) = ligne.as_bytes().split_at(coupure);
    let debut_moitie = debut.len() / 2;
    let envoi = [&debut[..debut_moitie], &debut[debut_moitie..], fin]
        .into_iter()
        .try_for_each(|morceau| {
            reseau::ecrire_en_morceaux(lecteur.flux(), morceau, usize::MAX, PAUSE_ENTRE_MORCEAUX)
        });
    etape
        .lignes_affichees(
            &programme,
            &[affichee(&ligne)],
            "la bienvenue est arrivée en trois morceaux : un seul read() n'en rend qu'une \
             partie. Lisez jusqu'au « \\n » (BufReader::read_line).",
        )
        .map_err(|d| envoi_interrompu(d, envoi))
}

/// Étape 3 : les deux lignes du client, exactes et dans l'ordre.
pub fn client_3_envoi(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "envoi des deux lignes");
    let (programme, mut lecteur, port) = client_accueilli(&etape, binaire)?;
    let silence = "Le client n'a rien envoyé après la bienvenue.";
    for ligne in lignes_du_client(port) {
        etape.lire_ligne(&mut lecteur, &programme, ligne.as_bytes(), silence)?;
    }
    Ok(())
}

/// Étape 4 : après ses deux lignes, le client ferme et se termine (code 0).
pub fn client_4_fermeture(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(4, "fermeture de la connexion");
    let (mut programme, mut lecteur, port) = client_accueilli(&etape, binaire)?;
    for ligne in lignes_du_client(port) {
        etape.lire_ligne(
            &mut lecteur,
            &programme,
            ligne.as_bytes(),
            "Le client n'a rien envoyé.",
        )?;
    }
    etape.fin_de_flux(&mut lecteur, &programme)?;
    etape.fin_normale(&mut programme)
}

// ─── Les deux ensemble ─────────────────────────────────────────────────────

/// Le client de l'étudiant contre son propre serveur.
pub fn croise_client_et_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = Etape {
        tp: TP,
        cote: Cote::Croise,
        numero: 1,
        nom: "votre client avec votre serveur",
    };
    let port = reseau::port_libre();
    let mut serveur = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    etape.attendre_ecoute(&mut serveur, port)?;
    let mut client = etape.lancer(
        binaire,
        "client",
        &["client", "127.0.0.1", &port.to_string()],
    )?;
    let croise = |d: Diagnostic| d.sortie(serveur.dernieres_lignes());
    etape
        .lignes_affichees(
            &client,
            &[affichee(&bienvenue(port))],
            "le client affiche la bienvenue du serveur.",
        )
        .map_err(croise)?;
    let lignes = lignes_du_client(port);
    etape
        .lignes_affichees(
            &serveur,
            &[affichee(&lignes[0]), affichee(&lignes[1])],
            "le serveur affiche les deux lignes du client.",
        )
        .map_err(|d| d.sortie(client.dernieres_lignes()))?;
    etape
        .fin_normale(&mut client)
        .map_err(|d| d.sortie(serveur.dernieres_lignes()))?;
    etape
        .fin_normale(&mut serveur)
        .map_err(|d| d.sortie(client.dernieres_lignes()))
}
