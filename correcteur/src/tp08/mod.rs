//! TP08 — socket locale (AF_UNIX).
//!
//! Le scénario (chapitre « TP08 » du livre) : le serveur crée une socket
//! locale au chemin donné, puis sert les clients l'un après l'autre ; chacun
//! envoie un octet, le serveur renvoie l'octet suivant (255 donne 0) et
//! ferme. Sur SIGINT ou SIGTERM, il supprime le fichier de sa socket et
//! finit avec le code 0.
//!
//! Le correcteur prépare lui-même le terrain avant de lancer le serveur :
//! une socket périmée, ou un fichier de l'utilisateur à ne pas détruire. Il
//! observe le serveur par `/proc` (socket en écoute, descripteurs ouverts,
//! signaux interceptés) plutôt que par des connexions de sonde.

mod local;

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::etape::{Cote, DELAI_DEMARRAGE, DELAI_REPONSE, Etape, statut_en_clair};
use crate::indices;
use crate::processus::Programme;
use crate::reseau::{Injoignable, LectureIncomplete, Raison};

use local::ServeurLocal;

const TP: &str = "TP08";

/// Le chemin donné au serveur dans la plupart des étapes (relatif : il est
/// créé dans le dossier temporaire du programme).
const NOM: &str = "ma_socket";
/// Le chemin par défaut du chapitre.
const CHEMIN_PAR_DEFAUT: &str = "socket_serveur";
/// Les octets des cinq clients de l'étape 3 : des lettres, le dernier
/// caractère ASCII visible, l'espace et 255, dont le suivant est 0.
const OCTETS_DES_CLIENTS: [u8; 5] = [b'A', b'z', 0xff, b'~', b' '];
/// Clients servis entre les deux relevés de descripteurs de l'étape 4.
const CLIENTS_EN_PLUS: u8 = 20;
/// Le temps laissé au serveur, une fois en écoute, pour intercepter les signaux.
const DELAI_INTERCEPTION: Duration = Duration::from_secs(1);
/// Le texte d'un fichier de l'utilisateur, que le serveur ne doit pas détruire.
const FICHIER_DE_L_UTILISATEUR: &[u8] = b"Mes notes de cours : ne pas effacer !\n";

// Les pistes propres aux sockets locales.
const ADRESSE_OCCUPEE: &str = "pour une socket locale, « adresse déjà utilisée » (os error 98) \
    veut dire que le fichier existe déjà : bind() ne crée le fichier que si le chemin est libre. \
    Si c'est une socket laissée par un serveur arrêté brutalement, supprimez-la \
    (std::fs::remove_file) avant bind().";
const CONNEXION_REFUSEE: &str = "connexion refusée (os error 111) : le fichier de la socket \
    existe, mais aucun serveur ne l'écoute (un reste d'un serveur arrêté, ou listen() pas encore \
    appelé).";
const DEBORDEMENT: &str = "255 + 1 ne tient pas dans un u8 : en mode debug, Rust panique sur ce \
    débordement. octet.wrapping_add(1) repart de 0.";
const SUIVANT: &str =
    "le serveur renvoie l'octet qui suit celui reçu : octet.wrapping_add(1) (255 donne 0).";
const AFFICHAGE: &str = "affichez chaque octet avec la fonction lisible() de main.rs : un \
    caractère ASCII visible tel quel, tout autre octet en \\xNN (255 s'écrit \\xff).";
const BOUCLE: &str = "après avoir répondu à un client et fermé sa socket de service, le serveur \
    retourne dans accept() : une boucle loop { … } autour d'accept et du service.";
const FERMER: &str = "chaque accept() ouvre une socket de service, donc un descripteur : lâchez-la \
    (drop) une fois la réponse envoyée. Sinon, le serveur finira par atteindre la limite de \
    descripteurs du processus (ulimit -n), et accept() échouera (« Too many open files »).";
const MUET: &str = "un client qui part sans envoyer d'octet n'arrête pas le serveur : \
    n'utilisez pas ? sur le service d'un client dans la boucle, affichez l'erreur (eprintln!) et \
    retournez dans accept().";
const INTERCEPTER: &str = "par défaut, SIGINT et SIGTERM tuent le processus sans rien lui laisser \
    faire. Interceptez-les (signal_hook::iterator::Signals, dans un fil à part), supprimez le \
    fichier de la socket, puis std::process::exit(0).";
const RESTE: &str = "le fichier d'une socket locale survit à la fermeture de la socket et à la \
    fin du processus : seul unlink (std::fs::remove_file) le supprime.";
const NE_PAS_DETRUIRE: &str = "avant de supprimer ce qui occupe le chemin, vérifiez que c'est une \
    socket (std::fs::symlink_metadata(…)?.file_type().is_socket()) ; sinon, refusez de démarrer \
    sans y toucher.";
const CODE_D_ECHEC: &str = "rendez l'erreur à main (? ou bail!) avec un message en français : \
    main l'affiche sur la sortie d'erreur et finit avec le code 1.";

/// Un octet tel que les programmes l'affichent et le reçoivent en argument :
/// lui-même s'il est un caractère ASCII visible, sinon `\xNN`.
pub fn lisible(octet: u8) -> String {
    if octet.is_ascii_graphic() {
        char::from(octet).to_string()
    } else {
        format!("\\x{octet:02x}")
    }
}

