//! Le correcteur du TP09 est prouvé, pas supposé juste :
//! - le squelette échoue dès l'étape 1, avec le message de son `todo!()` ;
//! - chaque solution fausse du catalogue échoue à l'étape prévue, avec le
//!   diagnostic prévu.
//!
//! (Le corrigé, lui, passe toutes les étapes : ce sont les tests du paquet
//! `tp09-corrige`, lancés par le même `cargo test`.)

#[macro_use]
mod commun;

use commun::{echec, executer, refuse_avec_usage, reussite, sans_panique, verifier};
use correcteur::tp09;

#[test]
fn squelette_serveur_echoue_a_l_etape_1() {
    verifier(
        &echec("tp09", tp09::serveur_1_ecoute),
        "TP09 · serveur · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

#[test]
fn squelette_client_echoue_a_l_etape_1() {
    verifier(
        &echec("tp09", tp09::client_1_connexion),
        "TP09 · client · étape 1",
        &["todo!()", "not yet implemented: Étape 1"],
    );
}

/// Un étudiant qui n'a fini que l'étape 1 voit l'étape 1 verte : son
/// serveur annonce son port, puis s'arrête sur le `todo!()` de l'étape 2.
#[test]
fn etape_1_seulement_reussit_l_etape_1() {
    reussite("tp09-etape-1-seulement", tp09::serveur_1_ecoute);
    // Les autres étapes 1 ne demandent rien de plus que l'étape 1.
    reussite("tp09-etape-1-seulement", tp09::serveur_1_port_zero);
    reussite("tp09-etape-1-seulement", tp09::serveur_1_port_pris);
    reussite("tp09-etape-1-seulement", tp09::serveur_1_redemarrage);
    let diagnostic = echec("tp09-etape-1-seulement", tp09::serveur_2_bienvenue);
    verifier(
        &diagnostic,
        "TP09 · serveur · étape 2",
        &["not yet implemented: Étape 2"],
    );
    // Il a écouté : le diagnostic ne doit pas prétendre le contraire ; et
    // un programme inachevé n'enfreint aucune règle.
    assert!(
        !diagnostic.contains("avant d'écouter") && !diagnostic.contains("Règle enfreinte"),
        "{diagnostic}"
    );
}

solution_fausse!(une_seule_lecture: "tp09-une-seule-lecture",
    tp09::serveur_3_lignes_octet_par_octet, "serveur · étape 3 — deux lignes reçues octet par octet",
    // Un read rend ce qui est arrivé : « B », ou quelques octets de plus
    // si le serveur a été retardé (machine chargée) ; jamais la ligne
    // entière : le serveur la croit incomplète et s'arrête sans l'afficher.
    ["attendu : \"Bonjour Serveur", "s'est arrêté (code 1)", "flux d'octets"]);

solution_fausse!(bufreader_a_chaque_ligne: "tp09-bufreader-a-chaque-ligne",
    tp09::serveur_3_lignes_d_un_bloc, "serveur · étape 3 — deux lignes reçues d'un seul bloc",
    ["attendu : \"Serveur ", "je vous dis au revoir\"", "un seul BufReader"]);

solution_fausse!(port_en_dur: "tp09-port-en-dur",
    tp09::serveur_2_bienvenue, "serveur · étape 2 — message de bienvenue",
    ["reçu    : \"Bonjour Client, je suis le serveur 65432,", "premier octet différent (octet 3", "port"]);

solution_fausse!(lit_avant_bienvenue: "tp09-lit-avant-bienvenue",
    tp09::serveur_2_bienvenue, "serveur · étape 2 — message de bienvenue",
    ["interblocage", "avant toute lecture"]);

solution_fausse!(oublie_le_retour_a_la_ligne: "tp09-oublie-le-retour-a-la-ligne",
    tp09::client_3_envoi, "client · étape 3 — envoi des deux lignes",
    ["transfertServeur", "se termine par « \\n »"]);

solution_fausse!(client_une_seule_lecture: "tp09-client-une-seule-lecture",
    tp09::client_2_bienvenue, "client · étape 2 — réception de la bienvenue en plusieurs morceaux",
    ["reçu    : \"Bonjour Client", "trois morceaux"]);

solution_fausse!(client_ne_ferme_pas: "tp09-client-ne-ferme-pas",
    tp09::client_4_fermeture, "client · étape 4 — fermeture de la connexion",
    ["n'a pas fermé la connexion", "fin de flux"]);

solution_fausse!(panique_sans_serveur: "tp09-panique-sans-serveur",
    tp09::client_1_sans_serveur, "client · étape 1 — aucun serveur à l'écoute",
    ["a paniqué", "unwrap()"]);

solution_fausse!(serveur_ne_ferme_pas: "tp09-serveur-ne-ferme-pas",
    tp09::serveur_4_fermeture, "serveur · étape 4 — fermeture de la connexion",
    ["Le serveur n'a pas fermé la connexion", "fin de flux"]);

solution_fausse!(ignore_le_port: "tp09-ignore-le-port",
    tp09::serveur_1_ecoute, "serveur · étape 1 — écoute sur le port donné",
    ["n'a pas été en mesure d'écouter sur le port"]);

solution_fausse!(boucle_locale_seulement: "tp09-boucle-locale-seulement",
    tp09::serveur_1_ecoute, "serveur · étape 1 — écoute sur le port donné",
    ["à l'adresse 127.0.0.1 (table des sockets)", "0.0.0.0 (Ipv4Addr::UNSPECIFIED)"]);

solution_fausse!(annonce_le_port_demande: "tp09-annonce-le-port-demande",
    tp09::serveur_1_port_zero, "serveur · étape 1 — port 0",
    ["annonce le port « 0 »", "local_addr()"]);

solution_fausse!(panique_port_pris: "tp09-panique-port-pris",
    tp09::serveur_1_port_pris, "serveur · étape 1 — port déjà pris",
    ["a paniqué au lieu d'expliquer le problème", "unwrap()"]);

solution_fausse!(sans_reutilisation_d_adresse: "tp09-sans-reutilisation-d-adresse",
    tp09::serveur_1_redemarrage, "serveur · étape 1 — relancé sur un port encore en TIME_WAIT",
    ["TIME_WAIT", "set_reuse_address(true)", "Juste après, "]);

solution_fausse!(sans_adresse_du_client: "tp09-sans-adresse-du-client",
    tp09::serveur_2_bienvenue, "serveur · étape 2 — message de bienvenue",
    ["n'a pas affiché l'adresse du client", "reçu    : \"Client connecté.\""]);

solution_fausse!(garde_le_retour_chariot: "tp09-garde-le-retour-chariot",
    tp09::serveur_3_fin_de_ligne_crlf, "serveur · étape 3 — lignes terminées par « \\r\\n »",
    ["\\r", "nc -C"]);

solution_fausse!(limite_decalee: "tp09-limite-decalee",
    tp09::serveur_3_ligne_de_4096_octets, "serveur · étape 3 — une ligne de 4096 octets tout juste",
    ["4095 octets et son « \\n »"]);

solution_fausse!(ligne_non_bornee: "tp09-ligne-non-bornee",
    tp09::serveur_3_ligne_trop_longue, "serveur · étape 3 — une ligne de 4097 octets",
    ["code 0, comme si tout allait bien", "take(4096)"]);

solution_fausse!(fin_de_flux_ligne_vide: "tp09-fin-de-flux-ligne-vide",
    tp09::serveur_3_client_parti_tot, "serveur · étape 3 — le client part au milieu de la seconde ligne",
    ["code 0, comme si tout allait bien", "read_until rend 0 octet"]);

solution_fausse!(utf8_remplace: "tp09-utf8-remplace",
    tp09::serveur_3_utf8_invalide, "serveur · étape 3 — des octets qui ne sont pas de l'UTF-8",
    ["code 0, comme si tout allait bien", "from_utf8_lossy"]);

solution_fausse!(serveur_dit_au_revoir: "tp09-serveur-dit-au-revoir",
    tp09::serveur_4_fermeture, "serveur · étape 4 — fermeture de la connexion",
    ["octets que le protocole ne prévoit pas", "reçu    : \"Au revoir, client\\n\""]);

solution_fausse!(client_ipv4_seulement: "tp09-client-ipv4-seulement",
    tp09::client_1_ipv6, "client · étape 1 — hôte IPv6 (::1)",
    ["avant de se connecter au port", "essaie chaque adresse"]);

solution_fausse!(client_port_par_defaut: "tp09-client-port-par-defaut",
    tp09::client_1_connexion, "client · étape 1 — connexion au serveur",
    ["avant de se connecter au port"]);

solution_fausse!(client_affiche_l_hote: "tp09-client-affiche-l-hote",
    tp09::client_1_connexion, "client · étape 1 — connexion au serveur",
    ["reçu    : \"Connecté au serveur localhost:", "peer_addr"]);

// Tué par un signal après un bon message : c'est un échec, pas une fin propre.
solution_fausse!(client_avorte_sans_serveur: "tp09-client-avorte-sans-serveur",
    tp09::client_1_sans_serveur, "client · étape 1 — aucun serveur à l'écoute",
    ["tué par le signal 6", "au lieu du code 1"]);

solution_fausse!(client_fin_de_flux_ignoree: "tp09-client-fin-de-flux-ignoree",
    tp09::client_2_serveur_parti_tot, "client · étape 2 — le serveur part au milieu de la bienvenue",
    ["code 0, comme si tout allait bien", "read_line rend 0 octet"]);

#[cfg(target_os = "linux")]
solution_fausse!(client_parle_d_abord: "tp09-client-parle-d-abord",
    tp09::client_2_attend_la_bienvenue, "client · étape 2 — rien n'est envoyé avant la bienvenue",
    ["avant d'avoir reçu la bienvenue", "reçu    : \"Bonjour Serveur"]);

// ─── Des programmes corrects écrits autrement que le corrigé ───

variante_correcte!(correct_fermeture_ordonnee: "tp09-correct-fermeture-ordonnee", TP09);
variante_correcte!(correct_sans_bufreader: "tp09-correct-sans-bufreader", TP09);

// ─── Les entrées invalides : un message clair en français, jamais de panique ───

use std::net::TcpListener;
use std::time::Duration;

use correcteur::processus::Programme;
use correcteur::reseau::{self, Lecteur};

const DELAI: Duration = Duration::from_secs(5);

#[test]
fn mauvais_arguments_code_64_et_usage_en_francais() {
    // main.rs est fourni à l'étudiant : le squelette et le corrigé se comportent pareil.
    for binaire in ["tp09", "tp09-corrige"] {
        let cas: [&[&str]; 5] = [
            &[],
            &["inconnu"],
            &["serveur", "pas-un-port"],
            &["serveur", "70000"],
            &["client", "localhost", "1", "de-trop"],
        ];
        for args in cas {
            refuse_avec_usage(binaire, args);
        }
        let (code, _, programme) = executer(binaire, &["--help"]);
        assert_eq!(code, Some(0));
        assert!(
            programme
                .dernieres_lignes()
                .iter()
                .any(|l| l.contains("usage : "))
        );
    }
}

#[test]
fn corrige_port_deja_pris() {
    // Une socket du test écoute déjà sur ce port de la boucle locale.
    let occupant = TcpListener::bind((reseau::BOUCLE_LOCALE, 0)).expect("bind");
    let port = occupant.local_addr().expect("adresse").port().to_string();
    let (code, erreurs, _) = executer("tp09-corrige", &["serveur", &port]);
    assert_eq!(code, Some(1));
    assert!(
        erreurs.contains(&format!("impossible d'attacher la socket au port {port}")),
        "{erreurs}"
    );
    sans_panique(&erreurs);
}

/// Lance le serveur corrigé et lit sa bienvenue : il attend maintenant deux lignes.
fn serveur_corrige_en_attente() -> (Programme, Lecteur) {
    let port = reseau::port_libre();
    let mut serveur = Programme::lancer(
        &commun::binaire("tp09-corrige"),
        "serveur",
        &["serveur", &port.to_string()],
    )
    .expect("lancement");
    let flux = reseau::connecter(port, &mut serveur, DELAI).expect("connexion");
    let mut lecteur = Lecteur::new(flux);
    lecteur.ligne(DELAI).expect("bienvenue");
    (serveur, lecteur)
}

#[test]
fn corrige_utf8_invalide() {
    let (mut serveur, mut lecteur) = serveur_corrige_en_attente();
    std::io::Write::write_all(lecteur.flux(), b"\xff\xfe\n").expect("envoi");
    let statut = serveur
        .attendre_fin(DELAI)
        .expect("le serveur doit s'arrêter");
    assert_eq!(statut.code(), Some(1));
    let erreurs = serveur.erreurs();
    assert!(erreurs.contains("pas de l'UTF-8"), "{erreurs}");
    sans_panique(&erreurs);
}

#[test]
fn corrige_client_qui_part_brutalement() {
    let (mut serveur, lecteur) = serveur_corrige_en_attente();
    // SO_LINGER à 0 : la fermeture envoie un RST au lieu d'un FIN.
    let flux = socket2::Socket::from(lecteur.into_flux());
    flux.set_linger(Some(Duration::ZERO)).expect("linger");
    drop(flux);
    let statut = serveur
        .attendre_fin(DELAI)
        .expect("le serveur doit s'arrêter");
    assert_eq!(statut.code(), Some(1));
    let erreurs = serveur.erreurs();
    assert!(
        erreurs.starts_with("erreur : ") && erreurs.contains("première ligne du client"),
        "{erreurs}"
    );
    sans_panique(&erreurs);
}

/// Une ligne de 7 octets coupée par la fin du flux n'est pas « trop longue » :
/// le message dit que le client est parti au milieu.
#[test]
fn corrige_fin_de_flux_au_milieu_d_une_ligne() {
    let (mut serveur, mut lecteur) = serveur_corrige_en_attente();
    std::io::Write::write_all(lecteur.flux(), b"Bonjour").expect("envoi");
    lecteur
        .flux()
        .shutdown(std::net::Shutdown::Write)
        .expect("shutdown");
    let statut = serveur
        .attendre_fin(DELAI)
        .expect("le serveur doit s'arrêter");
    assert_eq!(statut.code(), Some(1));
    let erreurs = serveur.erreurs();
    assert!(
        erreurs.contains("au milieu d'une ligne") && !erreurs.contains("4096"),
        "{erreurs}"
    );
    sans_panique(&erreurs);
}

/// Une bienvenue coupée par la fin du flux : le client corrigé s'arrête en
/// erreur (code 1) au lieu d'envoyer ses lignes à un serveur parti.
#[test]
fn corrige_client_bienvenue_coupee() {
    let ecoute = TcpListener::bind((reseau::BOUCLE_LOCALE, 0)).expect("bind");
    let port = ecoute.local_addr().expect("adresse").port().to_string();
    let mut client = Programme::lancer(
        &commun::binaire("tp09-corrige"),
        "client",
        &["client", "127.0.0.1", &port],
    )
    .expect("lancement");
    let (mut flux, _) = ecoute.accept().expect("accept");
    std::io::Write::write_all(&mut flux, b"Bonjour Cli").expect("envoi");
    flux.shutdown(std::net::Shutdown::Write).expect("shutdown");
    let statut = client
        .attendre_fin(DELAI)
        .expect("le client doit s'arrêter");
    assert_eq!(statut.code(), Some(1), "{}", client.erreurs());
    assert!(client.erreurs().contains("au milieu de la bienvenue"));
}
