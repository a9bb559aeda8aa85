//! Les étapes du client de l'étudiant : le correcteur joue le serveur.

use std::path::Path;

use std::time::Duration;

use super::processus_linux::{self, Attente};
use super::{
    PAUSE_ENTRE_MORCEAUX, affichee, bienvenue, client, completer_si_parti, echec_explique,
    envoi_interrompu, envoyer_morceau_par_morceau, fermer_l_ecriture, fin_de_l_echange,
    lignes_du_client,
};
use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_DEMARRAGE, DELAI_REPONSE, Etape};
use crate::processus::Programme;
use crate::reseau::{self, Lecteur, ServeurDeReference};

/// Le temps laissé au noyau pour livrer des octets déjà écrits.
const LIVRAISON: Duration = Duration::from_millis(300);

/// Lance le client vers le serveur de référence et attend sa connexion (R15).
fn client_connecte(
    etape: &Etape,
    binaire: &Path,
    hote: &str,
) -> Result<(Programme, Lecteur, u16), Diagnostic> {
    let reference = ServeurDeReference::ouvrir().map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu ouvrir son serveur de référence : {e}."
        ))
    })?;
    client_connecte_a(etape, binaire, &reference, hote)
}

/// Lance le client vers `hote` et le port du serveur de référence donné, et
/// attend sa connexion.
fn client_connecte_a(
    etape: &Etape,
    binaire: &Path,
    reference: &ServeurDeReference,
    hote: &str,
) -> Result<(Programme, Lecteur, u16), Diagnostic> {
    let port = reference.port();
    let mut programme = etape.lancer(binaire, "client", &["client", hote, &port.to_string()])?;
    let flux = etape
        .accepter(reference, &mut programme)
        .map_err(|d| d.enfreint("R15"))?;
    Ok((programme, Lecteur::new(flux), port))
}

/// Lance le client, accepte sa connexion et lui envoie la bienvenue.
fn client_accueilli(
    etape: &Etape,
    binaire: &Path,
) -> Result<(Programme, Lecteur, u16), Diagnostic> {
    let (programme, mut lecteur, port) = client_connecte(etape, binaire, "127.0.0.1")?;
    reseau::envoyer(lecteur.flux(), bienvenue(port).as_bytes()).map_err(|e| {
        etape.echec_de(
            &programme,
            format!("Le correcteur n'a pas pu envoyer la bienvenue : {e}."),
        )
    })?;
    Ok((programme, lecteur, port))
}

/// Lit les deux lignes du client, exactes et dans l'ordre (R21).
fn lire_les_deux_lignes(
    etape: &Etape,
    lecteur: &mut Lecteur,
    programme: &mut Programme,
    port: u16,
) -> Result<(), Diagnostic> {
    let silence = "Le client n'a rien envoyé après la bienvenue.";
    for ligne in lignes_du_client(port) {
        etape
            .lire_ligne(lecteur, programme, ligne.as_bytes(), silence)
            .map_err(|d| completer_si_parti(d, lecteur, programme).enfreint("R21"))?;
    }
    Ok(())
}

/// Étape 1 : le client se connecte à l'hôte et au port donnés (ici
/// `localhost`, à résoudre en adresse ; R15) et affiche l'adresse du
/// serveur (R16).
pub fn client_1_connexion(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(1, "connexion au serveur");
    let (programme, _lecteur, port) = client_connecte(&etape, binaire, "localhost")?;
    let attendue = format!("Connecté au serveur {}:{port}", reseau::BOUCLE_LOCALE);
    programme
        .attendre_lignes(&[&attendue], DELAI_REPONSE)
        .map_err(|(attendue, recue)| {
            etape
                .echec_de(
                    &programme,
                    "Le client est connecté, mais n'affiche pas l'adresse du serveur.",
                )
                .ecart(attendue, recue.unwrap_or_default())
                .indice(
                    "affichez l'adresse à laquelle la connexion a réussi (peer_addr), pas le \
                     nom demandé : localhost peut désigner plusieurs adresses.",
                )
                .enfreint("R16")
        })
}

/// Étape 1 : l'hôte peut être une adresse IPv6. Lancé avec `::1`, le client
/// joint le serveur de référence, qui n'écoute que sur la boucle locale
/// IPv6, et affiche son adresse (`[::1]:PORT`) (R25).
pub fn client_1_ipv6(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(1, "hôte IPv6 (::1)");
    let Some(reference) = ServeurDeReference::ouvrir_ipv6_ou_le_dire("TP09 · client_1_ipv6")
    else {
        return Ok(());
    };
    let indice = reseau::INDICE_CLIENT_IPV6;
    let (programme, _lecteur, port) = client_connecte_a(&etape, binaire, &reference, "::1")
        .map_err(|d| d.indice(indice).enfreint("R25"))?;
    let attendue = format!("Connecté au serveur [::1]:{port}");
    programme
        .attendre_lignes(&[&attendue], DELAI_REPONSE)
        .map_err(|(attendue, recue)| {
            etape
                .echec_de(
                    &programme,
                    "Le client est connecté en IPv6, mais n'affiche pas l'adresse du serveur.",
                )
                .ecart(attendue, recue.unwrap_or_default())
                .indice(
                    "affichez peer_addr() tel quel : une adresse IPv6 suivie d'un port s'écrit \
                     entre crochets, [::1]:PORT.",
                )
                .enfreint("R16")
        })
}

/// Étape 1 bis : sans serveur, un message clair et le code 1 — ni panique,
/// ni signal, ni code 0 (R17).
pub fn client_1_sans_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    crate::arret_explique::client_sans_serveur(
        &client(1, "aucun serveur à l'écoute"),
        binaire,
        "R17",
    )
}