/// La réponse du serveur à un octet : le suivant, 255 donnant 0.
pub fn suivant(octet: u8) -> u8 {
    octet.wrapping_add(1)
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

/// Un échec qui montre la sortie du programme, avec une piste tirée de sa
/// sortie d'erreur. Les pistes générales parlent de ports TCP : pour les
/// erreurs qui ont un sens différent en local, on donne la nôtre.
fn echec(etape: &Etape, programme: &Programme, explication: impl Into<String>) -> Diagnostic {
    let erreurs = programme.erreurs();
    let indice = if erreurs.contains("(os error 98)") {
        Some(ADRESSE_OCCUPEE)
    } else if erreurs.contains("(os error 111)") {
        Some(CONNEXION_REFUSEE)
    } else if erreurs.contains("with overflow") {
        Some(DEBORDEMENT)
    } else {
        indices::dans_les_erreurs(&erreurs)
    };
    let diagnostic = etape
        .echec(explication)
        .sortie(programme.dernieres_lignes());
    match indice {
        Some(indice) => diagnostic.indice(indice),
        None => diagnostic,
    }
}

/// Le diagnostic d'un programme qu'on n'a pas pu joindre.
fn injoignable(
    etape: &Etape,
    raison: Injoignable,
    programme: &Programme,
    attendu: &str,
) -> Diagnostic {
    match raison {
        Injoignable::Arrete(statut) => echec(
            etape,
            programme,
            format!(
                "Le {} s'est arrêté ({}) avant {attendu}.",
                programme.role,
                statut_en_clair(statut)
            ),
        ),
        Injoignable::Delai(erreur) => {
            let diagnostic = echec(
                etape,
                programme,
                format!(
                    "En {} s, le {} n'a pas été en mesure {attendu}.",
                    DELAI_DEMARRAGE.as_secs(),
                    programme.role
                ),
            );
            let indice = erreur.as_ref().and_then(|e| match e.kind() {
                std::io::ErrorKind::AddrInUse => Some(ADRESSE_OCCUPEE),
                std::io::ErrorKind::ConnectionRefused => Some(CONNEXION_REFUSEE),
                _ => indices::pour_erreur(e),
            });
            match indice {
                Some(indice) => diagnostic.indice(indice),
                None => diagnostic,
            }
        }
    }
}

/// Nomme la règle enfreinte, sauf si le programme s'est arrêté sur un
/// `todo!()` : une étape pas encore écrite n'enfreint rien, elle manque.
fn nommer(diagnostic: Diagnostic, programme: &Programme, regle: &'static str) -> Diagnostic {
    if programme.erreurs().contains("not yet implemented") {
        diagnostic
    } else {
        diagnostic.regle(regle)
    }
}

/// Comme [`nommer`], mais une règle déjà nommée au plus près de
/// l'observation est gardée.
fn nommer_par_defaut(
    diagnostic: Diagnostic,
    programme: &Programme,
    regle: &'static str,
) -> Diagnostic {
    if diagnostic.regle.is_some() {
        diagnostic
    } else {
        nommer(diagnostic, programme, regle)
    }
}

/// Si le serveur, lancé avec `chemin` (hors de son dossier de travail), a
/// créé une socket dans son dossier de travail, il ne l'a pas créée au
/// chemin reçu (R1) : le diagnostic le dit, et nomme R1. Sinon, inchangé.
fn socket_ailleurs(mut diagnostic: Diagnostic, programme: &Programme, chemin: &Path) -> Diagnostic {
    let mut ailleurs: Vec<String> = std::fs::read_dir(programme.dossier())
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path() != chemin && local::est_une_socket(&e.path()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if ailleurs.is_empty() {
        return diagnostic;
    }
    ailleurs.sort();
    diagnostic.explication.push_str(&format!(
        "\nLe serveur a pourtant créé une socket dans son dossier de travail ({}), et non au \
         chemin reçu en argument ({}).",
        ailleurs.join(", "),
        chemin.display()
    ));
    nommer(
        diagnostic.indice(
            "la socket se crée au chemin reçu en argument (commun::chemin() ou \
             std::env::args()), pas à un chemin écrit en dur.",
        ),
        programme,
        "R1",
    )
}

/// Place la situation préparée par le correcteur avant l'explication.
fn dans_la_situation(mut diagnostic: Diagnostic, situation: &str) -> Diagnostic {
    diagnostic.explication = format!("{situation}\n{}", diagnostic.explication);
    diagnostic
}

/// Un échec du correcteur lui-même (dossier, fichier) avant de lancer le programme.
fn preparation(etape: &Etape, erreur: std::io::Error) -> Diagnostic {
    etape.echec(format!(
        "Le correcteur n'a pas pu préparer l'étape : {erreur}."
    ))
}

/// Vérifie qu'un programme qui devait refuser de travailler l'a fait
/// proprement : message sur la sortie d'erreur, code 1, pas de panique.
/// `regle` : la règle du chapitre qui le demande.
fn refus_propre(
    etape: &Etape,
    programme: &Programme,
    statut: std::process::ExitStatus,
    situation: &str,
    regle: &'static str,
) -> Result<(), Diagnostic> {
    let role = &programme.role;
    let erreurs = programme.erreurs();
    // La piste d'une panique vient de la sortie d'erreur (todo!, unwrap…).
    let (explication, indice) = if erreurs.contains("panicked") {
        (
            format!("Le {role} a paniqué au lieu d'expliquer le problème."),
            None,
        )
    } else if statut.success() {
        (
            format!("Le {role} s'est terminé avec le code 0, comme si tout allait bien."),
            Some(CODE_D_ECHEC),
        )
    } else if erreurs.trim().is_empty() {
        (
            format!("Le {role} s'est arrêté sans rien écrire sur la sortie d'erreur."),
            Some(CODE_D_ECHEC),
        )
    } else if statut.code() != Some(1) {
        (
            format!(
                "Le {role} a bien expliqué le problème, mais s'est terminé ({}) au lieu du \
                 code 1.",
                statut_en_clair(statut)
            ),
            Some(CODE_D_ECHEC),
        )
    } else {
        return Ok(());
    };
    let diagnostic = nommer(
        dans_la_situation(echec(etape, programme, explication), situation),
        programme,
        regle,
    );
    Err(match indice {
        Some(indice) => diagnostic.indice(indice),
        None => diagnostic,
    })
}

// ─── Le serveur de l'étudiant ──────────────────────────────────────────────

/// Lance le serveur sur `chemin` et attend qu'il y écoute.
fn serveur_a_l_ecoute(
    etape: &Etape,
    binaire: &Path,
    chemin: &str,
) -> Result<(Programme, PathBuf), Diagnostic> {
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", chemin])?;
    let absolu = programme.dossier().join(chemin);
    match local::attendre_ecoute(&mut programme, &absolu, DELAI_DEMARRAGE) {
        Ok(()) => Ok((programme, absolu)),
        Err(Injoignable::Delai(_)) => Err(pas_de_socket(etape, &programme, &absolu)),
        // Il a créé sa socket (elle est restée), puis s'est arrêté : le dire
        // tel quel, plutôt que « avant d'écouter ».
        Err(Injoignable::Arrete(statut)) if local::est_une_socket(&absolu) => Err(echec(
            etape,
            &programme,
            format!(
                "Le serveur a créé sa socket {chemin}, puis s'est arrêté ({}) au lieu \
                 d'attendre ses clients.",
                statut_en_clair(statut)
            ),
        )),
        Err(raison) => Err(injoignable(
            etape,
            raison,
            &programme,
            &format!("d'écouter sur sa socket {chemin}"),
        )),
    }
}

/// Ce qu'il y a (ou pas) au chemin d'un serveur qui n'y écoute pas.
fn pas_de_socket(etape: &Etape, programme: &Programme, chemin: &Path) -> Diagnostic {
    let nom = chemin.file_name().unwrap_or_default().to_string_lossy();
    let delai = DELAI_DEMARRAGE.as_secs();
    let explication = if local::est_une_socket(chemin) {
        format!(
            "Le fichier {nom} est bien une socket, mais le serveur ne l'écoute pas \
             (pas de listen() après {delai} s)."
        )
    } else if std::fs::symlink_metadata(chemin).is_ok() {
        format!("Le serveur tourne, mais {nom} n'est pas une socket.")
    } else {
        format!("Aucune socket {nom} n'est apparue dans le dossier du serveur en {delai} s.")
    };
    let mut contenu: Vec<String> = std::fs::read_dir(programme.dossier())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    contenu.sort();
    // Pas de socket à l'écoute au chemin reçu : c'est la règle R1, quelle
    // que soit l'étape qui l'attendait (pas de règle pour un todo!()).
    let diagnostic = nommer(echec(etape, programme, explication), programme, "R1");
    if contenu.is_empty() || contenu == [nom.as_ref()] {
        diagnostic.indice("bind() crée le fichier de la socket, au chemin reçu en argument.")
    } else {
        diagnostic.indice(format!(
            "le dossier du serveur contient : {}. La socket doit être au chemin reçu en \
             argument ({nom}), pas à un chemin écrit en dur.",
            contenu.join(", ")
        ))
    }
}

/// L'étape 1 ne demande que la socket au chemin. Un serveur qui s'arrête
/// juste après l'avoir créée (sur le `todo!()` de l'étape 2, par exemple) la
/// réussit : son fichier est resté, et les étapes suivantes diront la suite.
/// `perimee` : l'inode de la socket périmée laissée par le correcteur, qui
/// ne compte pas.
fn socket_creee(
    etape: &Etape,
    programme: &mut Programme,
    chemin: &Path,
    perimee: Option<u64>,
) -> Result<(), Diagnostic> {
    match local::attendre_ecoute(programme, chemin, DELAI_DEMARRAGE) {
        Ok(()) => Ok(()),
        Err(Injoignable::Arrete(_))
            if local::est_une_socket(chemin) && local::inode(chemin) != perimee =>
        {
            Ok(())
        }
        Err(Injoignable::Delai(_)) => Err(pas_de_socket(etape, programme, chemin)),
        Err(raison) => Err(injoignable(
            etape,
            raison,
            programme,
            "de créer sa socket au chemin donné",
        )),
    }
}

/// Étape 1 : une socket (un fichier de type « s ») apparaît au chemin
/// donné, et le serveur l'écoute.
pub fn serveur_1_fichier_socket(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "une socket au chemin donné");
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", NOM])?;
    let chemin = programme.dossier().join(NOM);
    socket_creee(&etape, &mut programme, &chemin, None).map_err(|d| nommer(d, &programme, "R1"))?;
    etape
        .lignes_affichees(
            &programme,
            &[&format!("Le serveur attend des clients sur {NOM}")],
            "une fois la socket en écoute, annoncez-la avec le chemin reçu en argument, tel \
             quel : « Le serveur attend des clients sur CHEMIN ».",
        )
        .map_err(|d| d.regle("R1"))
}

/// Étape 1 bis : une socket périmée occupe le chemin ; le serveur la
/// remplace par la sienne.
pub fn serveur_1_fichier_perime(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "démarrage sur une socket périmée");
    let dossier = local::dossier_temporaire().map_err(|e| preparation(&etape, e))?;
    let chemin = dossier.path().join(CHEMIN_PAR_DEFAUT);
    local::socket_perimee(&chemin).map_err(|e| preparation(&etape, e))?;
    // Un second nom (lien physique) garde l'inode de la socket périmée
    // occupé : la socket neuve en aura forcément un autre, et on saura les
    // distinguer même si le serveur s'arrête aussitôt après l'avoir créée.
    std::fs::hard_link(&chemin, dossier.path().join("temoin"))
        .map_err(|e| preparation(&etape, e))?;
    let perimee = local::inode(&chemin);
    let argument = chemin.to_string_lossy().into_owned();
    let mut programme = etape.lancer(binaire, "serveur", &["serveur", &argument])?;
    let situation = "Le correcteur a laissé au chemin une socket périmée : un fichier de type \
        socket que personne n'écoute, comme après l'arrêt brutal d'un serveur.";
    socket_creee(&etape, &mut programme, &chemin, perimee)
        .and_then(|()| {
            etape.lignes_affichees(
                &programme,
                &[&format!("Ancienne socket supprimée : {argument}")],
                "annoncez la suppression, avec le chemin reçu en argument : « Ancienne socket \
                 supprimée : CHEMIN ».",
            )
        })
        .map_err(|d| {
            let d = socket_ailleurs(dans_la_situation(d, situation), &programme, &chemin);
            nommer_par_defaut(d, &programme, "R2")
        })
}

