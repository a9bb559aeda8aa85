//! Variante correcte : fermeture ordonnée des deux côtés (shutdown(Write), lecture jusqu'à la fin du flux du pair, puis drop), serveur écrit avec std::net::TcpListener.
//!
//! Chaque programme annonce d'abord qu'il n'écrira plus (`shutdown`), puis
//! attend que l'autre en ait fait autant (0 octet lu) avant de lâcher sa
//! socket : aucune donnée ne peut se perdre dans une fermeture brutale.
//! Le chapitre l'autorise ; le correcteur doit l'accepter.

mod commun;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::ExitCode;

use anyhow::Context;

fn main() -> ExitCode {
    let resultat = match std::env::args().nth(1).as_deref() {
        Some("serveur") => serveur(),
        Some("client") => client(),
        _ => Err(anyhow::anyhow!("rôle inconnu (serveur ou client)")),
    };
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serveur() -> anyhow::Result<()> {
    let (ecoute, port) = commun::ecouter()?;
    let mut service = commun::accepter(&ecoute)?;
    service
        .write_all(commun::bienvenue(port).as_bytes())
        .context("envoi de la bienvenue impossible")?;
    let mut lecteur = BufReader::new(&service);
    for numero in ["première", "seconde"] {
        let ligne = commun::lire_ligne(&mut lecteur)
            .with_context(|| format!("{numero} ligne du client"))?;
        println!("{ligne}");
    }
    drop(lecteur);
    fermer_dans_l_ordre(service)?;
    println!("Connexion fermée.");
    Ok(())
}

fn client() -> anyhow::Result<()> {
    let (mut flux, port) = commun::se_connecter()?;
    let mut lecteur = BufReader::new(flux.try_clone().context("clone de la socket")?);
    let mut bienvenue = Vec::new();
    lecteur
        .read_until(b'\n', &mut bienvenue)
        .context("lecture de la bienvenue")?;
    if bienvenue.pop() != Some(b'\n') {
        anyhow::bail!("le serveur a fermé la connexion avant la fin de la bienvenue");
    }
    let bienvenue = String::from_utf8(bienvenue).context("bienvenue illisible (pas de l'UTF-8)")?;
    println!("{}", bienvenue.trim_end_matches('\r'));
    commun::envoyer_lignes(&mut flux, port).context("envoi des lignes impossible")?;
    drop(lecteur);
    fermer_dans_l_ordre(flux)?;
    println!("Connexion fermée.");
    Ok(())
}

/// shutdown(Write) : le pair lit la fin du flux ; puis on lit (et on jette)
/// jusqu'à sa propre fin de flux, et seulement alors on lâche la socket.
fn fermer_dans_l_ordre(mut flux: TcpStream) -> anyhow::Result<()> {
    flux.shutdown(Shutdown::Write)
        .context("fermeture de l'écriture impossible")?;
    let mut reste = Vec::new();
    match flux.read_to_end(&mut reste) {
        Ok(_) => Ok(()),
        // Le pair a tout fermé d'un coup (RST) : la connexion est finie quand même.
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => Ok(()),
        Err(e) => Err(e).context("attente de la fin du flux du pair"),
    }
}
