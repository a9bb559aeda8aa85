//! Les exemples des chapitres de fondation (Partie I du livre) tournent, se
//! terminent et affichent ce que le texte annonce.
//!
//! Aucun ne touche le réseau au-delà de la boucle locale : ils créent des
//! sockets, lisent des fichiers du système, résolvent `localhost`.

use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::{contains, is_match};

/// Durée maximale d'un exemple : au-delà, il est tué et le test échoue.
const DUREE_MAX: Duration = Duration::from_secs(20);

/// Prépare le lancement d'un binaire d'exemple, avec un délai maximal.
fn exemple(nom: &str) -> Command {
    let mut commande =
        Command::cargo_bin(nom).unwrap_or_else(|e| panic!("binaire {nom} introuvable : {e}"));
    commande.timeout(DUREE_MAX);
    commande
}

#[test]
fn descripteurs_des_trois_sockets_sans_panique() {
    exemple("exemple-descripteurs")
        .assert()
        .success()
        .stderr(predicate::str::is_empty())
        // Les descripteurs 0, 1 et 2 sont pris : les sockets reçoivent au
        // moins 3 (souvent exactement 3 et 4, mais un processus parent peut
        // laisser d'autres descripteurs ouverts).
        .stdout(is_match(r"socket TCP : descripteur ([3-9]|\d\d+)\n").unwrap())
        .stdout(is_match(r"socket UDP : descripteur ([3-9]|\d\d+)\n").unwrap())
        // La socket RAW réussit pour root et échoue pour les autres : les
        // deux issues sont correctes, pourvu que l'exemple les affiche.
        .stdout(is_match(r"socket RAW : (descripteur \d+|refusée — )").unwrap())
        .stdout(is_match(r"\d+ → socket:\[\d+\]").unwrap())
        .stdout(contains("est une socket ? true"))
        .stdout(contains("fichier supprimé"));
}

/// Sous root, l'exemple est relancé sans privilèges (utilisateur `nobody`,
/// aucune capacité) avec `setpriv`, pour vérifier le cas de l'étudiant : la
/// socket RAW est refusée, et le programme continue. Sans root ou sans
/// `setpriv`, le test précédent couvre déjà ce cas.
#[test]
fn socket_raw_refusee_sans_privileges() {
    let setpriv = std::path::Path::new("/usr/bin/setpriv");
    // SAFETY : geteuid() ne fait que lire l'identité du processus.
    let root = unsafe { libc::geteuid() } == 0;
    if !root || !setpriv.exists() {
        return;
    }
    let binaire = assert_cmd::cargo::cargo_bin("exemple-descripteurs");
    let mut commande = Command::new(setpriv);
    commande
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
        ])
        .arg(binaire)
        .timeout(DUREE_MAX);
    let sortie = commande.output().expect("setpriv doit pouvoir être lancé");
    if !sortie.status.success() && sortie.stdout.is_empty() {
        // `nobody` ne peut pas lire le binaire (dossier cible privé) : le
        // cas n'est pas vérifiable ici.
        return;
    }
    commande
        .assert()
        .success()
        .stdout(contains("socket RAW : refusée — "))
        .stdout(contains("il faut être root"))
        .stdout(contains("est une socket ? true"));
}

#[test]
fn socket_attachee_lit_le_port_choisi_par_le_systeme() {
    let sortie = exemple("exemple-creer-socket")
        .assert()
        .success()
        .stderr(predicate::str::is_empty())
        .stdout(is_match(r"socket UDP attachée à 127\.0\.0\.1:\d+, port \d+").unwrap())
        .stdout(is_match(r"socket TCP attachée à 127\.0\.0\.1:\d+, port \d+").unwrap())
        .stdout(is_match(r"TcpListener attaché à 127\.0\.0\.1:\d+").unwrap())
        .stdout(is_match(r"UdpSocket attachée à 127\.0\.0\.1:\d+").unwrap())
        .stdout(contains("refusé — Address already in use"))
        // L'attache implicite : UDP garde le joker, TCP prend l'interface.
        .stdout(is_match(r"UDP, après sendto  : 0\.0\.0\.0:[1-9]\d*").unwrap())
        .stdout(is_match(r"TCP, après connect : 127\.0\.0\.1:[1-9]\d*").unwrap())
        .get_output()
        .stdout
        .clone();
    let texte = String::from_utf8(sortie).expect("sortie en UTF-8");
    // Le port relu n'est jamais 0 : c'est celui que le noyau a choisi.
    for ligne in texte.lines().filter(|l| l.contains("attaché")) {
        let port: u16 = ligne
            .rsplit([':', ' '])
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("pas de port lisible dans {ligne:?}"));
        assert_ne!(port, 0, "le port relu ne doit pas être 0 : {ligne}");
    }
    // Sous Linux, le port choisi tombe dans la plage éphémère.
    if std::path::Path::new("/proc/sys/net/ipv4/ip_local_port_range").exists() {
        assert!(
            texte.contains("dans la plage éphémère") && !texte.contains("? non"),
            "les ports choisis devraient être dans la plage éphémère :\n{texte}"
        );
    }
}