/// Vrai si le fichier de l'utilisateur est toujours là, intact.
fn intact(chemin: &Path) -> bool {
    std::fs::symlink_metadata(chemin).is_ok_and(|m| m.is_file())
        && std::fs::read(chemin).is_ok_and(|octets| octets == FICHIER_DE_L_UTILISATEUR)
}

/// Étape 1 ter : un fichier ordinaire occupe le chemin ; le serveur refuse
/// de démarrer, sans y toucher.
pub fn serveur_1_refuse_un_fichier_ordinaire(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "refus d'un fichier ordinaire au chemin");
    let dossier = local::dossier_temporaire().map_err(|e| preparation(&etape, e))?;
    let chemin = dossier.path().join(CHEMIN_PAR_DEFAUT);
    std::fs::write(&chemin, FICHIER_DE_L_UTILISATEUR).map_err(|e| preparation(&etape, e))?;
    let situation = format!(
        "Le correcteur a mis au chemin {CHEMIN_PAR_DEFAUT} un fichier ordinaire, du texte de \
         l'utilisateur."
    );
    let mut programme =
        etape.lancer(binaire, "serveur", &["serveur", &chemin.to_string_lossy()])?;
    let detruit = |programme: &Programme| {
        dans_la_situation(
            echec(
                &etape,
                programme,
                "Le serveur l'a supprimé ou remplacé : le texte de l'utilisateur est perdu.",
            ),
            &situation,
        )
        .indice(NE_PAS_DETRUIRE)
        .regle("R3")
    };
    let limite = Instant::now() + DELAI_DEMARRAGE;
    let statut = loop {
        if !intact(&chemin) {
            return Err(detruit(&programme));
        }
        if let Some(statut) = programme.statut() {
            break statut;
        }
        if Instant::now() >= limite {
            let diagnostic = dans_la_situation(
                echec(
                    &etape,
                    &programme,
                    format!(
                        "Le serveur devait refuser de démarrer (message d'erreur, code non nul), \
                         mais il tourne encore après {} s.",
                        DELAI_DEMARRAGE.as_secs()
                    ),
                ),
                &situation,
            );
            let diagnostic = socket_ailleurs(diagnostic, &programme, &chemin);
            return Err(nommer_par_defaut(
                diagnostic.indice(NE_PAS_DETRUIRE),
                &programme,
                "R4",
            ));
        }
        thread::sleep(Duration::from_millis(10));
    };
    if !intact(&chemin) {
        return Err(detruit(&programme));
    }
    refus_propre(&etape, &programme, statut, &situation, "R4")
}