/// Étape 2 : la bienvenue, envoyée en morceaux (coupés au milieu d'un
/// caractère), s'affiche en entier, sur une ligne (R18).
pub fn client_2_bienvenue(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(2, "réception de la bienvenue en plusieurs morceaux");
    let (mut programme, mut lecteur, port) = client_connecte(&etape, binaire, "127.0.0.1")?;
    let ligne = bienvenue(port);
    // Le dernier morceau commence au milieu du « é » de « établie » (2 octets en UTF-8).
    let coupure = ligne.find("établie").map_or(ligne.len() / 2, |i| i + 1);
    let (debut, fin) = ligne.as_bytes().split_at(coupure);
    let debut_moitie = debut.len() / 2;
    let envoi = envoyer_morceau_par_morceau(
        &mut lecteur,
        &mut programme,
        [&debut[..debut_moitie], &debut[debut_moitie..], fin],
        PAUSE_ENTRE_MORCEAUX,
    );
    etape
        .lignes_affichees(
            &programme,
            &[affichee(&ligne)],
            "la bienvenue est arrivée en trois morceaux : un seul read() n'en rend qu'une \
             partie. Lisez jusqu'au « \\n » (BufReader::read_line).",
        )
        .map_err(|d| envoi_interrompu(d, envoi).enfreint("R18"))
}

/// Étape 2 : le serveur du correcteur ferme au milieu de la bienvenue (il
/// garde sa lecture ouverte : les écritures du client réussissent) ; le
/// client le dit et s'arrête avec le code 1 (R19).
pub fn client_2_serveur_parti_tot(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(2, "le serveur part au milieu de la bienvenue");
    let (mut programme, mut lecteur, port) = client_connecte(&etape, binaire, "127.0.0.1")?;
    let ligne = bienvenue(port);
    let debut = &ligne.as_bytes()[..ligne.len() / 2];
    let _ = reseau::envoyer(lecteur.flux(), debut);
    fermer_l_ecriture(&mut lecteur);
    let resultat = echec_explique(
        &etape,
        &mut programme,
        "Le correcteur a fermé la connexion au milieu de la bienvenue (sans « \\n »)",
        "R19",
        DELAI_REPONSE,
    )
    .map_err(|d| {
        d.indice(
            "read_line rend 0 octet à la fin du flux, ou un début de ligne sans « \\n » : \
             dans les deux cas, la bienvenue n'est pas venue en entier.",
        )
    });
    drop(lecteur);
    resultat
}

/// Étape 2 : le client attend la bienvenue avant d'envoyer quoi que ce
/// soit (R20). Le correcteur ne l'envoie qu'une fois le client endormi
/// (tous ses fils en sommeil, lu dans `/proc`) : s'il a écrit avant de
/// s'endormir, ses octets sont déjà là.
pub fn client_2_attend_la_bienvenue(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(2, "rien n'est envoyé avant la bienvenue");
    let (mut programme, mut lecteur, port) = client_connecte(&etape, binaire, "127.0.0.1")?;
    let attente = processus_linux::attendre_le_sommeil(&mut programme, DELAI_DEMARRAGE);
    // Ce qu'il a écrit avant de s'endormir : le noyau peut en différer la
    // livraison (sous charge, ksoftirqd) ; on lui laisse une courte fenêtre,
    // qui se ferme dès le premier octet.
    let deja_la = deja_recu(&mut lecteur);
    if !deja_la.is_empty() {
        return Err(etape
            .echec_de(
                &programme,
                "Le client a envoyé des octets avant d'avoir reçu la bienvenue : il parle \
                 sans attendre son tour.",
            )
            .ecart(Vec::new(), deja_la)
            .indice(
                "le protocole fait parler le serveur en premier : lisez la bienvenue jusqu'au \
                 « \\n » avant d'envoyer vos lignes.",
            )
            .enfreint("R20"));
    }
    if let Attente::Arrete = attente {
        return Err(etape.echec_de(
            &programme,
            "Le client s'est arrêté avant d'attendre la bienvenue.",
        ));
    }
    // La suite (les deux lignes) est l'affaire de l'étape 3 : un client
    // arrêté sur le todo!() de l'étape 3 a fini celle-ci.
    let _ = reseau::envoyer(lecteur.flux(), bienvenue(port).as_bytes());
    Ok(())
}

/// Ce que le client a déjà envoyé : un `peek` qui attend au plus
/// [`LIVRAISON`] et rend la main au premier octet arrivé.
fn deja_recu(lecteur: &mut Lecteur) -> Vec<u8> {
    let flux = lecteur.flux();
    let mut tampon = vec![0u8; 4096];
    if flux.set_read_timeout(Some(LIVRAISON)).is_err() {
        return Vec::new();
    }
    let lus = flux.peek(&mut tampon).unwrap_or(0);
    tampon.truncate(lus);
    tampon
}

/// Étape 3 : les deux lignes du client, exactes et dans l'ordre (R21).
pub fn client_3_envoi(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "envoi des deux lignes");
    let (mut programme, mut lecteur, port) = client_accueilli(&etape, binaire)?;
    lire_les_deux_lignes(&etape, &mut lecteur, &mut programme, port)
}

/// Étape 4 : après ses deux lignes, le serveur du correcteur ferme son côté,
/// comme celui du chapitre ; le client ferme, n'a rien envoyé de plus
/// (R14), affiche « Connexion fermée. » et se termine (code 0, R22).
pub fn client_4_fermeture(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(4, "fermeture de la connexion");
    let (mut programme, mut lecteur, port) = client_accueilli(&etape, binaire)?;
    lire_les_deux_lignes(&etape, &mut lecteur, &mut programme, port)?;
    fermer_l_ecriture(&mut lecteur);
    fin_de_l_echange(&etape, lecteur, &mut programme, "R22")
}
