//! Étape `client_2_chaque_adresse` : un nom qui donne deux adresses, dont la
//! première ne répond pas. La résolution de noms est celle du correcteur
//! (voir [`crate::resolution`]) : `localhost` y donne `::1` puis
//! `127.0.0.1`.

use std::net::{Ipv6Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use super::{
    DELAI_CLIENT_MS, ESSAIS, MESSAGE, TP, affiche_la_reponse, client, repondre, requete,
    requete_absente,
};
use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_DEMARRAGE, DELAI_REPONSE, Etape, statut_en_clair};
use crate::processus::Programme;
use crate::reseau::BOUCLE_LOCALE;
use crate::resolution::{self, NOM, Ordre, Resolution};
use crate::udp::{Attente, SocketUdp};

/// L'indice d'un client qui s'arrête à la première adresse.
const INDICE: &str = "gardez toutes les adresses que rend (hote, port).to_socket_addrs(), \
     dans leur ordre, avec pour chacune une socket de sa famille ; envoyez la requête à la \
     première, attendez au plus le délai, et sans réponse passez à la suivante. En UDP, le \
     silence est le seul signe qu'une adresse ne sert à rien.";

/// Étape 2 bis : HÔTE est `localhost`, que la résolution (choisie par le
/// correcteur) donne `::1` puis `127.0.0.1`. Le correcteur répond sur
/// `127.0.0.1` seulement ; sur `[::1]`, au même port, une socket muette
/// note ce qui arrive. Le client doit écrire d'abord à `::1`, puis, faute de
/// réponse dans le délai, à `127.0.0.1`, et afficher la réponse.
///
/// Sans bubblewrap, ou si la résolution ne donne pas cet ordre ici, l'étape
/// le signale et ne juge rien (voir [`crate::non_verifiable`]).
pub fn client_2_chaque_adresse(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(
        2,
        "chaque adresse du serveur, dans l'ordre (::1 puis 127.0.0.1)",
    );
    let resolution = match Resolution::preparer(Ordre::Ipv6DAbord) {
        Ok(resolution) => resolution,
        Err(raison) => {
            crate::non_verifiable::signaler(&format!(
                "{TP} · client · étape 2 — chaque adresse du serveur : non vérifiable sur \
                 cette machine : {raison}."
            ));
            return Ok(());
        }
    };
    let (serveur, muette) = sockets_au_meme_port(&etape)?;
    let port = serveur.port();
    let mut programme = Programme::lancer_enveloppe(
        &resolution.enveloppe(),
        binaire,
        "client",
        &[
            "client",
            "--delai",
            &DELAI_CLIENT_MS.to_string(),
            NOM,
            &port.to_string(),
            MESSAGE,
        ],
        false,
    )
    .map_err(|e| {
        etape.echec(format!(
            "Impossible de lancer {} dans bubblewrap : {e}.",
            binaire.display()
        ))
    })?;
    let contexte = format!(
        "Lancé avec HÔTE = « {NOM} », que la résolution de noms donne ici {} (le correcteur \
         l'a choisie), le client doit essayer ces adresses dans l'ordre. Personne ne répond \
         sur [::1]:{port} ; le correcteur répond sur {BOUCLE_LOCALE}:{port}.",
        resolution::en_clair(&resolution.adresses())
    );
    // ESSAIS passages sur les deux adresses, puis le démarrage : largement
    // de quoi atteindre la seconde adresse.
    let attente = DELAI_DEMARRAGE + Duration::from_millis(DELAI_CLIENT_MS * ESSAIS as u64);
    let de = requete(
        &etape,
        &mut programme,
        &serveur,
        attente,
        "première",
        |a, p| seconde_jamais_essayee(&etape, p, a, &muette, &contexte, port),
    )?;
    premiere_essayee_d_abord(&etape, &programme, &muette, &contexte)?;
    repondre(&etape, &programme, &serveur, de, MESSAGE.len() as u32)?;
    affiche_la_reponse(
        &etape,
        &mut programme,
        "la réponse est venue de la seconde adresse du serveur : affichez-la et terminez.",
    )
}

/// Une socket du correcteur sur 127.0.0.1 (celle qui répond) et une muette
/// sur [::1], au même port : le client ne reçoit qu'un port. (Borné : le
/// port choisi sur 127.0.0.1 peut être pris sur ::1, on recommence.)
fn sockets_au_meme_port(etape: &Etape) -> Result<(SocketUdp, SocketUdp), Diagnostic> {
    let mut derniere = None;
    for _ in 0..100 {
        let serveur = SocketUdp::ouvrir().map_err(|e| {
            etape.echec(format!(
                "Le correcteur n'a pas pu ouvrir sa socket UDP : {e}."
            ))
        })?;
        match SocketUdp::ouvrir_sur(SocketAddr::from((Ipv6Addr::LOCALHOST, serveur.port()))) {
            Ok(muette) => return Ok((serveur, muette)),
            Err(e) => derniere = Some(e),
        }
    }
    Err(etape.echec(format!(
        "Le correcteur n'a pas trouvé de port UDP libre à la fois sur 127.0.0.1 et sur ::1 : {}.",
        derniere.map(|e| e.to_string()).unwrap_or_default()
    )))
}