/// Vrai si `lien` est toujours un lien symbolique vers `cible`, et `cible`
/// toujours la même socket (même inode).
fn lien_intact(lien: &Path, cible: &Path, inode: Option<u64>) -> bool {
    std::fs::symlink_metadata(lien).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::read_link(lien).is_ok_and(|c| c == cible)
        && local::est_une_socket(cible)
        && local::inode(cible) == inode
}

/// Étape 1 quater : un lien symbolique occupe le chemin, vers une socket
/// périmée. Un lien n'est pas une socket : le serveur refuse de démarrer, et
/// ne touche ni au lien ni à ce qu'il désigne. (Un serveur qui suit le lien,
/// `std::fs::metadata` au lieu de `symlink_metadata`, y voit une socket et
/// supprime le lien de l'utilisateur.)
pub fn serveur_1_refuse_un_lien(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(1, "refus d'un lien symbolique au chemin");
    let dossier = local::dossier_temporaire().map_err(|e| preparation(&etape, e))?;
    let cible = dossier.path().join("cible");
    let chemin = dossier.path().join(CHEMIN_PAR_DEFAUT);
    local::socket_perimee(&cible).map_err(|e| preparation(&etape, e))?;
    std::os::unix::fs::symlink(&cible, &chemin).map_err(|e| preparation(&etape, e))?;
    let inode = local::inode(&cible);
    let situation = format!(
        "Le correcteur a mis au chemin {CHEMIN_PAR_DEFAUT} un lien symbolique de \
         l'utilisateur, qui désigne une socket périmée (cible)."
    );
    let mut programme =
        etape.lancer(binaire, "serveur", &["serveur", &chemin.to_string_lossy()])?;
    let touche = |programme: &Programme| {
        dans_la_situation(
            echec(
                &etape,
                programme,
                "Le serveur a supprimé ou remplacé le lien (ou sa cible) : un lien n'est pas \
                 une socket, il ne devait pas y toucher.",
            ),
            &situation,
        )
        .indice(
            "std::fs::metadata suit les liens et décrit leur cible ; \
             std::fs::symlink_metadata décrit ce qui est au chemin lui-même (ici, un lien).",
        )
        .regle("R3")
    };
    // On regarde le lien pendant que le serveur démarre : un serveur qui l'a
    // supprimé est repéré sans attendre la fin du délai.
    let limite = Instant::now() + DELAI_DEMARRAGE;
    let fin = loop {
        if !lien_intact(&chemin, &cible, inode) {
            return Err(touche(&programme));
        }
        if let Some(statut) = programme.statut() {
            break Some(statut);
        }
        if Instant::now() >= limite {
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    let Some(statut) = fin else {
        let diagnostic = dans_la_situation(
            echec(
                &etape,
                &programme,
                format!(
                    "Le serveur devait refuser de démarrer (message d'erreur, code 1), mais il \
                     tourne encore après {} s.",
                    DELAI_DEMARRAGE.as_secs()
                ),
            ),
            &situation,
        );
        let diagnostic = socket_ailleurs(diagnostic, &programme, &chemin);
        return Err(nommer_par_defaut(
            diagnostic.indice(NE_PAS_DETRUIRE),
            &programme,
            "R4",
        ));
    };
    if !lien_intact(&chemin, &cible, inode) {
        return Err(touche(&programme));
    }
    refus_propre(&etape, &programme, statut, &situation, "R4")
}

/// Étape 2 : SIGTERM, puis SIGINT (deux lancements) : le serveur supprime
/// le fichier de sa socket et finit avec le code 0.
pub fn serveur_2_signaux(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(2, "arrêt propre sur SIGTERM et SIGINT");
    for (signal, nom) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGINT, "SIGINT")] {
        let (mut programme, chemin) = serveur_a_l_ecoute(&etape, binaire, NOM)?;
        let pid = programme.pid();
        // Le serveur installe son gestionnaire juste après listen() : on lui
        // en laisse le temps, sans quoi le signal le tuerait trop tôt.
        let limite = Instant::now() + DELAI_INTERCEPTION;
        while !local::intercepte(pid, signal) && Instant::now() < limite {
            if programme.statut().is_some() {
                break;
            }
            thread::sleep(Duration::from_millis(5));
        }
        // Arrêté tout seul avant le signal (sur un todo!(), par exemple) :
        // le dire tel quel, le signal n'y est pour rien.
        if let Some(statut) = programme.statut() {
            return Err(echec(
                &etape,
                &programme,
                format!(
                    "Le serveur a créé sa socket {NOM}, puis s'est arrêté ({}) avant que le \
                     correcteur lui envoie {nom} : il doit attendre ses clients dans accept().",
                    statut_en_clair(statut)
                ),
            ));
        }
        // SAFETY: kill(2) vers notre propre enfant, sans mémoire partagée.
        unsafe {
            libc::kill(pid as libc::pid_t, signal);
        }
        let statut = programme.attendre_fin(DELAI_REPONSE);
        let reste = std::fs::symlink_metadata(&chemin).is_ok();
        let suite = if reste {
            format!(", et le fichier {NOM} est resté")
        } else {
            String::new()
        };
        let diagnostic = match statut {
            None => echec(
                &etape,
                &programme,
                format!(
                    "Le serveur tourne encore {} s après avoir reçu {nom}.",
                    DELAI_REPONSE.as_secs()
                ),
            )
            .indice(INTERCEPTER),
            Some(statut) if !statut.success() => echec(
                &etape,
                &programme,
                format!(
                    "Après {nom}, le serveur s'est terminé ({}) au lieu du code 0{suite}.",
                    statut_en_clair(statut)
                ),
            )
            .indice(INTERCEPTER),
            Some(_) if reste => echec(
                &etape,
                &programme,
                format!(
                    "Après {nom}, le serveur s'est bien terminé avec le code 0, mais le fichier \
                     {NOM} est resté."
                ),
            )
            .indice(RESTE),
            Some(_) => continue,
        };
        // (Un todo!() atteint juste avant le signal n'est pas une règle enfreinte.)
        return Err(nommer(diagnostic, &programme, "R5"));
    }
    Ok(())
}

