//! Les services connus et les plages de ports, lus sur la machine même.
//!
//! Cet exemple accompagne les chapitres « Le modèle client-serveur » et
//! « Ports et modes de communication ». Il lit deux fichiers du système :
//!
//! - `/etc/services`, l'annuaire local qui associe un nom de service à un
//!   numéro de port et à un protocole de transport (`ssh 22/tcp`) ;
//! - `/proc/sys/net/ipv4/ip_local_port_range`, la plage dans laquelle Linux
//!   choisit les ports éphémères (ceux des clients, et ceux du port 0).
//!
//! Il ne fait que lire : aucune socket n'est créée. Si un fichier manque (un
//! conteneur minimal n'a pas toujours `/etc/services`), il le dit et continue.
//!
//! Lancement : `cargo run -p exemples --bin exemple-services`
//! ou, pour choisir les services : `… -- ssh http daytime`. Un service peut
//! être demandé par l'un de ses alias (`imap` pour `imap2`).

use std::fs;

use anyhow::{Context, Result, bail};

/// L'annuaire des services.
const SERVICES: &str = "/etc/services";

/// La plage des ports éphémères de Linux.
const PLAGE_EPHEMERE: &str = "/proc/sys/net/ipv4/ip_local_port_range";

/// Le premier port qu'un utilisateur ordinaire peut attacher (1024 par défaut).
const PREMIER_PORT_LIBRE: &str = "/proc/sys/net/ipv4/ip_unprivileged_port_start";

/// Les services montrés quand on n'en demande aucun.
const PAR_DEFAUT: [&str; 8] = [
    "echo", "daytime", "ftp", "ssh", "smtp", "domain", "http", "snmp",
];

/// Une ligne utile de `/etc/services`.
struct Service {
    nom: String,
    port: u16,
    protocole: String,
    /// Les autres noms du même service (`imap` pour `imap2`).
    alias: Vec<String>,
}

fn main() -> Result<()> {
    let demandes: Vec<String> = std::env::args().skip(1).collect();
    let demandes: Vec<&str> = if demandes.is_empty() {
        PAR_DEFAUT.to_vec()
    } else {
        demandes.iter().map(String::as_str).collect()
    };

    println!("1. Quelques services de {SERVICES}");
    match fs::read_to_string(SERVICES) {
        Ok(texte) => {
            let services = lire_services(&texte);
            println!("  ({} entrées dans le fichier)", services.len());
            for nom in demandes {
                // Le nom officiel d'abord ; à défaut, un alias.
                let trouves: Vec<&Service> = services.iter().filter(|s| s.nom == nom).collect();
                let (trouves, par_alias) = if trouves.is_empty() {
                    let alias = services
                        .iter()
                        .filter(|s| s.alias.iter().any(|a| a == nom))
                        .collect();
                    (alias, true)
                } else {
                    (trouves, false)
                };
                let ports: Vec<String> = trouves
                    .iter()
                    .map(|s| format!("{}/{}", s.port, s.protocole))
                    .collect();
                match trouves.first() {
                    None => println!("  {nom:<8} absent du fichier"),
                    Some(service) if par_alias => println!(
                        "  {nom:<8} {}  (alias de {})",
                        ports.join("  "),
                        service.nom
                    ),
                    Some(_) => println!("  {nom:<8} {}", ports.join("  ")),
                }
            }
        }
        Err(erreur) => println!("  {SERVICES} illisible : {erreur}"),
    }

    println!();
    println!("2. Les plages de ports");
    println!("  0               joker : « au système de choisir »");
    println!("  1 à 1023        ports réservés : bind() exige les droits de root");
    println!("  1024 à 49151    ports enregistrés auprès de l'IANA");
    println!("  49152 à 65535   ports dynamiques, selon l'IANA");
    match lire_nombre(PREMIER_PORT_LIBRE) {
        Ok(premier) => println!(
            "  sur cette machine, un utilisateur ordinaire peut attacher un port à partir de {premier}"
        ),
        Err(erreur) => println!("  seuil des ports réservés illisible : {erreur:#}"),
    }
    match plage_ephemere() {
        Ok((debut, fin)) => println!(
            "  plage éphémère de cette machine : {debut} à {fin} ({} ports)",
            u32::from(fin) - u32::from(debut) + 1
        ),
        Err(erreur) => println!("  plage éphémère illisible : {erreur:#}"),
    }
    Ok(())
}

// ANCHOR: lire_services
/// Extrait les services d'un texte au format de `/etc/services`.
///
/// Chaque ligne utile a la forme `nom port/protocole [alias…] [# commentaire]`.
/// Les lignes vides, les commentaires et les lignes mal formées sont ignorés ;
/// les alias sont gardés, pour qu'on puisse chercher un service par l'un
/// d'eux.
fn lire_services(texte: &str) -> Vec<Service> {
    let mut services = Vec::new();
    for ligne in texte.lines() {
        // Tout ce qui suit un `#` est un commentaire.
        let utile = ligne.split('#').next().unwrap_or_default();
        let mut champs = utile.split_whitespace();
        let (Some(nom), Some(port_proto)) = (champs.next(), champs.next()) else {
            continue;
        };
        let Some((port, protocole)) = port_proto.split_once('/') else {
            continue;
        };
        let Ok(port) = port.parse::<u16>() else {
            continue;
        };
        services.push(Service {
            nom: nom.to_owned(),
            port,
            protocole: protocole.to_owned(),
            alias: champs.map(str::to_owned).collect(),
        });
    }
    services
}
// ANCHOR_END: lire_services

/// Lit un fichier de `/proc` qui ne contient qu'un nombre.
fn lire_nombre(chemin: &str) -> Result<u32> {
    let texte =
        fs::read_to_string(chemin).with_context(|| format!("impossible de lire {chemin}"))?;
    texte
        .trim()
        .parse()
        .with_context(|| format!("contenu inattendu dans {chemin} : {texte:?}"))
}

// ANCHOR: plage_ephemere
/// Lit la plage des ports éphémères : deux nombres séparés par des blancs.
fn plage_ephemere() -> Result<(u16, u16)> {
    let texte = fs::read_to_string(PLAGE_EPHEMERE)
        .with_context(|| format!("impossible de lire {PLAGE_EPHEMERE}"))?;
    let nombres: Vec<u16> = texte
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .with_context(|| format!("contenu inattendu dans {PLAGE_EPHEMERE} : {texte:?}"))?;
    match nombres[..] {
        [debut, fin] if debut <= fin => Ok((debut, fin)),
        _ => bail!("contenu inattendu dans {PLAGE_EPHEMERE} : {texte:?}"),
    }
}
// ANCHOR_END: plage_ephemere

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn les_alias_sont_gardes_et_les_commentaires_ignores() {
        let texte = "# en-tête\n\
                     imap2\t\t143/tcp\t\timap\t\t# Interim Mail Access P 2 and 4\n\
                     \n\
                     ligne-sans-port\n\
                     ssh 22/tcp\n";
        let services = lire_services(texte);
        assert_eq!(services.len(), 2);
        assert_eq!(services[0].nom, "imap2");
        assert_eq!(services[0].port, 143);
        assert_eq!(services[0].protocole, "tcp");
        assert_eq!(services[0].alias, ["imap"]);
        assert!(services[1].alias.is_empty());
    }
}
