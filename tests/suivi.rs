//! Le mode suivi (`cargo suivre`) conduit pour de vrai dans un terminal :
//! tmux le lance dans une copie de l'espace de travail des étudiants
//! (`outils::exporter`), puis on lit l'écran (`tmux capture-pane`) comme le
//! ferait l'étudiant :
//!
//! 1. l'écran montre le TP09, l'étape 1 ratée et la commande qui la lance ;
//! 2. on écrit l'étape 1 du serveur dans le squelette : l'étape passe au
//!    vert, l'étape 2 devient la première ratée ;
//! 3. on casse la compilation : l'écran dit en français que le TP ne compile
//!    pas, avec la première erreur du compilateur ;
//! 4. on répare, on demande un indice (touche `i`) : il s'affiche et l'état
//!    (`target/suivi/etat.json`) s'en souvient ;
//! 5. on quitte avec `q` : plus aucun processus (ni le mode suivi, ni un
//!    binaire de test, ni un programme `tp09`).
//!
//! tmux n'est pas une dépendance de `cargo test`, et ce test compile une
//! copie du TP : il est ignoré par défaut. `.ci/run` installe tmux et le
//! lance à part :
//!
//! ```sh
//! cargo test --test suivi -- --ignored
//! ```

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread;
use std::time::{Duration, Instant};

/// Délai pour la première correction (compilation de la copie comprise,
/// sur une machine chargée).
const PREMIERE_CORRECTION: Duration = Duration::from_secs(600);
/// Délai pour une recorrection après une sauvegarde.
const RECORRECTION: Duration = Duration::from_secs(300);

/// L'étape 1 du serveur, écrite comme un étudiant l'écrirait : les deux
/// `todo!()` de l'étape 1 et leur remplaçant.
const ETAPE_1: [(&str, &str); 2] = [
    (
        r#"todo!("Étape 1 : créer la socket, l'attacher au port (bind) et la mettre en écoute (listen)")"#,
        r#"let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))
        .context("création de la socket impossible")?;
    socket
        .set_reuse_address(true)
        .context("option SO_REUSEADDR refusée")?;
    let adresse = SocketAddr::from((Ipv4Addr::UNSPECIFIED, port));
    socket
        .bind(&adresse.into())
        .with_context(|| format!("attachement au port {port} impossible"))?;
    socket.listen(BACKLOG).context("mise en écoute impossible")?;
    Ok(socket)"#,
    ),
    (
        r#"todo!("Étape 1 : lire le port réellement attaché (local_addr)")"#,
        r#"let locale = ecoute.local_addr().context("adresse locale illisible")?;
    let locale = locale.as_socket().context("adresse locale qui n'est pas IP")?;
    Ok(locale.port())"#,
    ),
];

/// Un serveur tmux à soi (`-L`), tué à la fin quoi qu'il arrive.
struct Tmux {
    serveur: String,
}

impl Tmux {
    fn commande(&self) -> Command {
        let mut commande = Command::new("tmux");
        commande.args(["-L", &self.serveur]);
        commande
    }

    fn lancer(&self, args: &[&str]) -> Output {
        let sortie = self
            .commande()
            .args(args)
            .output()
            .expect("tmux introuvable : installez le paquet Debian tmux");
        assert!(
            sortie.status.success(),
            "tmux {args:?} a échoué : {}",
            String::from_utf8_lossy(&sortie.stderr)
        );
        sortie
    }

    fn ecran(&self) -> String {
        String::from_utf8_lossy(&self.lancer(&["capture-pane", "-p", "-t", "suivi"]).stdout)
            .into_owned()
    }

    fn touche(&self, touche: &str) {
        self.lancer(&["send-keys", "-t", "suivi", touche]);
    }