/// Ce que le client du correcteur attend après la réponse.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Apres {
    /// La fin de flux, sans octet de plus : le serveur a fermé la socket de
    /// service.
    FinDeFlux,
    /// Rien : l'étape regarde la fermeture autrement (les descripteurs).
    Rien,
}

/// Un client du correcteur : se connecte, envoie `octet`, vérifie la
/// réponse (et, selon `apres`, la fermeture) ; rend la connexion.
/// `servis` : clients déjà servis par ce serveur.
fn echanger(
    etape: &Etape,
    programme: &mut Programme,
    chemin: &Path,
    octet: u8,
    servis: usize,
    apres: Apres,
) -> Result<UnixStream, Diagnostic> {
    let rang = servis + 1;
    let mut flux = local::connecter(chemin, programme, DELAI_DEMARRAGE).map_err(|raison| {
        if matches!(raison, Injoignable::Arrete(_)) && servis > 0 {
            arrete_apres(etape, programme, servis)
        } else {
            injoignable(
                etape,
                raison,
                programme,
                &format!("d'accepter le client n° {rang}"),
            )
        }
    })?;
    let envoi = flux.write_all(&[octet]);
    if envoi.is_ok() {
        crate::echange::envoye(&flux, &[octet]);
    }
    let attendu = suivant(octet);
    let raison = match local::lire_un_octet(&mut flux, DELAI_REPONSE) {
        Ok(recu) if recu == attendu => None,
        Ok(recu) => {
            return Err(echec(
                etape,
                programme,
                format!(
                    "Le client n° {rang} a envoyé {} : le serveur devait renvoyer l'octet \
                     suivant, {}, et il a renvoyé {}.",
                    lisible(octet),
                    lisible(attendu),
                    lisible(recu)
                ),
            )
            .ecart([attendu], [recu])
            .indice(SUIVANT)
            .regle("R7"));
        }
        Err(raison) => Some(raison),
    };
    let Some(raison) = raison else {
        return match apres {
            Apres::Rien => Ok(flux),
            Apres::FinDeFlux => fin_de_service(etape, programme, flux, octet, rang),
        };
    };
    // Sans réponse : le serveur s'est peut-être arrêté en servant ce client.
    if programme.attendre_fin(Duration::from_millis(300)).is_some() {
        return Err(arrete_apres(etape, programme, servis));
    }
    let explication = match (raison, envoi) {
        (_, Err(e)) => format!("Le client n° {rang} n'a pas pu envoyer son octet : {e}."),
        (Raison::Delai, _) => format!(
            "Le client n° {rang} a envoyé {} et le serveur n'a pas répondu en {} s.",
            lisible(octet),
            DELAI_REPONSE.as_secs()
        ),
        (Raison::Fin, _) => format!(
            "Le client n° {rang} a envoyé {} et le serveur a fermé la connexion sans répondre.",
            lisible(octet)
        ),
        (Raison::Erreur(e), _) => format!("Erreur en lisant la réponse au client n° {rang} : {e}."),
    };
    Err(echec(etape, programme, explication)
        .ecart([attendu], [])
        .regle("R7"))
}

