//! Étape `pair_2_ordre_des_adresses` : un nom qui donne deux adresses, de
//! deux familles, et le pair garde la première. La résolution de noms est
//! celle du correcteur (voir [`crate::resolution`]) : `localhost` y donne
//! `::1` puis `127.0.0.1`, puis, second essai, `127.0.0.1` puis `::1`. Les
//! deux ordres sont nécessaires : un pair qui préfère toujours la même
//! famille passerait l'un des deux.
//!
//! Ce qui s'observe : sur une machine qui a les deux boucles locales, les
//! deux familles s'attachent, la première adresse est donc celle que R13
//! fait garder. (Le cas d'une première famille absente de la machine, qui
//! fait passer à la suivante, ne se provoque pas ici.)

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::path::Path;

use super::{
    Etape, TP, arrete_plus_loin, etape, pas_attache, port_libre_en_ipv4_et_en_ipv6,
    recevoir_sur_l_une, sockets_au_meme_port, taper,
};
use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_DEMARRAGE, DELAI_REPONSE, statut_en_clair};
use crate::non_verifiable::signaler;
use crate::processus::Programme;
use crate::reseau::{BOUCLE_LOCALE, Injoignable};
use crate::resolution::{self, NOM, Ordre, Resolution};
use crate::udp::{self, SocketUdp};

/// La ligne tapée.
const LIGNE: &str = "Bonjour, pair de la première adresse";

/// L'indice d'un pair qui ne garde pas la première adresse.
const INDICE: &str = "gardez les adresses que rend to_socket_addrs dans leur ordre (ni tri, \
     ni préférence pour une famille) et essayez-les une à une : la première dont la socket \
     s'attache à la boucle locale de sa famille sert à toute la conversation.";

/// Étape 2 ter : HÔTE_DISTANT est `localhost`, que la résolution (choisie
/// par le correcteur) donne dans un ordre, puis dans l'autre. Chaque fois,
/// le correcteur écoute sur `[::1]` et sur `127.0.0.1`, au même port : le
/// pair doit s'attacher à la boucle locale de la famille de la première
/// adresse, et sa ligne tapée doit partir de là.
///
/// Sans bubblewrap, ou si la résolution ne donne pas ces ordres ici,
/// l'étape le signale et ne juge rien (voir [`crate::non_verifiable`]).
pub fn pair_2_ordre_des_adresses(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(2, "plusieurs adresses : la première est gardée");
    // (ordre, raison) de chaque ordre que cette machine ne permet pas.
    let mut impossibles: Vec<(String, String)> = Vec::new();
    for ordre in [Ordre::Ipv6DAbord, Ordre::Ipv4DAbord] {
        match Resolution::preparer(ordre) {
            Ok(resolution) => {
                if !un_ordre(&etape, binaire, &resolution)? {
                    // Arrêté sur le todo!() d'une étape suivante : acquise.
                    return Ok(());
                }
            }
            Err(raison) => impossibles.push((resolution::en_clair(&ordre.adresses()), raison)),
        }
    }
    let debut = format!("{TP} · pair · étape 2 — plusieurs adresses : non vérifiable");
    match &impossibles[..] {
        [] => {}
        [(_, a), (_, b)] if a == b => signaler(&format!("{debut} sur cette machine : {a}.")),
        [(ordre, raison)] => signaler(&format!(
            "{debut} avec {ordre} sur cette machine : {raison}."
        )),
        autres => {
            let details: Vec<String> = autres.iter().map(|(o, r)| format!("{o} : {r}")).collect();
            signaler(&format!(
                "{debut} sur cette machine ({}).",
                details.join(" ; ")
            ));
        }
    }
    Ok(())
}

