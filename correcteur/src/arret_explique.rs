//! Les cas d'erreur que les chapitres prévoient au démarrage : port déjà
//! pris pour un serveur, personne à l'écoute pour un client. Le programme
//! doit s'arrêter avec le code 1 et une explication sur sa sortie
//! d'erreur — ni panique, ni signal, ni code 0. Le même contrôle sert aux
//! TP09, TP12 et TP13 ; chaque étape nomme la règle de son chapitre.

use std::net::TcpListener;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::etape::{DELAI_DEMARRAGE, DELAI_REPONSE, Etape, statut_en_clair};
use crate::processus::Programme;
use crate::reseau;

/// Le programme doit s'arrêter, au plus tard après `delai`, avec le code 1
/// et une explication sur sa sortie d'erreur. `situation` dit ce que le
/// correcteur a provoqué (« personne n'écoute sur le port 4000 »). Un
/// programme arrêté sur un `todo!()` n'enfreint pas `regle` : il lui reste
/// une étape à écrire, ce que sa sortie d'erreur, rappelée, montre.
pub fn echec_explique(
    etape: &Etape,
    programme: &mut Programme,
    situation: &str,
    regle: &'static str,
    delai: Duration,
) -> Result<(), Diagnostic> {
    juger_l_arret(
        programme,
        situation,
        regle,
        delai,
        |programme, explication| etape.echec_de(programme, explication),
    )
}

/// Le jugement d'[`echec_explique`], pour un TP qui a son propre type
/// d'étape (le TP11 et son côté « pair ») : `echec_de` fait le diagnostic.
pub fn juger_l_arret(
    programme: &mut Programme,
    situation: &str,
    regle: &'static str,
    delai: Duration,
    echec_de: impl Fn(&Programme, String) -> Diagnostic,
) -> Result<(), Diagnostic> {
    let role = programme.role.clone();
    let refus = |programme: &Programme, constat: String, indice: &str| {
        let diagnostic = echec_de(programme, format!("{situation} : {constat}")).indice(indice);
        if programme.erreurs().contains("not yet implemented") {
            diagnostic
        } else {
            diagnostic.regle(regle)
        }
    };
    let Some(statut) = programme.attendre_fin(delai) else {
        return Err(refus(
            programme,
            format!(
                "le {role} tourne encore {} s plus tard, alors qu'il devait s'arrêter avec le code 1.",
                delai.as_secs()
            ),
            "quand l'échange ne peut pas se faire, le programme le dit et s'arrête : \
             propagez l'erreur avec ? jusqu'à main.",
        ));
    };
    // Arrêté, il a tout écrit : on attend que ses sorties soient lues en
    // entier plutôt que de regarder une fois, trop tôt sur une machine chargée.
    programme.attendre_sorties_fermees(DELAI_REPONSE);
    let erreurs = programme.erreurs();
    if erreurs.contains("panicked") {
        return Err(refus(
            programme,
            format!("le {role} a paniqué au lieu d'expliquer le problème."),
            "ne faites pas unwrap() sur un appel réseau : transmettez l'erreur (?) avec un \
             contexte en français ; main l'affiche et termine avec le code 1.",
        ));
    }
    if statut.code() != Some(1) {
        let constat = if statut.success() {
            format!("le {role} s'est terminé avec le code 0, comme si tout allait bien.")
        } else {
            format!(
                "le {role} s'est arrêté ({}) au lieu du code 1.",
                statut_en_clair(statut)
            )
        };
        return Err(refus(
            programme,
            constat,
            "un échec se signale par le code de sortie 1 : rendez l'erreur à main, qui \
             l'affiche et renvoie ExitCode::FAILURE.",
        ));
    }
    if erreurs.trim().is_empty() {
        return Err(refus(
            programme,
            format!("le {role} s'est arrêté sans rien écrire sur la sortie d'erreur."),
            "dites à l'utilisateur ce qui se passe : eprintln!, sur la sortie d'erreur.",
        ));
    }
    Ok(())
}

/// Un serveur lancé (`serveur PORT`, plus `en_plus`) sur un port où une
/// autre socket écoute déjà : il l'explique et s'arrête avec le code 1.
pub fn serveur_sur_un_port_pris(
    etape: &Etape,
    binaire: &std::path::Path,
    en_plus: &[&str],
    regle: &'static str,
) -> Result<(), Diagnostic> {
    serveur_sur_un_port_pris_et_son_port(etape, binaire, en_plus, regle)
        .map_err(|(diagnostic, _)| diagnostic)
}

/// Comme [`serveur_sur_un_port_pris`] ; un échec rend aussi le port occupé,
/// pour qui veut comparer avec ce que le serveur a annoncé.
pub fn serveur_sur_un_port_pris_et_son_port(
    etape: &Etape,
    binaire: &std::path::Path,
    en_plus: &[&str],
    regle: &'static str,
) -> Result<(), (Diagnostic, u16)> {
    let occupant = TcpListener::bind((reseau::BOUCLE_LOCALE, 0)).and_then(|occupant| {
        occupant
            .local_addr()
            .map(|adresse| (occupant, adresse.port()))
    });
    let (_occupant, port) = occupant.map_err(|e| {
        let diagnostic = etape.echec(format!("Le correcteur n'a pas pu occuper un port : {e}."));
        (diagnostic, 0)
    })?;
    let texte = port.to_string();
    let mut arguments = vec!["serveur", texte.as_str()];
    arguments.extend_from_slice(en_plus);
    let mut programme = etape
        .lancer(binaire, "serveur", &arguments)
        .map_err(|d| (d, port))?;
    let situation = format!("Une autre socket écoute déjà sur le port {port}");
    echec_explique(etape, &mut programme, &situation, regle, DELAI_DEMARRAGE).map_err(|d| (d, port))
}

/// Un client lancé (`client 127.0.0.1 PORT`) vers un port où personne
/// n'écoute : il l'explique et s'arrête avec le code 1.
pub fn client_sans_serveur(
    etape: &Etape,
    binaire: &std::path::Path,
    regle: &'static str,
) -> Result<(), Diagnostic> {
    let (_reserve, port) = reseau::port_sans_serveur()
        .map_err(|e| etape.echec(format!("Le correcteur n'a pas pu réserver un port : {e}.")))?;
    let mut programme = etape.lancer(
        binaire,
        "client",
        &["client", "127.0.0.1", &port.to_string()],
    )?;
    let situation = format!("Personne n'écoute sur le port {port}");
    echec_explique(etape, &mut programme, &situation, regle, DELAI_DEMARRAGE)
}