/// Après la bonne réponse, le client du correcteur lit jusqu'à la fin de
/// flux : rien de plus que l'octet (R7), et une fin qui vient (la socket de
/// service est fermée, R9).
fn fin_de_service(
    etape: &Etape,
    programme: &Programme,
    mut flux: UnixStream,
    octet: u8,
    rang: usize,
) -> Result<UnixStream, Diagnostic> {
    let attendu = suivant(octet);
    match local::lire_jusqu_a_la_fin(&mut flux, DELAI_REPONSE) {
        Ok(reste) if reste.is_empty() => Ok(flux),
        // Une fermeture brutale reste une fermeture.
        Err(LectureIncomplete {
            raison: Raison::Erreur(e),
            recu,
        }) if recu.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => Ok(flux),
        Ok(reste) | Err(LectureIncomplete { recu: reste, .. }) if !reste.is_empty() => {
            let mut recu = vec![attendu];
            recu.extend(reste);
            Err(echec(
                etape,
                programme,
                format!(
                    "Le client n° {rang} a reçu {} puis des octets en trop : la réponse est un \
                     octet, et un seul.",
                    lisible(attendu)
                ),
            )
            .ecart([attendu], recu)
            .indice("répondez avec write_all(&[suivant]), sans « \\n » ni rien d'autre.")
            .regle("R7"))
        }
        Ok(_) | Err(_) => Err(echec(
            etape,
            programme,
            format!(
                "Le client n° {rang} a reçu sa réponse, mais le serveur n'a pas fermé la \
                 connexion dans les {} s qui ont suivi : le client attend toujours la fin de flux.",
                DELAI_REPONSE.as_secs()
            ),
        )
        .indice(FERMER)
        .regle("R9")),
    }
}

/// Le serveur s'est arrêté après `servis` clients.
fn arrete_apres(etape: &Etape, programme: &mut Programme, servis: usize) -> Diagnostic {
    let statut = programme.statut();
    let en_clair = statut.map(statut_en_clair).unwrap_or_default();
    let pluriel = if servis > 1 { "s" } else { "" };
    let explication = if servis == 0 {
        format!(
            "Le serveur s'est arrêté ({en_clair}) en servant son premier client, sans lui répondre."
        )
    } else {
        format!(
            "Le serveur s'est arrêté ({en_clair}) après avoir servi {servis} client{pluriel}, \
             alors qu'il doit les servir l'un après l'autre, sans fin."
        )
    };
    let diagnostic = echec(etape, programme, explication);
    // Arrêté sur un todo!() : l'étape n'est pas finie, ce n'est pas une
    // règle enfreinte. Sur le débordement de 255 + 1 : la réponse (R7).
    let erreurs = programme.erreurs();
    if erreurs.contains("not yet implemented") {
        diagnostic
    } else if erreurs.contains("with overflow") {
        diagnostic.regle("R7")
    } else if statut.is_some_and(|s| s.success()) {
        diagnostic.indice(BOUCLE).regle("R6")
    } else {
        diagnostic.regle("R6")
    }
}

/// Étape 3 : cinq clients à la suite ; chacun reçoit l'octet suivant du
/// sien, puis la fin de flux, et le serveur affiche ce qu'il lit et ce
/// qu'il écrit.
pub fn serveur_3_cinq_clients(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "cinq clients, l'un après l'autre");
    let (mut programme, chemin) = serveur_a_l_ecoute(&etape, binaire, NOM)?;
    for (servis, &octet) in OCTETS_DES_CLIENTS.iter().enumerate() {
        echanger(
            &etape,
            &mut programme,
            &chemin,
            octet,
            servis,
            Apres::FinDeFlux,
        )?;
        etape
            .lignes_affichees(
                &programme,
                &[
                    &format!("Le serveur a lu : {}", lisible(octet)),
                    &format!("Le serveur écrit : {}", lisible(suivant(octet))),
                ],
                AFFICHAGE,
            )
            .map_err(|d| d.regle("R8"))?;
    }
    Ok(())
}

