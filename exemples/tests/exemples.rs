//! Chaque exemple du livre tourne, se termine et montre bien ce que le
//! chapitre annonce.
//!
//! Les extraits publiés dans le livre viennent de ces binaires : si un test
//! échoue ici, c'est le livre qui raconte quelque chose de faux.

use std::process::{Command, Output};
use std::thread;
use std::time::{Duration, Instant};

/// Durée maximale d'un exemple ; au-delà, il est tué et le test échoue.
const DUREE_MAX: Duration = Duration::from_secs(30);

/// Lance un binaire d'exemple et attend sa fin, sans jamais attendre plus de
/// `DUREE_MAX`.
fn executer(chemin: &str) -> Output {
    let mut enfant = Command::new(chemin)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("impossible de lancer {chemin} : {e}"));
    let debut = Instant::now();
    loop {
        match enfant.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if debut.elapsed() < DUREE_MAX => thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = enfant.kill();
                let _ = enfant.wait();
                panic!("{chemin} ne s'est pas terminé en {DUREE_MAX:?}");
            }
            Err(e) => panic!("impossible d'attendre {chemin} : {e}"),
        }
    }
    enfant
        .wait_with_output()
        .unwrap_or_else(|e| panic!("impossible de lire la sortie de {chemin} : {e}"))
}

#[test]
fn messages_colles_montre_les_trois_cas() {
    let sortie = executer(env!("CARGO_BIN_EXE_exemple-messages-colles"));
    let stdout = String::from_utf8_lossy(&sortie.stdout);
    let stderr = String::from_utf8_lossy(&sortie.stderr);
    assert!(
        sortie.status.success(),
        "l'exemple a échoué ({}).\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        sortie.status
    );
    let contient = |motif: &str| {
        assert!(
            stdout.contains(motif),
            "la sortie devrait contenir {motif:?}.\n--- stdout ---\n{stdout}"
        );
    };

    // Cas 1 : la lecture unique rend les deux messages collés (le `\n` qui
    // les sépare apparaît au milieu de la même chaîne), puis la fin du flux.
    contient("Cas 1");
    let lecture_unique = stdout
        .lines()
        .find(|l| l.contains("read() n° 1"))
        .expect("le cas 1 affiche sa lecture unique");
    assert!(
        lecture_unique.contains("phase de transfert\\nServeur")
            && lecture_unique.contains("je vous dis au revoir\\n"),
        "la lecture unique du cas 1 devrait contenir les deux messages collés : {lecture_unique}"
    );
    contient("read() n° 2 → 0 octet : fin du flux");

    // Cas 2 : deux lignes distinctes, puis la fin du flux.
    contient("Cas 2");
    let ligne = |numero: u32| {
        stdout
            .lines()
            .find(|l| l.contains(&format!("read_line n° {numero} →")))
            .unwrap_or_else(|| panic!("le cas 2 affiche la ligne {numero} :\n{stdout}"))
            .to_owned()
    };
    let premiere = ligne(1);
    let seconde = ligne(2);
    assert!(
        premiere.contains("\"Bonjour Serveur ")
            && premiere.ends_with("phase de transfert\\n\"")
            && !premiere.contains("au revoir"),
        "la première ligne du cas 2 devrait contenir le premier message seul : {premiere}"
    );
    assert!(
        seconde.contains("\"Serveur ") && seconde.ends_with("je vous dis au revoir\\n\""),
        "la seconde ligne du cas 2 devrait contenir le second message seul : {seconde}"
    );
    assert!(ligne(3).contains("0 octet : fin du flux"));

    // Cas 3 : une lecture unique ne rend qu'un fragment, `read_line` le reste.
    contient("Cas 3");
    contient("la lecture unique n'a rendu qu'un fragment");
    contient("fragment + reste = la ligne complète");

    assert!(
        stderr.is_empty(),
        "rien ne devrait s'écrire sur stderr : {stderr}"
    );
}

#[test]
fn options_tcp_posees_puis_relues() {
    let sortie = executer(env!("CARGO_BIN_EXE_exemple-options-tcp"));
    let stdout = String::from_utf8_lossy(&sortie.stdout);
    assert!(
        sortie.status.success(),
        "l'exemple a échoué ({}) :\n{stdout}\n{}",
        sortie.status,
        String::from_utf8_lossy(&sortie.stderr)
    );
    for ligne in [
        "TCP_NODELAY avant : false",
        "TCP_NODELAY après : true",
        "SO_KEEPALIVE après : true",
        "première sonde après 60 s de silence",
        "SO_REUSEADDR : true",
        "de nouveau attachée au port",
    ] {
        assert!(stdout.contains(ligne), "« {ligne} » manque :\n{stdout}");
    }
}

#[test]
fn double_pile_accepte_ipv4_et_ipv6() {
    let sortie = executer(env!("CARGO_BIN_EXE_exemple-double-pile"));
    let stdout = String::from_utf8_lossy(&sortie.stdout);
    let stderr = String::from_utf8_lossy(&sortie.stderr);
    if sortie.status.code() == Some(2) && stderr.contains("pas de boucle locale IPv6") {
        // Une machine (un conteneur, souvent) sans ::1 : dit en clair, hors
        // de la capture de cargo test, plutôt que réussi en silence.
        use std::io::Write;
        let _ = std::io::stderr().write_all(
            "double_pile_accepte_ipv4_et_ipv6 : non vérifiable sur cette machine (pas de ::1)\n"
                .as_bytes(),
        );
        return;
    }
    assert!(
        sortie.status.success(),
        "échec ({}) :\n{stdout}\n{stderr}",
        sortie.status
    );
    for ligne in [
        "2001:db8:0:0:0:0:0:2a    → 20010db800000000000000000000002a  → 2001:db8::2a",
        "client ::1        → accepté, vu comme ::1",
        "vu comme ::ffff:127.0.0.1 (IPv4 127.0.0.1 mappée)",
        "client 127.0.0.1 → refusé",
        "→ Connection refused",
        "connecté à 127.0.0.1:",
    ] {
        assert!(stdout.contains(ligne), "« {ligne} » manque :\n{stdout}");
    }
}
