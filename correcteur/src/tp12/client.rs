//! Les étapes du client : le correcteur tape les commandes sur son entrée
//! standard et tient le bar (serveur de référence) ; puis le client et le
//! serveur de l'étudiant ensemble.

use std::net::Shutdown;
use std::path::Path;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::etape::{Cote, Etape};
use crate::processus::Programme;
use crate::reseau::{self, Lecteur, ServeurDeReference};

use super::{PAUSE_ENTRE_MORCEAUX, enfreint, etape, reponse};

fn client(numero: u8, nom: &'static str) -> Etape {
    etape(Cote::Client, numero, nom)
}

/// Une réponse telle que le client doit l'afficher : sans son `\n`.
fn affichee(ligne: &str) -> &str {
    ligne.trim_end_matches('\n')
}

/// Étape 1 : personne n'écoute sur le port donné : le client l'explique
/// sur sa sortie d'erreur et s'arrête avec le code 1, sans panique (R19).
pub fn client_1_sans_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    crate::arret_explique::client_sans_serveur(&client(1, "aucun bar à l'écoute"), binaire, "R19")
}

/// Lance le client (entrée standard reliée au correcteur) vers le serveur
/// de référence, et attend sa connexion.
fn client_connecte(etape: &Etape, binaire: &Path) -> Result<(Programme, Lecteur), Diagnostic> {
    let reference = ServeurDeReference::ouvrir().map_err(|e| {
        etape.echec(format!(
            "Le correcteur n'a pas pu ouvrir son serveur de référence : {e}."
        ))
    })?;
    client_connecte_a(etape, binaire, &reference, "127.0.0.1")
}

/// Lance le client vers `hote` et le port du serveur de référence, et
/// attend sa connexion.
fn client_connecte_a(
    etape: &Etape,
    binaire: &Path,
    reference: &ServeurDeReference,
    hote: &str,
) -> Result<(Programme, Lecteur), Diagnostic> {
    let port = reference.port().to_string();
    let mut client = Programme::lancer_avec_entree(binaire, "client", &["client", hote, &port])
        .map_err(|e| {
            etape
                .echec(format!("Impossible de lancer {} : {e}.", binaire.display()))
                .indice("le programme a-t-il bien été compilé ? (cargo build)")
        })?;
    let flux = etape.accepter(reference, &mut client)?;
    Ok((client, Lecteur::new(flux)))
}

/// Tape `commande` au clavier du client et vérifie qu'elle arrive, exacte,
/// au serveur de référence.
fn taper(
    etape: &Etape,
    client: &mut Programme,
    bar: &mut Lecteur,
    commande: &str,
) -> Result<(), Diagnostic> {
    client.taper(commande).map_err(|e| {
        etape.echec_de(
            client,
            format!("Le correcteur n'a pas pu écrire sur l'entrée standard du client : {e}."),
        )
    })?;
    let silence = format!(
        "L'utilisateur a tapé « {commande} » puis Entrée ; le client n'a rien envoyé au serveur."
    );
    etape
        .lire_ligne(bar, client, format!("{commande}\n").as_bytes(), &silence)
        .map_err(|d| {
            enfreint(d, "R13").indice(
                "lisez l'entrée standard ligne par ligne (stdin().lines()) et envoyez chaque \
                 ligne, suivie de « \\n », avec write_all.",
            )
        })
}

/// Le bar répond à `commande`, en `morceaux` écritures séparées de pauses,
/// et le client doit afficher la réponse entière, seule sur sa ligne.
fn servir(
    etape: &Etape,
    client: &Programme,
    bar: &mut Lecteur,
    commande: &str,
    morceaux: usize,
) -> Result<(), Diagnostic> {
    let ligne = reponse(commande);
    let taille = ligne.len().div_ceil(morceaux.max(1));
    let envoi =
        reseau::ecrire_en_morceaux(bar.flux(), ligne.as_bytes(), taille, PAUSE_ENTRE_MORCEAUX);
    etape
        .lignes_affichees(
            client,
            &[affichee(&ligne)],
            "lisez la réponse jusqu'au « \\n » (BufReader::read_line, un seul BufReader pour \
             toute la connexion) : elle peut arriver en plusieurs morceaux.",
        )
        .map_err(|d| {
            let d = enfreint(d, "R13");
            match envoi {
                Err(_) => d.indice("le client a fermé la connexion pendant l'envoi de la réponse."),
                Ok(()) => d,
            }
        })
}

/// Étape 1 : le client se connecte à l'hôte et au port donnés.
pub fn client_1_connexion(binaire: &Path) -> Result<(), Diagnostic> {
    client_connecte(&client(1, "connexion au bar"), binaire)
        .map(|_| ())
        .map_err(|d| enfreint(d, "R13"))
}