/// Étape 3 : un client se connecte et part sans rien envoyer ; le serveur
/// le signale sur sa sortie d'erreur et sert le client suivant.
pub fn serveur_3_client_muet(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "un client qui part sans rien envoyer");
    let (mut programme, chemin) = serveur_a_l_ecoute(&etape, binaire, NOM)?;
    let situation = "Le correcteur a servi un premier client, puis s'est connecté et a fermé sa \
        connexion sans rien envoyer (le serveur lit la fin de flux au lieu d'un octet).";
    // D'abord un client ordinaire : un serveur qui s'arrête après lui, sans
    // erreur, n'a pas de boucle (R6) ; ce n'est pas le client muet qui l'arrête.
    echanger(&etape, &mut programme, &chemin, b'a', 0, Apres::FinDeFlux)?;
    let muet = local::connecter(&chemin, &mut programme, DELAI_DEMARRAGE).map_err(|raison| {
        if matches!(raison, Injoignable::Arrete(_)) {
            arrete_apres(&etape, &mut programme, 1)
        } else {
            injoignable(&etape, raison, &programme, "d'accepter un deuxième client")
        }
    })?;
    drop(muet);
    echanger(&etape, &mut programme, &chemin, b'm', 1, Apres::FinDeFlux).map_err(|d| {
        let Some(statut) = programme.statut() else {
            return dans_la_situation(d, situation);
        };
        if statut.success() && !programme.erreurs().contains("not yet implemented") {
            // Arrêté sans erreur : il s'est terminé après le premier client
            // (le client muet attendait dans la file d'accept), pas sur lui.
            return arrete_apres(&etape, &mut programme, 1);
        }
        let diagnostic = dans_la_situation(
            echec(
                &etape,
                &programme,
                format!(
                    "Le serveur s'est arrêté ({}) au lieu de servir le client suivant.",
                    statut_en_clair(statut)
                ),
            ),
            situation,
        );
        if programme.erreurs().contains("not yet implemented") {
            diagnostic
        } else {
            diagnostic.indice(MUET).regle("R10")
        }
    })?;
    // La ligne d'erreur est écrite avant de servir le client suivant ; le
    // fil qui lit la sortie d'erreur peut la recueillir un peu après.
    let limite = Instant::now() + DELAI_REPONSE;
    while programme.erreurs().trim().is_empty() {
        if Instant::now() >= limite {
            return Err(dans_la_situation(
                echec(
                    &etape,
                    &programme,
                    "Le serveur a bien servi le client suivant, mais n'a rien écrit sur sa \
                     sortie d'erreur à propos du client parti.",
                ),
                situation,
            )
            .indice(MUET)
            .regle("R10"));
        }
        thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

/// Étape 3 : les descripteurs ouverts du serveur ne grandissent pas avec le
/// nombre de clients (chaque socket de service est fermée). Lit
/// `/proc/PID/fd` : Linux seulement.
pub fn serveur_3_descripteurs(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = serveur(3, "fermeture des sockets de service");
    let (mut programme, chemin) = serveur_a_l_ecoute(&etape, binaire, NOM)?;
    let pid = programme.pid();
    let lire_fd = |programme: &Programme| {
        local::descripteurs(pid).map_err(|e| {
            echec(
                &etape,
                programme,
                format!("Le correcteur n'a pas pu lire /proc/{pid}/fd : {e}."),
            )
        })
    };
    // Un premier client, pour que ce que le serveur n'ouvre qu'une fois soit
    // déjà ouvert ; on attend (brièvement) qu'il ferme sa connexion.
    let mut premier = echanger(&etape, &mut programme, &chemin, b'a', 0, Apres::Rien)?;
    let _ = local::lire_jusqu_a_la_fin(&mut premier, Duration::from_millis(500));
    let avant = lire_fd(&programme)?;
    for i in 0..CLIENTS_EN_PLUS {
        echanger(
            &etape,
            &mut programme,
            &chemin,
            b'b' + i,
            usize::from(i) + 1,
            Apres::Rien,
        )?;
    }
    // Le dernier client a sa réponse un instant avant que le serveur ne
    // ferme : on laisse à ce dernier close() le temps d'arriver.
    let limite = Instant::now() + DELAI_REPONSE;
    let apres = loop {
        let apres = lire_fd(&programme)?;
        if apres.len() <= avant.len() || Instant::now() >= limite {
            break apres;
        }
        thread::sleep(Duration::from_millis(10));
    };
    if apres.len() <= avant.len() {
        return Ok(());
    }
    let nouveaux: Vec<String> = apres
        .iter()
        .filter(|fd| !avant.contains(fd))
        .map(|(numero, cible)| format!("{numero} → {cible}"))
        .collect();
    let montres = nouveaux.len().min(3);
    let autres = nouveaux.len() - montres;
    Err(echec(
        &etape,
        &programme,
        format!(
            "Après un premier client, le serveur avait {} descripteurs ouverts \
             (/proc/{pid}/fd) ; après {CLIENTS_EN_PLUS} clients de plus, il en a {}.\n\
             Nouveaux descripteurs : {}{}.",
            avant.len(),
            apres.len(),
            nouveaux[..montres].join(", "),
            if autres > 0 {
                format!(", et {autres} autres")
            } else {
                String::new()
            }
        ),
    )
    .indice(FERMER)
    .regle("R9"))
}

// ─── Le client de l'étudiant ───────────────────────────────────────────────

/// Ouvre le serveur de référence, lance le client avec `octet` et attend sa
/// connexion. Le serveur de référence est rendu : son dossier vit avec lui.
fn client_connecte(
    etape: &Etape,
    binaire: &Path,
    octet: u8,
) -> Result<(Programme, UnixStream, ServeurLocal), Diagnostic> {
    let reference = ServeurLocal::ouvrir().map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu ouvrir son serveur de référence : {e}."
        ))
    })?;
    let chemin = reference.chemin().to_string_lossy().into_owned();
    let mut programme = etape.lancer(binaire, "client", &["client", &chemin, &lisible(octet)])?;
    let flux = reference
        .accepter(&mut programme, DELAI_DEMARRAGE)
        .map_err(|raison| {
            injoignable(
                etape,
                raison,
                &programme,
                &format!("de se connecter à la socket {chemin}"),
            )
        })?;
    Ok((programme, flux, reference))
}

/// Étape 1 : le client se connecte à la socket dont le chemin est donné.
pub fn client_1_connexion(binaire: &Path) -> Result<(), Diagnostic> {
    client_connecte(
        &client(1, "connexion à la socket du serveur"),
        binaire,
        b'A',
    )
    .map(|_| ())
    .map_err(|d| {
        // Le programme n'est plus là : sa sortie est dans le diagnostic.
        if d.sortie.iter().any(|l| l.contains("not yet implemented")) {
            d
        } else {
            d.regle("R11")
        }
    })
}

/// Étape 1 bis : sans serveur (pas de fichier, ou une socket que personne
/// n'écoute), un message qui dit de lancer le serveur, un code non nul, pas
/// de panique.
pub fn client_1_sans_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(1, "aucun serveur à l'écoute");
    let dossier = local::dossier_temporaire().map_err(|e| preparation(&etape, e))?;
    let absent = dossier.path().join("socket_absente");
    let perimee = dossier.path().join("socket_perimee");
    local::socket_perimee(&perimee).map_err(|e| preparation(&etape, e))?;
    let cas = [
        (absent, "Aucun fichier n'existe au chemin donné au client."),
        (
            perimee,
            "Au chemin donné au client, une socket périmée : le fichier existe, mais personne \
             ne l'écoute.",
        ),
    ];
    for (chemin, situation) in cas {
        let mut programme = etape.lancer(
            binaire,
            "client",
            &["client", &chemin.to_string_lossy(), "A"],
        )?;
        let Some(statut) = programme.attendre_fin(DELAI_DEMARRAGE) else {
            return Err(dans_la_situation(
                echec(
                    &etape,
                    &programme,
                    format!(
                        "Le client tourne encore après {} s.",
                        DELAI_DEMARRAGE.as_secs()
                    ),
                ),
                situation,
            )
            .regle("R14"));
        };
        refus_propre(&etape, &programme, statut, situation, "R14")?;
        if !programme.erreurs().to_lowercase().contains("serveur") {
            return Err(dans_la_situation(
                echec(
                    &etape,
                    &programme,
                    "Le message d'erreur du client ne parle pas du serveur.",
                ),
                situation,
            )
            .indice(
                "dites à l'utilisateur quoi faire, par exemple « lancez d'abord le serveur », \
                 avec un contexte (with_context) sur l'erreur de connect.",
            )
            .regle("R14"));
        }
    }
    Ok(())
}