    /// Attend que l'écran satisfasse `condition`, au plus `delai` ; sinon
    /// échoue en montrant le dernier écran.
    fn attendre(&self, quoi: &str, delai: Duration, condition: impl Fn(&str) -> bool) -> String {
        let limite = Instant::now() + delai;
        loop {
            let ecran = self.ecran();
            if condition(&ecran) {
                return ecran;
            }
            if Instant::now() >= limite {
                let etat = self
                    .commande()
                    .args([
                        "list-panes",
                        "-t",
                        "suivi",
                        "-F",
                        "mort : #{pane_dead}, pid : #{pane_pid}",
                    ])
                    .output()
                    .map(|s| String::from_utf8_lossy(&s.stdout).into_owned())
                    .unwrap_or_default();
                panic!(
                    "au bout de {} s, l'écran ne montre pas {quoi} ({}) :\n{ecran}",
                    delai.as_secs(),
                    etat.trim()
                );
            }
            thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.commande().arg("kill-server").output();
    }
}

/// Construit l'outil `suivre` de l'espace de travail et rend son chemin.
fn construire_suivre(racine: &Path) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let sortie = Command::new(cargo)
        .current_dir(racine)
        .args([
            "build",
            "--quiet",
            "-p",
            "outils",
            "--bin",
            "suivre",
            "--message-format=json",
        ])
        .output()
        .expect("cargo introuvable");
    assert!(
        sortie.status.success(),
        "construction de suivre : {}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    String::from_utf8_lossy(&sortie.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find_map(|m| {
            (m["target"]["name"] == "suivre")
                .then(|| m["executable"].as_str().map(PathBuf::from))
                .flatten()
        })
        .expect("pas d'exécutable suivre dans la sortie de cargo")
}

/// Les processus vivants (zombies exclus) dont l'exécutable est sous
/// `dossier`, ou qui portent la marque du mode suivi `pid`.
fn processus_restants(dossier: &Path, pid: u32) -> Vec<String> {
    let marque = format!("SUIVI_MARQUE={pid}-");
    let mut restes = Vec::new();
    for entree in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(n) = entree
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let etat = fs::read_to_string(format!("/proc/{n}/stat")).unwrap_or_default();
        if etat
            .rsplit(')')
            .next()
            .is_some_and(|f| f.trim_start().starts_with('Z'))
        {
            continue;
        }
        let exe = fs::read_link(format!("/proc/{n}/exe")).unwrap_or_default();
        let marque_trouvee = fs::read(format!("/proc/{n}/environ")).is_ok_and(|env| {
            env.split(|o| *o == 0)
                .any(|v| v.starts_with(marque.as_bytes()))
        });
        if n == pid || exe.starts_with(dossier) || marque_trouvee {
            restes.push(format!("{n} {}", exe.display()));
        }
    }
    restes
}

/// Le mode suivi lancé dans tmux, dans une copie fraîche de l'espace des
/// étudiants.
struct Session {
    tmux: Tmux,
    /// Le numéro du processus du mode suivi.
    pid: u32,
    espace: PathBuf,
    cible: PathBuf,
    _copie: tempfile::TempDir,
}

fn demarrer(nom: &str) -> Session {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let suivre = construire_suivre(racine);

    // La copie de l'espace des étudiants, compilée dans un dossier à elle
    // (gardé d'une fois sur l'autre : seuls le correcteur et le TP se
    // recompilent). Surtout pas dans target/debug : son binaire tp09
    // écraserait celui de l'espace de travail.
    let copie = tempfile::tempdir().expect("dossier temporaire");
    let espace = copie.path().join("espace");
    outils::exporter(racine, &espace).expect("export de l'espace des étudiants");
    let cible = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("suivi-{nom}"));
    // L'état du mode suivi (indices vus, temps passé) repart de zéro.
    let _ = fs::remove_dir_all(cible.join("suivi"));

    let tmux = Tmux {
        serveur: format!("suivi-{nom}-{}", std::process::id()),
    };
    let cible_env = format!("CARGO_TARGET_DIR={}", cible.display());
    // Une coquille garde le terminal ouvert après la fin du mode suivi : son
    // dernier mot et son code de sortie restent lisibles à l'écran (un
    // programme qui meurt avec son terminal peut perdre ses dernières lignes).
    let commande = format!(
        "'{}' tp09; echo \"code de sortie : $?\"; sleep 600",
        suivre.display()
    );
    tmux.lancer(&[
        "new-session",
        "-d",
        "-s",
        "suivi",
        "-x",
        "100",
        "-y",
        "40",
        "-c",
        espace.to_str().expect("chemin en UTF-8"),
        "-e",
        &cible_env,
        "-e",
        "NO_COLOR=1",
        &commande,
    ]);
    let coquille: u32 = String::from_utf8_lossy(
        &tmux
            .lancer(&["display-message", "-p", "-t", "suivi", "#{pane_pid}"])
            .stdout,
    )
    .trim()
    .parse()
    .expect("pid de la coquille");
    let pid = enfant_de(coquille, &suivre);
    Session {
        tmux,
        pid,
        espace,
        cible,
        _copie: copie,
    }
}