/// Un ordre : `Ok(true)` s'il est respecté, `Ok(false)` si le programme
/// s'est arrêté sur le `todo!()` d'une étape suivante (rien à juger).
fn un_ordre(etape: &Etape, binaire: &Path, resolution: &Resolution) -> Result<bool, Diagnostic> {
    let adresses = resolution.adresses();
    let premiere = adresses[0];
    let correspondants = sockets_des_deux_familles(etape)?;
    let port_distant = correspondants[0].port();
    let port_local = port_libre_en_ipv4_et_en_ipv6();
    let (local, distant) = (port_local.to_string(), port_distant.to_string());
    let mut programme = Programme::lancer_enveloppe(
        &resolution.enveloppe(),
        binaire,
        "programme",
        &["pair", &local, NOM, &distant],
        true,
    )
    .map_err(|e| {
        etape.echec(format!(
            "Impossible de lancer {} dans bubblewrap : {e}.",
            binaire.display()
        ))
    })?;
    let contexte = format!(
        "Lancé avec HÔTE_DISTANT = « {NOM} », que la résolution de noms donne ici {} (le \
         correcteur l'a choisie), le pair doit garder la première adresse, {premiere} : les \
         deux familles s'attachent sur cette machine.",
        resolution::en_clair(&adresses)
    );
    match udp::attendre_attache(port_local, &mut programme, DELAI_DEMARRAGE) {
        Ok(()) => {}
        Err(Injoignable::Arrete(_)) if arrete_plus_loin(&mut programme, etape.numero) => {
            return Ok(false);
        }
        Err(raison) => {
            // Pas de socket du tout : ce n'est pas l'ordre des adresses qui
            // est en cause (un todo!(), un nom non résolu, bwrap en échec…).
            let arret = matches!(raison, Injoignable::Arrete(_));
            let diagnostic = pas_attache(etape, &programme, raison, port_local);
            if !arret || programme.erreurs().contains("bwrap") {
                return Err(diagnostic);
            }
            // Arrêté dès le démarrage, avec un nom dont chaque adresse
            // s'attache ici : le nom n'a pas été résolu, comme à l'étape 1
            // (`enfreint` : pas de règle pour un todo!()).
            return Err(diagnostic
                .indice(
                    "HÔTE_DISTANT est un nom à résoudre, pas seulement une adresse à lire : \
                     (hote, port).to_socket_addrs() interroge la résolution de noms.",
                )
                .enfreint("R11"));
        }
    }
    // La socket vit : la table du noyau dit à quelle adresse elle est attachée.
    let attachees = udp::adresses_attachees(port_local);
    let attendue = boucle_locale_de(premiere);
    let partout_dans_la_famille = !attachees.is_empty()
        && attachees
            .iter()
            .all(|a| a.is_unspecified() && a.is_ipv4() == attendue.is_ipv4());
    if partout_dans_la_famille
        && let Some(explication) = udp::hors_de_la_boucle_locale(port_local, &programme.role)
    {
        // La bonne famille, mais toutes les interfaces : la règle du bind.
        return Err(etape
            .echec_de(&programme, format!("{contexte}\n{explication}"))
            .indice(
                "attachez la socket à la boucle locale de la famille du pair ([::1] pour un pair \
                 IPv6, 127.0.0.1 pour un pair IPv4), pas à toutes les interfaces.",
            )
            .regle("R1"));
    }
    if !attachees.is_empty() && !attachees.contains(&attendue) {
        let vues: Vec<String> = attachees
            .iter()
            .map(|&a| SocketAddr::new(a, port_local).to_string())
            .collect();
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "{contexte}\nLe pair a attaché sa socket à {} : ce n'est pas la famille de \
                     la première adresse.",
                    vues.join(", ")
                ),
            )
            .ecart(
                SocketAddr::new(attendue, port_local).to_string(),
                vues.join(", "),
            )
            .indice(INDICE)
            .regle("R13"));
    }
    let envoi = taper(etape, &mut programme, LIGNE)
        .map_err(|_| udp::Attente::Delai)
        .and_then(|()| recevoir_sur_l_une(&correspondants, &mut programme, DELAI_REPONSE));
    let de = match envoi {
        Ok((_, de)) => de,
        Err(_) if arrete_plus_loin(&mut programme, etape.numero) => return Ok(false),
        Err(_) => {
            let arret = programme
                .attendre_fin(std::time::Duration::ZERO)
                .map(|s| format!(" Il s'est arrêté ({}).", statut_en_clair(s)))
                .unwrap_or_default();
            // Rien d'envoyé : l'étape 3 le juge, pas l'ordre des adresses.
            return Err(etape.echec_de(
                &programme,
                format!(
                    "{contexte}\nAprès la ligne tapée « {LIGNE} », rien n'est arrivé ni sur \
                     [::1]:{port_distant} ni sur {BOUCLE_LOCALE}:{port_distant}.{arret}"
                ),
            ));
        }
    };
    if de.ip() != attendue {
        return Err(etape
            .echec_de(
                &programme,
                format!(
                    "{contexte}\nLa ligne tapée est partie de {de}, vers le pair en {} : le \
                     pair n'a pas gardé la première adresse.",
                    if de.is_ipv4() { "IPv4" } else { "IPv6" }
                ),
            )
            .ecart(
                SocketAddr::new(attendue, port_local).to_string(),
                de.to_string(),
            )
            .indice(INDICE)
            .regle("R13"));
    }
    Ok(true)
}

/// La boucle locale de la famille de `adresse`.
fn boucle_locale_de(adresse: IpAddr) -> IpAddr {
    match adresse {
        IpAddr::V4(_) => IpAddr::V4(BOUCLE_LOCALE),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
    }
}

/// Deux sockets du correcteur, sur [::1] et 127.0.0.1, au même port (le
/// pair ne reçoit qu'un port). Borné : un port pris dans l'autre famille
/// fait recommencer, cent fois au plus.
fn sockets_des_deux_familles(etape: &Etape) -> Result<Vec<SocketUdp>, Diagnostic> {
    let familles = [IpAddr::V6(Ipv6Addr::LOCALHOST), IpAddr::V4(BOUCLE_LOCALE)];
    let mut derniere = String::new();
    for _ in 0..100 {
        match sockets_au_meme_port(&familles) {
            Ok(sockets) if sockets.len() == familles.len() => return Ok(sockets),
            Ok(_) => derniere = "pas de boucle locale IPv6".into(),
            Err(e) => derniere = e.to_string(),
        }
    }
    Err(etape.echec(format!(
        "Le correcteur n'a pas pu ouvrir ses sockets UDP sur [::1] et 127.0.0.1 au même port : \
         {derniere}."
    )))
}