/// Étape 2 : le client envoie l'octet demandé (`A`, puis `\xff`), un seul,
/// affiche la réponse du serveur de référence, ferme et finit avec le code 0.
pub fn client_2_echange(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(2, "un octet envoyé, la réponse affichée");
    for octet in [b'A', 0xff] {
        // Pas de connexion à la socket du chemin donné : la règle R11, comme
        // à l'étape 1 (pas de règle pour un todo!()).
        let (mut programme, mut flux, _reference) =
            client_connecte(&etape, binaire, octet).map_err(|d| d.enfreint("R11"))?;
        let argument = lisible(octet);
        match local::lire_un_octet(&mut flux, DELAI_REPONSE) {
            Ok(recu) if recu == octet => {}
            Ok(recu) => {
                return Err(echec(
                    &etape,
                    &programme,
                    format!("Lancé avec {argument}, le client devait envoyer cet octet-là."),
                )
                .ecart([octet], [recu])
                .regle("R12"));
            }
            Err(raison) => {
                let explication = match raison {
                    Raison::Fin => "Le client a fermé la connexion sans rien envoyer.".into(),
                    Raison::Delai => format!(
                        "Le client s'est connecté mais n'a rien envoyé en {} s.",
                        DELAI_REPONSE.as_secs()
                    ),
                    Raison::Erreur(e) => format!("Erreur en lisant le client : {e}."),
                };
                return Err(echec(&etape, &programme, explication)
                    .ecart([octet], [])
                    .regle("R12"));
            }
        }
        flux.write_all(&[suivant(octet)])
            .inspect(|()| crate::echange::envoye(&flux, &[suivant(octet)]))
            .map_err(|e| {
                echec(
                    &etape,
                    &programme,
                    format!("Le correcteur n'a pas pu envoyer sa réponse : {e}."),
                )
            })?;
        // Comme le serveur du chapitre, il a fini : le client lit la fin de
        // flux après la réponse. Le correcteur garde son sens de lecture
        // pour voir si le client envoie d'autres octets.
        if flux.shutdown(std::net::Shutdown::Write).is_ok() {
            crate::echange::fait(
                &flux,
                false,
                "fin d'écriture (shutdown) : le {role} lira la fin de flux",
            );
        }
        match local::lire_jusqu_a_la_fin(&mut flux, DELAI_REPONSE) {
            Ok(reste) if reste.is_empty() => {}
            Err(LectureIncomplete {
                raison: Raison::Erreur(e),
                recu,
            }) if recu.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Ok(reste) | Err(LectureIncomplete { recu: reste, .. }) if !reste.is_empty() => {
                let mut recu = vec![octet];
                recu.extend(reste);
                return Err(echec(
                    &etape,
                    &programme,
                    "Le client a envoyé des octets en trop : le protocole n'en prévoit qu'un.",
                )
                .ecart([octet], recu)
                .indice("envoyez l'octet seul, sans « \\n » ni rien d'autre : write_all(&[octet]).")
                .regle("R12"));
            }
            Ok(_) | Err(_) => {
                return Err(echec(
                    &etape,
                    &programme,
                    format!(
                        "Le client n'a pas fermé la connexion dans les {} s qui ont suivi la \
                         réponse du serveur.",
                        DELAI_REPONSE.as_secs()
                    ),
                )
                .regle("R13"));
            }
        }
        drop(flux);
        etape
            .lignes_affichees(
                &programme,
                &[
                    &format!("Le client a écrit : {argument}"),
                    &format!("Le serveur a renvoyé : {}", lisible(suivant(octet))),
                ],
                AFFICHAGE,
            )
            .and_then(|()| etape.fin_normale(&mut programme))
            .map_err(|d| d.regle("R13"))?;
    }
    Ok(())
}

// ─── Les deux ensemble ─────────────────────────────────────────────────────

/// Le client de l'étudiant contre son propre serveur, lancé sans argument
/// (chemin par défaut, `socket_serveur`).
pub fn croise_client_et_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = Etape {
        tp: TP,
        cote: Cote::Croise,
        numero: 1,
        nom: "votre client avec votre serveur",
    };
    let mut serveur = etape.lancer(binaire, "serveur", &["serveur"])?;
    let chemin = serveur.dossier().join(CHEMIN_PAR_DEFAUT);
    local::attendre_ecoute(&mut serveur, &chemin, DELAI_DEMARRAGE).map_err(|raison| {
        injoignable(
            &etape,
            raison,
            &serveur,
            &format!("d'écouter sur {CHEMIN_PAR_DEFAUT}, le chemin par défaut"),
        )
        .regle("R1")
    })?;
    let mut client = etape.lancer(
        binaire,
        "client",
        &["client", &chemin.to_string_lossy(), "z"],
    )?;
    etape
        .lignes_affichees(
            &client,
            &["Le client a écrit : z", "Le serveur a renvoyé : {"],
            "le client affiche l'octet envoyé, puis la réponse du serveur.",
        )
        .map_err(|d| d.sortie(serveur.dernieres_lignes()).regle("R13"))?;
    etape
        .lignes_affichees(
            &serveur,
            &["Le serveur a lu : z", "Le serveur écrit : {"],
            "le serveur affiche l'octet lu, puis celui qu'il renvoie.",
        )
        .map_err(|d| d.sortie(client.dernieres_lignes()).regle("R8"))?;
    etape
        .fin_normale(&mut client)
        .map_err(|d| d.sortie(serveur.dernieres_lignes()).regle("R13"))
}
