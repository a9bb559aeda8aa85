//! Règle enfreinte : R8 — un seul read pour « les deux lignes ».
//!
//! Erreur volontaire : un seul `read` pour « les deux messages ».
//!
//! C'est le premier réflexe, une lecture par message : elle suppose
//! qu'un `read` rend exactement ce que l'autre a envoyé. Quand les octets
//! arrivent un par un, le premier `read` ne rend qu'un fragment, pris
//! pour une ligne incomplète : le serveur s'arrête sans rien afficher.
//! Diagnostic attendu : `serveur_3_lignes_octet_par_octet`.

mod commun;

use std::io::{Read, Write};

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let (mut service, port) = commun::accepter_un_client()?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    // L'erreur : un read, pris pour les deux lignes. Le reste est juste :
    // chaque ligne est vérifiée (complète, bornée, UTF-8, sans « \r »).
    let mut tampon = [0u8; 2 * commun::LONGUEUR_MAX as usize];
    let n = service.read(&mut tampon)?;
    let texte = std::str::from_utf8(&tampon[..n]).context("pas de l'UTF-8")?;
    let lignes: Vec<&str> = texte.split_inclusive('\n').take(2).collect();
    for ligne in &lignes {
        if !ligne.ends_with('\n') || ligne.len() as u64 > commun::LONGUEUR_MAX {
            bail!("ligne incomplète ou trop longue");
        }
        println!("{}", ligne.trim_end_matches('\n').trim_end_matches('\r'));
    }
    if lignes.len() < 2 {
        bail!("il manque une ligne");
    }
    drop(service);
    println!("Connexion fermée.");
    Ok(())
}
