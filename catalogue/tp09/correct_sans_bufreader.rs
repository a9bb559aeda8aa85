//! Variante correcte : sans BufReader, un tampon à soi et des read() bruts ; serveur std::net, client ouvert avec socket2 (une adresse résolue après l'autre).
//!
//! Le découpage en lignes se fait à la main : on accumule les octets reçus
//! et on coupe au premier `\n`, en gardant la suite pour la ligne d'après.

mod commun;

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::ExitCode;

use anyhow::{Context, bail};
use socket2::{Domain, Socket, Type};

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

/// Un flux découpé en lignes à la main.
struct Lignes {
    flux: TcpStream,
    recu: Vec<u8>,
}

impl Lignes {
    /// La prochaine ligne, sans `\n` ni `\r` ; au plus 4096 octets, `\n` compris.
    fn suivante(&mut self) -> anyhow::Result<String> {
        loop {
            if let Some(fin) = self.recu.iter().position(|&o| o == b'\n') {
                if fin + 1 > commun::LONGUEUR_MAX as usize {
                    bail!("ligne trop longue (plus de 4096 octets)");
                }
                let mut ligne: Vec<u8> = self.recu.drain(..=fin).collect();
                ligne.pop();
                if ligne.last() == Some(&b'\r') {
                    ligne.pop();
                }
                return String::from_utf8(ligne).context("octets qui ne sont pas de l'UTF-8");
            }
            if self.recu.len() >= commun::LONGUEUR_MAX as usize {
                bail!("ligne trop longue (4096 octets sans « \\n »)");
            }
            let mut morceau = [0u8; 512];
            let lus = match self.flux.read(&mut morceau) {
                Ok(lus) => lus,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e).context("lecture impossible"),
            };
            if lus == 0 {
                bail!("le pair a fermé la connexion avant la fin de la ligne");
            }
            self.recu.extend_from_slice(&morceau[..lus]);
        }
    }
}

fn serveur() -> anyhow::Result<()> {
    let (ecoute, port) = commun::ecouter()?;
    let mut service = commun::accepter(&ecoute)?;
    service.write_all(commun::bienvenue(port).as_bytes())?;
    let mut lignes = Lignes {
        flux: service,
        recu: Vec::new(),
    };
    for _ in 0..2 {
        println!("{}", lignes.suivante().context("ligne du client")?);
    }
    drop(lignes);
    println!("Connexion fermée.");
    Ok(())
}

fn client() -> anyhow::Result<()> {
    let (hote, port) = commun::hote_et_port();
    let mut derniere = None;
    let mut flux = None;
    for adresse in (hote.as_str(), port)
        .to_socket_addrs()
        .with_context(|| format!("impossible de résoudre {hote}"))?
    {
        let socket = Socket::new(Domain::for_address(adresse), Type::STREAM, None)?;
        match socket.connect(&adresse.into()) {
            Ok(()) => {
                flux = Some(TcpStream::from(socket));
                break;
            }
            Err(e) => derniere = Some(e),
        }
    }
    let Some(flux) = flux else {
        let cause = derniere.map_or_else(|| "aucune adresse".into(), |e| e.to_string());
        bail!("impossible de se connecter à {hote}:{port} ({cause})");
    };
    println!("Connecté au serveur {}", flux.peer_addr()?);
    let mut lignes = Lignes {
        flux,
        recu: Vec::new(),
    };
    println!("{}", lignes.suivante().context("bienvenue du serveur")?);
    for ligne in commun::lignes_du_client(port) {
        lignes.flux.write_all(ligne.as_bytes())?;
    }
    drop(lignes);
    println!("Connexion fermée.");
    Ok(())
}