/// Étape 1 : l'hôte peut être une adresse IPv6. Lancé avec `::1`, le client
/// rejoint le bar de référence, qui n'écoute que là. La connexion suffit :
/// un client qui s'arrête ensuite sur le `todo!()` de l'étape 2 a fini
/// l'étape 1.
pub fn client_1_ipv6(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(1, "hôte IPv6 (::1)");
    let Some(reference) = ServeurDeReference::ouvrir_ipv6_ou_le_dire("TP12 · client_1_ipv6")
    else {
        return Ok(());
    };
    client_connecte_a(&etape, binaire, &reference, "::1")
        .map(|_| ())
        .map_err(|d| enfreint(d, "R17").indice(reseau::INDICE_CLIENT_IPV6))
}

/// Étape 2 : deux commandes tapées arrivent au bar, et les deux réponses
/// (la première en trois morceaux) s'affichent.
pub fn client_2_commandes(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(2, "commandes tapées, réponses affichées");
    let (mut client, mut bar) = client_connecte(&etape, binaire)?;
    // Une seule commande : après sa réponse, le client du squelette passe à
    // l'étape 3 (reconnaître « fin »), qui peut ne pas être écrite encore.
    taper(&etape, &mut client, &mut bar, "Je veux une bière ^^").map_err(|d| enfreint(d, "R13"))?;
    servir(&etape, &client, &mut bar, "Je veux une bière ^^", 3).map_err(|d| enfreint(d, "R13"))
}

/// Étape 3 : après « fin » et sa réponse, le client ferme la connexion et se
/// termine (code 0), alors que son entrée standard reste ouverte.
pub fn client_3_fin(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "« fin » termine la visite");
    let (mut client, mut bar) = client_connecte(&etape, binaire)?;
    for commande in ["Un demi", "fin"] {
        taper(&etape, &mut client, &mut bar, commande)?;
        servir(&etape, &client, &mut bar, commande, 1)?;
    }
    // Le bar du chapitre ferme dès sa réponse à « fin » : un client qui ferme
    // en bon ordre (shutdown, lecture jusqu'à la fin du flux) peut finir. Un
    // client qui attend encore le clavier, lui, reste bloqué : c'est R14.
    let _ = bar.flux().shutdown(Shutdown::Write);
    let indice = "après avoir affiché la réponse à « fin », le client ferme la connexion et \
                  se termine, sans attendre d'autres lignes au clavier.";
    etape
        .fin_de_flux(&mut bar, &client)
        .map_err(|d| enfreint(d, "R14").indice(indice))?;
    etape
        .fin_normale(&mut client)
        .map_err(|d| enfreint(d, "R14").indice(indice))
}

/// Étape 3 : à la fin de l'entrée standard (Ctrl+D), le client ferme la
/// connexion et se termine (code 0).
pub fn client_3_fin_de_l_entree(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = client(3, "fin de l'entrée standard");
    let (mut client, mut bar) = client_connecte(&etape, binaire)?;
    taper(&etape, &mut client, &mut bar, "Un chocolat")?;
    servir(&etape, &client, &mut bar, "Un chocolat", 1)?;
    client.fermer_entree();
    let indice = "quand l'entrée standard est finie (la lecture d'une ligne ne rend rien), \
                  le client ferme la connexion, sans envoyer « fin » à la place de \
                  l'utilisateur, et se termine avec le code 0.";
    etape
        .fin_de_flux(&mut bar, &client)
        .map_err(|d| enfreint(d, "R15").indice(indice))?;
    etape
        .fin_normale(&mut client)
        .map_err(|d| enfreint(d, "R15").indice(indice))
}

/// Le client de l'étudiant commande à son propre serveur, qui doit lui
/// répondre, le laisser partir après « fin », et rester ouvert.
pub fn croise_client_et_serveur(binaire: &Path) -> Result<(), Diagnostic> {
    let etape = etape(Cote::Croise, 1, "votre client avec votre serveur");
    let port = reseau::port_libre();
    let mut serveur = etape.lancer(binaire, "serveur", &["serveur", &port.to_string()])?;
    etape.attendre_ecoute(&mut serveur, port)?;
    let port = port.to_string();
    let mut client =
        Programme::lancer_avec_entree(binaire, "client", &["client", "127.0.0.1", &port])
            .map_err(|e| etape.echec(format!("Impossible de lancer le client : {e}.")))?;
    let croise = |d: Diagnostic| enfreint(d, "R13").sortie(serveur.dernieres_lignes());
    for commande in ["Une bière", "fin"] {
        client
            .taper(commande)
            .map_err(|e| croise(etape.echec(format!("Écriture sur l'entrée du client : {e}."))))?;
    }
    let reponses = [reponse("Une bière"), reponse("fin")];
    etape
        .lignes_affichees(
            &client,
            &[affichee(&reponses[0]), affichee(&reponses[1])],
            "le client affiche, dans l'ordre, les réponses du serveur.",
        )
        .map_err(croise)?;
    etape.fin_normale(&mut client).map_err(croise)?;
    if let Some(statut) = serveur.attendre_fin(Duration::from_millis(100)) {
        return Err(etape
            .echec_de(
                &serveur,
                format!(
                    "Le serveur s'est arrêté ({}) après le départ du client : un bar reste ouvert.",
                    crate::etape::statut_en_clair(statut)
                ),
            )
            .sortie(client.dernieres_lignes())
            .regle("R7"));
    }
    Ok(())
}