/// Le processus `exe` lancé par le processus `parent` (attendu au plus
/// 10 s).
fn enfant_de(parent: u32, exe: &Path) -> u32 {
    let limite = Instant::now() + Duration::from_secs(10);
    loop {
        for entree in fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(n) = entree
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let etat = fs::read_to_string(format!("/proc/{n}/stat")).unwrap_or_default();
            let ppid = etat
                .rsplit(')')
                .next()
                .and_then(|f| f.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(parent)
                && fs::read_link(format!("/proc/{n}/exe")).is_ok_and(|e| e == exe)
            {
                return n;
            }
        }
        assert!(Instant::now() < limite, "le mode suivi n'a pas démarré");
        thread::sleep(Duration::from_millis(20));
    }
}

/// Attend qu'il ne reste plus rien du mode suivi (borné).
fn attendre_qu_il_ne_reste_rien(session: &Session, apres: &str) {
    let limite = Instant::now() + Duration::from_secs(10);
    loop {
        let restes = processus_restants(&session.cible, session.pid);
        if restes.is_empty() {
            return;
        }
        assert!(
            Instant::now() < limite,
            "processus restés après {apres} : {restes:?}"
        );
        thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[ignore = "il faut tmux (paquet Debian tmux) : cargo test --test suivi -- --ignored"]
fn le_mode_suivi_recorrige_a_chaque_sauvegarde_et_ne_laisse_rien_derriere_lui() {
    let debut = Instant::now();
    let session = demarrer("sauvegardes");
    let (tmux, espace, cible) = (&session.tmux, &session.espace, &session.cible);

    // 1. Le squelette : l'étape 1 est ratée.
    let ecran = tmux.attendre("l'étape 1 ratée", PREMIERE_CORRECTION, |e| {
        e.contains("✗ serveur_1_ecoute")
    });
    assert!(
        ecran.starts_with(&format!(
            "cargo suivre · tp09 · 0/{} étapes",
            etapes_du_tp09()
        )),
        "{ecran}"
    );
    assert!(
        ecran.contains("Pour lancer cette étape seule : cargo test -p tp09 serveur_1_ecoute"),
        "{ecran}"
    );
    assert!(ecran.contains("✗ TP09 · serveur · étape 1"), "{ecran}");
    assert!(
        ecran.contains("· serveur_2_bienvenue"),
        "non atteinte :\n{ecran}"
    );
    let premiere_correction = debut.elapsed();

    // 2. L'étape 1 écrite : elle passe au vert, l'étape 2 est la suivante.
    let source = espace.join("exercises/tp09/src/serveur.rs");
    let squelette = fs::read_to_string(&source).expect("squelette du serveur");
    let mut complete = squelette.clone();
    for (todo, code) in ETAPE_1 {
        assert!(
            complete.contains(todo),
            "squelette changé : {todo} introuvable"
        );
        complete = complete.replace(todo, code);
    }
    fs::write(&source, &complete).expect("écriture du squelette");
    let ecran = tmux.attendre("l'étape 1 réussie", RECORRECTION, |e| {
        e.contains("✓ serveur_1_ecoute") && e.contains("✗ serveur_2_bienvenue")
    });
    assert!(
        ecran.starts_with(&format!(
            "cargo suivre · tp09 · 4/{} étapes",
            etapes_du_tp09()
        )),
        "{ecran}"
    );
    assert!(
        ecran.contains("cargo test -p tp09 serveur_2_bienvenue"),
        "{ecran}"
    );

    // 3. Une erreur de compilation : l'écran la dit en français.
    let casse = complete.replace(
        "Ok(locale.port())",
        "let _port: u32 = \"pas un nombre\";\n    Ok(locale.port())",
    );
    fs::write(&source, casse).expect("écriture du squelette");
    let ecran = tmux.attendre("l'erreur de compilation", RECORRECTION, |e| {
        e.contains("ne compile pas") && e.contains("Première erreur du compilateur")
    });
    assert!(ecran.contains("serveur.rs, ligne"), "{ecran}");
    assert!(ecran.contains("mismatched types"), "{ecran}");
    assert!(ecran.contains("rustc --explain E0308"), "{ecran}");
    assert!(
        ecran.contains("· serveur_1_ecoute"),
        "rien n'a tourné : aucune étape atteinte\n{ecran}"
    );

    // 4. Réparé : l'étape 2 redevient la première ratée ; un indice.
    fs::write(&source, &complete).expect("écriture du squelette");
    tmux.attendre("l'étape 2 ratée", RECORRECTION, |e| {
        e.contains("✓ serveur_1_ecoute") && e.contains("✗ serveur_2_bienvenue")
    });
    tmux.touche("i");
    let ecran = tmux.attendre("le premier indice", Duration::from_secs(10), |e| {
        e.contains("Indice 1/")
    });
    println!("Écran du mode suivi (tmux capture-pane) :\n{ecran}");
    let etat = fs::read_to_string(cible.join("suivi/etat.json")).expect("état du mode suivi");
    let etat: serde_json::Value = serde_json::from_str(&etat).expect("état en JSON");
    assert_eq!(etat["tp09"]["indices"]["serveur_2_bienvenue"], 1, "{etat}");
    assert_eq!(etat["tp09"]["reussies"], 4, "{etat}");

    // 5. On quitte : le mode suivi dit où on en est, et rien ne reste.
    tmux.touche("q");
    let ecran = tmux.attendre("le mot de la fin", Duration::from_secs(20), |e| {
        e.contains("code de sortie : ")
    });
    assert!(ecran.contains("code de sortie : 0"), "{ecran}");
    assert!(
        ecran.contains(&format!(
            "cargo suivre : tp09 · 4/{} étapes",
            etapes_du_tp09()
        )),
        "{ecran}"
    );
    assert!(
        ecran.contains("prochaine : cargo test -p tp09 serveur_2_bienvenue"),
        "{ecran}"
    );
    attendre_qu_il_ne_reste_rien(&session, "q");
    println!(
        "première correction : {:.0} s ; tout le test : {:.0} s",
        premiere_correction.as_secs_f64(),
        debut.elapsed().as_secs_f64()
    );
}

#[test]
#[ignore = "il faut tmux (paquet Debian tmux) : cargo test --test suivi -- --ignored"]
fn le_terminal_qui_disparait_arrete_le_mode_suivi_et_ses_programmes() {
    let session = demarrer("raccroche");
    session
        .tmux
        .attendre("l'étape 1 ratée", PREMIERE_CORRECTION, |e| {
            e.contains("✗ serveur_1_ecoute")
        });
    // Comme une connexion SSH qui tombe : le terminal disparaît (SIGHUP).
    session.tmux.lancer(&["kill-server"]);
    attendre_qu_il_ne_reste_rien(&session, "la fermeture du terminal");
}

#[test]
#[ignore = "il faut tmux (paquet Debian tmux) : cargo test --test suivi -- --ignored"]
fn ctrl_c_rend_le_terminal_et_ne_laisse_rien() {
    let session = demarrer("ctrl-c");
    session
        .tmux
        .attendre("l'étape 1 ratée", PREMIERE_CORRECTION, |e| {
            e.contains("✗ serveur_1_ecoute")
        });
    session.tmux.touche("C-c");
    // Le mot de la fin s'écrit sur l'écran normal : l'écran secondaire a
    // été quitté, le terminal rendu.
    let ecran = session
        .tmux
        .attendre("le mot de la fin", Duration::from_secs(20), |e| {
            e.contains("code de sortie : ")
        });
    assert!(ecran.contains("code de sortie : 0"), "{ecran}");
    assert!(
        ecran.contains(&format!(
            "cargo suivre : tp09 · 0/{} étapes",
            etapes_du_tp09()
        )),
        "{ecran}"
    );
    assert!(
        !ecran.contains("r recorriger"),
        "écran secondaire resté :\n{ecran}"
    );
    attendre_qu_il_ne_reste_rien(&session, "Ctrl+C");
}

/// `cargo suivre --une-fois` dans l'espace `espace` : son code et sa sortie.
fn suivre_une_fois(espace: &Path, cible: &Path) -> (bool, String) {
    let suivre = construire_suivre(Path::new(env!("CARGO_MANIFEST_DIR")));
    let sortie = Command::new(suivre)
        .current_dir(espace)
        .args(["tp09", "--une-fois"])
        .env("CARGO_TARGET_DIR", cible)
        .output()
        .expect("suivre");
    (
        sortie.status.success(),
        String::from_utf8_lossy(&sortie.stdout).into_owned(),
    )
}

/// `cargo test -p tp09` dans l'espace `espace` : son code et sa sortie.
fn cargo_test(espace: &Path, cible: &Path) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let sortie = Command::new(cargo)
        .current_dir(espace)
        .args(["test", "-q", "-p", "tp09"])
        .env("CARGO_TARGET_DIR", cible)
        .output()
        .expect("cargo test");
    (
        sortie.status.success(),
        String::from_utf8_lossy(&sortie.stdout).into_owned(),
    )
}

#[test]
#[ignore = "compile une copie du TP09 : cargo test --test suivi -- --ignored"]
fn le_verdict_est_celui_de_cargo_test() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copie = tempfile::tempdir().expect("dossier temporaire");
    let espace = copie.path().join("espace");
    outils::exporter(racine, &espace).expect("export de l'espace des étudiants");
    let cible = Path::new(env!("CARGO_TARGET_TMPDIR")).join("suivi-verdict");
    let _ = fs::remove_dir_all(cible.join("suivi"));
    // Le TP09 fini : les sources du corrigé à la place du squelette.
    for fichier in ["main.rs", "serveur.rs", "client.rs"] {
        fs::copy(
            racine.join("solutions/tp09/src").join(fichier),
            espace.join("exercises/tp09/src").join(fichier),
        )
        .expect("copie du corrigé");
    }
    let (fini, ecran) = suivre_une_fois(&espace, &cible);
    let (vert, sortie) = cargo_test(&espace, &cible);
    assert!(vert, "cargo test -p tp09 sur le corrigé :\n{sortie}");
    assert!(fini, "même verdict que cargo test attendu :\n{ecran}");
    assert!(
        ecran.starts_with(&format!(
            "cargo suivre · tp09 · {n}/{n} étapes",
            n = etapes_du_tp09()
        )),
        "{ecran}"
    );
    assert!(
        ecran.contains("✓ tp09 est fini : toutes les étapes passent"),
        "{ecran}"
    );
    assert!(
        ecran.contains("Appuyez sur s pour passer au tp10."),
        "{ecran}"
    );

    // Une faute dans la bienvenue : les deux refusent, sur la même étape.
    let serveur = espace.join("exercises/tp09/src/serveur.rs");
    let source = fs::read_to_string(&serveur).expect("serveur du corrigé");
    assert!(source.contains("la connexion est établie"));
    fs::write(
        &serveur,
        source.replace("la connexion est établie", "la connexion est etablie"),
    )
    .expect("écriture");
    let (fini, ecran) = suivre_une_fois(&espace, &cible);
    let (vert, sortie) = cargo_test(&espace, &cible);
    assert!(!vert, "cargo test -p tp09 devait échouer :\n{sortie}");
    assert!(!fini, "même verdict que cargo test attendu :\n{ecran}");
    assert!(ecran.contains("✗ serveur_2_bienvenue"), "{ecran}");
    assert!(
        sortie.contains("serveur_2_bienvenue") && sortie.contains("FAILED"),
        "{sortie}"
    );
}

/// Le nombre d'étapes du TP09, tiré du correcteur (il change quand le
/// chapitre gagne une règle).
fn etapes_du_tp09() -> usize {
    correcteur::etapes::TP09.len()
}
