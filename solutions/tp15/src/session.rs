//! La session d'un client, dans sa propre tâche : lire une commande,
//! répondre, recommencer, jusqu'à « fin », la fin du flux, une erreur de ce
//! client, ou la fermeture du bar.

use std::net::SocketAddr;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::watch;

/// Longueur maximale d'une commande, `\n` compris.
const LONGUEUR_MAX: u64 = 1024;

// ANCHOR: servir
/// Sert un client jusqu'à son départ. Une erreur de ce client ne termine
/// que sa tâche : les autres continuent.
pub async fn servir(service: TcpStream, adresse: SocketAddr, fermeture: watch::Receiver<bool>) {
    if let Err(erreur) = dialoguer(service, adresse, fermeture).await {
        eprintln!("erreur avec {adresse} : {erreur:#}");
    }
    // La socket a été fermée en sortant de `dialoguer` (ses deux moitiés
    // lâchées) : le client lit la fin de flux.
    println!("Client parti : {adresse}");
}
// ANCHOR_END: servir

// ANCHOR: dialoguer
/// Étape 3 : une commande, une réponse, dans l'ordre.
async fn dialoguer(
    service: TcpStream,
    adresse: SocketAddr,
    mut fermeture: watch::Receiver<bool>,
) -> Result<()> {
    // Deux moitiés : on lit par l'une, on écrit par l'autre. Un seul
    // BufReader pour toute la session, comme au TP12.
    let (lecture, mut ecriture) = service.into_split();
    let mut lecteur = BufReader::new(lecture);
    loop {
        // Attendre la commande suivante, ou la fermeture du bar. Si le bar
        // ferme pendant qu'une commande arrive, ce morceau est perdu : la
        // lecture abandonnée n'est pas reprise (elle n'est pas « annulable
        // sans perte »), ce qui est voulu ici puisque la session s'arrête.
        let commande = tokio::select! {
            commande = lire_commande(&mut lecteur) => commande?,
            _ = fermeture.changed() => break,
        };
        // None : le client a fermé sans dire « fin ».
        let Some(commande) = commande else { break };
        println!("{adresse} commande : {commande}");
        // write_all attend que le noyau ait pris toute la réponse : un
        // client qui ne lit pas ses réponses fait attendre SA tâche, qui ne
        // lit plus ses commandes. C'est la contre-pression, sans rien écrire
        // de plus : ni tampon qui grossit, ni autre client gêné.
        repondre(&mut ecriture, &commande).await?;
        if commande == "fin" {
            break;
        }
    }
    Ok(())
}
// ANCHOR_END: dialoguer

// ANCHOR: lire_commande
/// Lit une commande terminée par `\n` et la rend sans lui ; `None` à la fin
/// du flux (un bout de ligne sans `\n` juste avant la fin est ignoré).
async fn lire_commande(lecteur: &mut (impl AsyncBufRead + Unpin)) -> Result<Option<String>> {
    let mut octets = Vec::new();
    // take borne la lecture : une ligne sans fin ne fait pas grossir la
    // mémoire de la tâche.
    let lus = lecteur
        .take(LONGUEUR_MAX)
        .read_until(b'\n', &mut octets)
        .await
        .context("erreur de lecture sur la connexion")?;
    match octets.pop() {
        None => return Ok(None),
        Some(b'\n') => {}
        Some(_) if lus as u64 == LONGUEUR_MAX => {
            bail!("commande de plus de {LONGUEUR_MAX} octets sans « \\n », session arrêtée")
        }
        Some(_) => return Ok(None),
    }
    // Un client lancé avec `nc -C` termine ses lignes par « \r\n ».
    if octets.last() == Some(&b'\r') {
        octets.pop();
    }
    String::from_utf8(octets)
        .map(Some)
        .context("le client a envoyé des octets qui ne sont pas de l'UTF-8, session arrêtée")
}
// ANCHOR_END: lire_commande

/// La réponse du bar, en une seule écriture.
async fn repondre(ecriture: &mut OwnedWriteHalf, commande: &str) -> Result<()> {
    let reponse = format!("vous m'avez demandé : {commande} bien reçu 5 / 5\n");
    ecriture
        .write_all(reponse.as_bytes())
        .await
        .context("impossible d'envoyer la réponse")
}