/// Rien n'est arrivé sur 127.0.0.1 : ce que la socket muette de ::1 a vu.
fn seconde_jamais_essayee(
    etape: &Etape,
    programme: &Programme,
    attente: Attente,
    muette: &SocketUdp,
    contexte: &str,
    port: u16,
) -> Diagnostic {
    if programme.erreurs().contains("not yet implemented") {
        // Un todo!() : l'indice du diagnostic suffit.
        return requete_absente(etape, programme, attente, port);
    }
    if resolution::bac_a_sable_en_echec(&programme.erreurs()) {
        // bwrap n'a pas pu lancer le programme : rien à reprocher à l'étudiant.
        return etape.echec_de(
            programme,
            format!(
                "{contexte}\nbubblewrap n'a pas pu lancer le client (voir sa sortie d'erreur)."
            ),
        );
    }
    let sur_ipv6 = muette.vider().len();
    let toujours_la = matches!(attente, Attente::Delai);
    let fin = match attente {
        Attente::Arrete(statut) => format!("puis s'est arrêté ({})", statut_en_clair(statut)),
        Attente::Delai => "et tourne encore".to_string(),
        Attente::Erreur(e) => format!("(erreur du correcteur en l'attendant : {e})"),
    };
    if sur_ipv6 == 1 && toujours_la {
        // Une seule requête, et toujours là après trois délais : il attend
        // sa réponse sans borne, et n'a jamais l'occasion de passer à la
        // suivante.
        return etape
            .echec_de(
                programme,
                format!(
                    "{contexte}\nLe client a envoyé une requête à [::1]:{port}, aucune à \
                     {BOUCLE_LOCALE}:{port}, et tourne encore après {} s : son attente de \
                     réponse n'est pas bornée par --delai.",
                    DELAI_DEMARRAGE.as_secs()
                ),
            )
            .indice("chaque attente de réponse dure --delai : set_read_timeout.")
            .enfreint("R10");
    }
    if sur_ipv6 == 0 {
        // Rien envoyé nulle part : pas une affaire d'ordre des adresses.
        return etape.echec_de(
            programme,
            format!(
                "{contexte}\nLe client n'a envoyé de requête ni à [::1]:{port} ni à \
                 {BOUCLE_LOCALE}:{port}, {fin}."
            ),
        );
    }
    etape
        .echec_de(
            programme,
            format!(
                "{contexte}\nLe client a envoyé {sur_ipv6} requête(s) à [::1]:{port} et aucune \
                 à {BOUCLE_LOCALE}:{port}, {fin} : il n'a pas essayé la seconde adresse."
            ),
        )
        .indice(INDICE)
        .regle("R18")
}

/// La requête est arrivée sur 127.0.0.1 : la première adresse, ::1, doit
/// avoir eu la sienne. Sur la boucle locale, un datagramme envoyé plus tôt
/// est déjà dans la file ; on attend tout de même un instant (borné) celui
/// d'un client qui écrit aux deux adresses presque en même temps. Cet
/// instant reste bien plus court que le délai du client (--delai) : un
/// client qui essaie 127.0.0.1 d'abord n'écrit à ::1 qu'après ce délai, et
/// une attente plus longue le laisserait passer pour un client qui suit
/// l'ordre.
fn premiere_essayee_d_abord(
    etape: &Etape,
    programme: &Programme,
    muette: &SocketUdp,
    contexte: &str,
) -> Result<(), Diagnostic> {
    let presque_en_meme_temps = Duration::from_millis(DELAI_CLIENT_MS / 4);
    if !muette.vider().is_empty()
        || muette
            .recevoir_sans_programme(presque_en_meme_temps)
            .is_some()
    {
        return Ok(());
    }
    let port = muette.port();
    let apres = if muette.recevoir_sans_programme(DELAI_REPONSE).is_some() {
        format!(" (celle de [::1]:{port} n'est venue qu'après)")
    } else {
        String::new()
    };
    Err(etape
        .echec_de(
            programme,
            format!(
                "{contexte}\nLa requête est arrivée sur {BOUCLE_LOCALE}:{port}, mais aucune sur \
                 [::1]:{port}, la première adresse, ne l'avait précédée{apres} : le client n'a \
                 pas suivi l'ordre de la résolution."
            ),
        )
        .indice(
            "n'écartez ni ne triez les adresses que rend to_socket_addrs : leur ordre est celui \
             où les essayer (RFC 6724), IPv6 d'abord sur bien des machines.",
        )
        .regle("R18"))
}