#[test]
fn ordre_des_octets_du_port_et_de_l_adresse() {
    // Ordre réseau : poids fort d'abord, quelle que soit la machine.
    let attendu_machine = if cfg!(target_endian = "little") {
        "ordre de la machine : [98 FF]"
    } else {
        "ordre de la machine : [FF 98]"
    };
    exemple("exemple-ordre-des-octets")
        .assert()
        .success()
        .stdout(contains("ordre réseau        : [FF 98]"))
        .stdout(contains(attendu_machine))
        .stdout(contains("ordre réseau        : [7F 00 00 01]"))
        .stdout(contains("taille : 16 octets"))
        .stdout(contains("sin_port   : en mémoire [FF 98]"))
        .stdout(contains("sin_addr   : en mémoire [7F 00 00 01]"))
        .stdout(contains("= from_be() = 65432"));
}

#[test]
fn resolution_des_noms_locaux() {
    exemple("exemple-resolution")
        .assert()
        .success()
        .stdout(contains("IPv4 : ip 127.0.0.1, port 65432"))
        .stdout(contains("IPv6 : ip ::1, port 65432"))
        // `localhost` donne au moins 127.0.0.1 (et parfois aussi ::1).
        .stdout(is_match(r#"\("localhost", 7\) → .*127\.0\.0\.1:7"#).unwrap())
        .stdout(contains(r#"("::1", 7) → [::1]:7"#))
        // Sans port, ou avec un port trop grand : une erreur, pas une panique.
        .stdout(is_match(r"localhost +→ échec : ").unwrap())
        .stdout(is_match(r"127\.0\.0\.1:70000 +→ échec : ").unwrap());
}

#[test]
fn services_et_plage_ephemere_de_la_machine() {
    let assertion = exemple("exemple-services")
        .args(["ssh", "daytime", "service-qui-n-existe-pas"])
        .assert()
        .success()
        .stdout(contains("service-qui-n-existe-pas absent du fichier"));
    if std::path::Path::new("/etc/services").exists() {
        assertion
            .stdout(is_match(r"ssh +22/tcp").unwrap())
            .stdout(is_match(r"daytime +13/tcp  13/udp").unwrap());
    }
    // Un service demandé par son alias : `imap` est l'alias de `imap2` dans
    // le fichier de Debian et de Fedora.
    let annuaire = std::fs::read_to_string("/etc/services").unwrap_or_default();
    if annuaire.lines().any(|l| {
        l.split('#')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .skip(2)
            .any(|a| a == "imap")
    }) {
        exemple("exemple-services")
            .arg("imap")
            .assert()
            .success()
            .stdout(is_match(r"imap +143/tcp.*\(alias de imap2?\)").unwrap());
    }
    if std::path::Path::new("/proc/sys/net/ipv4/ip_local_port_range").exists() {
        exemple("exemple-services").assert().success().stdout(
            is_match(r"plage éphémère de cette machine : \d+ à \d+ \(\d+ ports\)").unwrap(),
        );
    }
}

#[test]
fn adresses_texte_et_longueur_valeur_resultat() {
    exemple("exemple-adresses")
        .assert()
        .success()
        .stderr(predicate::str::is_empty())
        // inet_pton et from_str donnent les mêmes octets, en ordre réseau.
        .stdout(contains(
            "127.0.0.1      inet_pton → 1, octets [7F 00 00 01] ; from_str → 127.0.0.1, octets [7F 00 00 01]",
        ))
        .stdout(contains(
            "et retour : inet_ntop → \"192.168.1.20\", to_string → \"192.168.1.20\"",
        ))
        // Une chaîne invalide est refusée des deux côtés.
        .stdout(contains("256.1.2.3      inet_pton → 0 (pas une adresse) ; from_str → Err("))
        // accept : 128 à l'appel, 16 au retour.
        .stdout(contains("accept   : longueur 128 à l'appel, 16 au retour"))
        // recvfrom : la longueur rendue dépasse la place prêtée → tronquée.
        .stdout(is_match(r"recvfrom : 16 octets prêtés, longueur rendue 16 : expéditeur 127\.0\.0\.1:\d+").unwrap())
        .stdout(is_match(r"recvfrom : 4 octets prêtés, longueur rendue 16 : adresse tronquée \(0\.0\.0\.0:\d+\)").unwrap());
}
