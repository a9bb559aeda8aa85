//! Ce que les solutions fausses du TP14 font correctement : un serveur de
//! vote et un client complets, compacts. Chaque comportement qu'une erreur
//! du catalogue touche est une méthode du trait [`Variante`], juste par
//! défaut : chaque programme n'a dans son fichier que la méthode qu'il
//! fausse.
#![allow(dead_code)]

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use socket2::{Domain, Socket, Type};

pub const LONGUEUR_MAX: u32 = 4096;
const LISTER: u8 = 0x01;
const VOTER: u8 = 0x02;
const RESULTATS: u8 = 0x03;
const OPTIONS: u8 = 0x81;
const RECU: u8 = 0x82;
const DECOMPTE: u8 = 0x83;
const ERREUR: u8 = 0xFF;

pub const TROP_LONGUE: u8 = 2;
pub const TRONQUEE: u8 = 3;
pub const MALFORMEE: u8 = 4;
pub const JETON_INCONNU: u8 = 5;
pub const DEJA_VOTE: u8 = 6;
pub const OPTION_INCONNUE: u8 = 7;
pub const JOURNAL: u8 = 8;

/// Le journal ouvert, son chemin, et l'ordre de réparer (`--reparer-journal`).
pub struct Lieu {
    pub journal: File,
    pub chemin: PathBuf,
    pub reparer: bool,
}

/// L'état du scrutin, sous le verrou de l'urne.
pub struct Etat {
    pub voix: Vec<u32>,
    pub ont_vote: HashSet<String>,
    pub journal: File,
}

pub struct Urne {
    pub question: String,
    pub options: Vec<String>,
    pub electeurs: HashSet<String>,
    pub etat: Mutex<Etat>,
}

impl Urne {
    pub fn verrouiller(&self) -> MutexGuard<'_, Etat> {
        self.etat.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Le numéro d'option, s'il existe, en indice (à partir de 0).
    pub fn indice(&self, option: u16) -> Result<usize, u8> {
        match option as usize {
            n if n >= 1 && n <= self.options.len() => Ok(n - 1),
            _ => Err(OPTION_INCONNUE),
        }
    }
}

/// Ce que les solutions fausses peuvent changer ; tout est juste par défaut.
pub trait Variante: Send + Sync + 'static {
    fn u16_en_octets(&self, n: u16) -> [u8; 2] {
        n.to_be_bytes()
    }
    fn u32_en_octets(&self, n: u32) -> [u8; 4] {
        n.to_be_bytes()
    }
    fn u16_depuis(&self, o: [u8; 2]) -> u16 {
        u16::from_be_bytes(o)
    }
    fn u32_depuis(&self, o: [u8; 4]) -> u32 {
        u32::from_be_bytes(o)
    }

    /// La charge d'une trame dont l'en-tête annonce `longueur` octets.
    fn lire_charge(&self, flux: &mut dyn Read, longueur: u32) -> Result<Vec<u8>, u8> {
        if longueur > LONGUEUR_MAX {
            return Err(TROP_LONGUE);
        }
        let mut charge = vec![0u8; longueur as usize];
        flux.read_exact(&mut charge).map_err(|_| TRONQUEE)?;
        Ok(charge)
    }

    /// Un vote : vérifié, écrit au journal, compté, sous un seul verrou.
    fn voter(&self, urne: &Urne, jeton: &str, option: u16) -> Result<u32, u8> {
        let mut etat = urne.verrouiller();
        if !urne.electeurs.contains(jeton) {
            return Err(JETON_INCONNU);
        }
        if etat.ont_vote.contains(jeton) {
            return Err(DEJA_VOTE);
        }
        let i = urne.indice(option)?;
        ajouter_au_journal(
            &mut etat.journal,
            &self.enregistrement(jeton, option),
            File::sync_data,
        )?;
        etat.ont_vote.insert(jeton.to_string());
        etat.voix[i] += 1;
        Ok(etat.ont_vote.len() as u32)
    }

    /// Les octets d'un enregistrement du journal.
    fn enregistrement(&self, jeton: &str, option: u16) -> Vec<u8> {
        enregistrement(jeton, option)
    }

    /// Le port où écouter (serveur) ou se connecter (client), pour le port
    /// donné en argument.
    fn port(&self, demande: u16) -> u16 {
        demande
    }

    /// Le client essaie-t-il aussi les adresses IPv6 de l'hôte ?
    fn essaie_ipv6(&self) -> bool {
        true
    }

    /// OPTIONS donne-t-il le nombre d'options avant les options ?
    fn annonce_le_nombre_d_options(&self) -> bool {
        true
    }

    /// Le numéro du reçu du vote de rang `rang` (à partir de 1).
    fn numero_du_recu(&self, rang: u32) -> u32 {
        rang
    }

    /// Le code d'erreur d'un type inconnu, selon sa charge.
    fn code_du_type_inconnu(&self, _charge: &[u8]) -> u8 {
        1
    }

    /// LISTER accepte-t-il une charge non vide ?
    fn lister_accepte_une_charge(&self) -> bool {
        false
    }

    /// La connexion se ferme-t-elle après ERREUR `code` ?
    fn ferme_apres(&self, code: u8) -> bool {
        code <= MALFORMEE
    }

    /// Le numéro affiché devant la première option, par le client.
    fn premier_numero_affiche(&self) -> u16 {
        1
    }

    /// Un refus du serveur est-il une erreur (sortie d'erreur, code 1) ?
    fn refus_en_erreur(&self) -> bool {
        true
    }

    /// L'adresse de la socket d'écoute : la boucle locale.
    fn adresse_d_ecoute(&self) -> Ipv4Addr {
        Ipv4Addr::LOCALHOST
    }

    /// La socket d'écoute a-t-elle SO_REUSEADDR (relance aussitôt possible) ?
    fn reutilise_l_adresse(&self) -> bool {
        true
    }

    /// Connexions servies à la fois, pour `--connexions-max demande`.
    fn connexions_max(&self, demande: usize) -> usize {
        demande
    }

    /// Le délai d'inactivité borne-t-il chaque trame entière (vrai), ou
    /// seulement chaque lecture (faux) ?
    fn echeance_par_trame(&self) -> bool {
        true
    }

    /// Le client refuse-t-il `voter JETON 0` sans se connecter ?
    fn refuse_l_option_zero(&self) -> bool {
        true
    }

    /// Le CRC-32 lu à la fin d'un enregistrement correspond-il à son contenu ?
    fn somme_juste(&self, contenu: &[u8], somme: &[u8]) -> bool {
        // Réencoder le vote lu avec `enregistrement` : le journal se relit
        // avec le format qui l'a écrit.
        let jeton = String::from_utf8_lossy(&contenu[4..]);
        let option = u16::from_be_bytes([contenu[2], contenu[3]]);
        let refait = self.enregistrement(&jeton, option);
        refait.len() == contenu.len() + 4
            && refait[..contenu.len()] == *contenu
            && refait[contenu.len()..] == *somme
    }

    /// Ce qui suit la partie valide du journal : une fin déchirée est
    /// coupée ; tout autre défaut arrête le serveur sans toucher au fichier.
    fn traiter_le_reste(
        &self,
        lieu: &Lieu,
        reste: &[u8],
        valides: usize,
        votes: usize,
    ) -> Result<()> {
        reste_du_journal(self, lieu, reste, valides, votes)
    }

    /// Au démarrage : les votes relus dans le journal.
    fn compter_le_journal(&self, etat: &mut Etat, votes: &[(String, u16)]) {
        for (jeton, option) in votes {
            etat.ont_vote.insert(jeton.clone());
            etat.voix[*option as usize - 1] += 1;
        }
    }
}

// ─── Le journal ────────────────────────────────────────────────────────────

pub fn crc32(octets: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &octet in octets {
        crc ^= u32::from(octet);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

pub fn enregistrement(jeton: &str, option: u16) -> Vec<u8> {
    let mut octets = ((2 + jeton.len()) as u16).to_be_bytes().to_vec();
    octets.extend_from_slice(&option.to_be_bytes());
    octets.extend_from_slice(jeton.as_bytes());
    let somme = crc32(&octets);
    octets.extend_from_slice(&somme.to_be_bytes());
    octets
}

/// Ajoute un vote au journal et attend le disque.
pub fn journaliser(journal: &mut File, jeton: &str, option: u16) -> Result<(), u8> {
    ajouter_au_journal(journal, &enregistrement(jeton, option), File::sync_data)
}

/// Ajoute un enregistrement au journal (ouvert en ajout) puis le force sur
/// le disque avec `forcer`. Si l'écriture échoue, le journal revient à sa
/// taille d'avant : pas d'enregistrement déchiré au milieu du journal.
pub fn ajouter_au_journal(
    journal: &mut File,
    octets: &[u8],
    forcer: fn(&File) -> std::io::Result<()>,
) -> Result<(), u8> {
    let taille = journal.metadata().map_err(|_| JOURNAL)?.len();
    if journal
        .write_all(octets)
        .and_then(|()| forcer(journal))
        .is_err()
    {
        let _ = journal.set_len(taille);
        return Err(JOURNAL);
    }
    Ok(())
}

/// Les votes complets du journal, et la taille de la partie valide.
/// Ce que le serveur juste fait de la partie du journal qui suit le dernier
/// enregistrement valide (R14, R15) ; une variante fautive peut n'en
/// changer qu'un cas et s'en remettre à elle pour le reste.
pub fn reste_du_journal<V: Variante + ?Sized>(
    v: &V,
    lieu: &Lieu,
    reste: &[u8],
    valides: usize,
    votes: usize,
) -> Result<()> {
    if reste.is_empty() {
        return Ok(());
    }
    let abime = !fin_dechiree(v, reste);
    if abime && !lieu.reparer {
        bail!(
            "journal abîmé : enregistrement n° {} (octet {valides}) illisible ; relancez avec --reparer-journal",
            votes + 1
        );
    }
    if abime {
        let mut cote = lieu.chemin.clone().into_os_string();
        cote.push(".endommage");
        let mut copie = OpenOptions::new().write(true).create_new(true).open(cote)?;
        copie.write_all(reste)?;
        copie.sync_all()?;
    }
    eprintln!("avertissement : journal : fin ignorée à partir de l'octet {valides}");
    lieu.journal.set_len(valides as u64)?;
    Ok(())
}

/// Vrai si `reste` n'est qu'une fin déchirée (R14) : le début d'un
/// enregistrement, ou des zéros, et rien de lisible plus loin.
pub fn fin_dechiree<V: Variante + ?Sized>(v: &V, reste: &[u8]) -> bool {
    let plus_loin = (1..reste.len()).any(|d| rejouer(v, &reste[d..]).0.len() == 1);
    let longueur = match reste {
        [a, b, ..] => u16::from_be_bytes([*a, *b]) as usize,
        _ => 3,
    };
    let dechiree = reste.iter().all(|&o| o == 0)
        || ((3..=66).contains(&longueur) && reste.len() < 2 + longueur + 4);
    dechiree && !plus_loin
}

fn rejouer<V: Variante + ?Sized>(v: &V, octets: &[u8]) -> (Vec<(String, u16)>, usize) {
    let mut votes = Vec::new();
    let mut p = 0;
    while p + 2 <= octets.len() {
        let longueur = u16::from_be_bytes([octets[p], octets[p + 1]]) as usize;
        let fin = p + 2 + longueur + 4;
        if longueur < 2 || fin > octets.len() {
            break;
        }
        if !v.somme_juste(&octets[p..fin - 4], &octets[fin - 4..fin]) {
            break;
        }
        let option = u16::from_be_bytes([octets[p + 2], octets[p + 3]]);
        let Ok(jeton) = String::from_utf8(octets[p + 4..fin - 4].to_vec()) else {
            break;
        };
        votes.push((jeton, option));
        p = fin;
    }
    (votes, p)
}

// ─── Le serveur ────────────────────────────────────────────────────────────

fn lignes(chemin: &str) -> Result<Vec<String>> {
    Ok(std::fs::read_to_string(chemin)
        .with_context(|| format!("impossible de lire {chemin}"))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}

fn option_de(args: &[String], nom: &str) -> Result<String> {
    let i = args
        .iter()
        .position(|a| a == nom)
        .context(nom.to_string())?;
    args.get(i + 1).cloned().context(nom.to_string())
}

fn serveur<V: Variante>(variante: Arc<V>, args: &[String]) -> Result<()> {
    let port: u16 = variante.port(args.get(2).context("port")?.parse()?);
    let mut bulletin = lignes(&option_de(args, "--bulletin")?)?.into_iter();
    let question = bulletin.next().context("bulletin vide")?;
    let options: Vec<String> = bulletin.collect();
    let electeurs = lignes(&option_de(args, "--electeurs")?)?
        .into_iter()
        .collect();
    let chemin = PathBuf::from(option_de(args, "--journal")?);
    let mut journal = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(&chemin)?;
    let mut octets = Vec::new();
    journal.read_to_end(&mut octets)?;
    let (votes, valides) = rejouer(&*variante, &octets);
    let lieu = Lieu {
        journal,
        chemin,
        reparer: args.iter().any(|a| a == "--reparer-journal"),
    };
    variante.traiter_le_reste(&lieu, &octets[valides..], valides, votes.len())?;
    let journal = lieu.journal;
    let mut etat = Etat {
        voix: vec![0; options.len()],
        ont_vote: HashSet::new(),
        journal,
    };
    variante.compter_le_journal(&mut etat, &votes);
    let urne = Arc::new(Urne {
        question,
        options,
        electeurs,
        etat: Mutex::new(etat),
    });
    let ecoute = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    ecoute.set_reuse_address(variante.reutilise_l_adresse())?;
    ecoute.bind(&SocketAddr::from((variante.adresse_d_ecoute(), port)).into())?;
    ecoute.listen(1024)?;
    let nombre = |nom: &str, defaut: u64| -> Result<u64> {
        Ok(match option_de(args, nom) {
            Ok(valeur) => valeur.parse()?,
            Err(_) => defaut,
        })
    };
    let max = variante.connexions_max(nombre("--connexions-max", 512)? as usize);
    let inactivite = Duration::from_secs(nombre("--inactivite", 30)?);
    let places = Arc::new((Mutex::new(0usize), Condvar::new()));
    loop {
        {
            let (occupees, liberee) = &*places;
            let mut n = occupees.lock().unwrap_or_else(|e| e.into_inner());
            while *n >= max {
                n = liberee.wait(n).unwrap_or_else(|e| e.into_inner());
            }
            *n += 1;
        }
        let (service, _) = ecoute.accept()?;
        let (variante, urne, places) = (
            Arc::clone(&variante),
            Arc::clone(&urne),
            Arc::clone(&places),
        );
        thread::spawn(move || {
            servir(&*variante, &urne, service.into(), inactivite);
            let (occupees, liberee) = &*places;
            *occupees.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
            liberee.notify_one();
        });
    }
}

fn chaine<V: Variante>(v: &V, charge: &mut Vec<u8>, texte: &str) {
    charge.extend_from_slice(&v.u16_en_octets(texte.len() as u16));
    charge.extend_from_slice(texte.as_bytes());
}

fn ecrire<V: Variante>(v: &V, flux: &mut TcpStream, genre: u8, charge: &[u8]) -> bool {
    let mut trame = vec![genre];
    trame.extend_from_slice(&v.u32_en_octets(charge.len() as u32));
    trame.extend_from_slice(charge);
    flux.write_all(&trame).is_ok()
}

/// Lit le jeton et l'option d'une charge VOTER.
fn decoder_vote<V: Variante>(v: &V, charge: &[u8]) -> Result<(String, u16), u8> {
    let n = v.u16_depuis([
        *charge.first().ok_or(MALFORMEE)?,
        *charge.get(1).ok_or(MALFORMEE)?,
    ]) as usize;
    if charge.len() != 2 + n + 2 {
        return Err(MALFORMEE);
    }
    let jeton = String::from_utf8(charge[2..2 + n].to_vec()).map_err(|_| MALFORMEE)?;
    Ok((jeton, v.u16_depuis([charge[2 + n], charge[3 + n]])))
}

fn repondre<V: Variante>(v: &V, urne: &Urne, genre: u8, charge: &[u8]) -> (u8, Vec<u8>) {
    let mut sortie = Vec::new();
    match genre {
        LISTER if charge.is_empty() || v.lister_accepte_une_charge() => {
            chaine(v, &mut sortie, &urne.question);
            if v.annonce_le_nombre_d_options() {
                sortie.extend_from_slice(&v.u16_en_octets(urne.options.len() as u16));
            }
            for option in &urne.options {
                chaine(v, &mut sortie, option);
            }
            (OPTIONS, sortie)
        }
        VOTER => match decoder_vote(v, charge).and_then(|(j, o)| v.voter(urne, &j, o)) {
            Ok(rang) => (RECU, v.u32_en_octets(v.numero_du_recu(rang)).to_vec()),
            Err(code) => (ERREUR, vec![code]),
        },
        RESULTATS if charge.is_empty() => {
            let voix = urne.verrouiller().voix.clone();
            sortie.extend_from_slice(&v.u16_en_octets(urne.options.len() as u16));
            for (option, voix) in urne.options.iter().zip(voix) {
                chaine(v, &mut sortie, option);
                sortie.extend_from_slice(&v.u32_en_octets(voix));
            }
            (DECOMPTE, sortie)
        }
        LISTER | RESULTATS => (ERREUR, vec![MALFORMEE]),
        _ => (ERREUR, vec![v.code_du_type_inconnu(charge)]),
    }
}

/// Une lecture bornée par une échéance (ou, si `par_trame` est faux, par
/// un délai remis à zéro à chaque lecture).
struct Borne {
    flux: TcpStream,
    delai: Duration,
    echeance: Instant,
    par_trame: bool,
}

impl Read for Borne {
    fn read(&mut self, tampon: &mut [u8]) -> std::io::Result<usize> {
        let reste = if self.par_trame {
            self.echeance.saturating_duration_since(Instant::now())
        } else {
            self.delai
        };
        if reste.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.flux.set_read_timeout(Some(reste))?;
        self.flux.read(tampon)
    }
}

fn servir<V: Variante>(v: &V, urne: &Urne, mut flux: TcpStream, inactivite: Duration) {
    let Ok(copie) = flux.try_clone() else { return };
    let mut lecteur = BufReader::new(Borne {
        flux: copie,
        delai: inactivite,
        echeance: Instant::now() + inactivite,
        par_trame: v.echeance_par_trame(),
    });
    loop {
        lecteur.get_mut().echeance = Instant::now() + inactivite;
        let mut en_tete = [0u8; 5];
        let mut lus = 0;
        while lus < 5 {
            match lecteur.read(&mut en_tete[lus..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => lus += n,
            }
        }
        let (genre, charge) = match lus {
            0 => return,
            1..5 => (ERREUR, vec![TRONQUEE]),
            _ => {
                let longueur = v.u32_depuis([en_tete[1], en_tete[2], en_tete[3], en_tete[4]]);
                match v.lire_charge(&mut lecteur, longueur) {
                    Ok(charge) => repondre(v, urne, en_tete[0], &charge),
                    Err(code) => (ERREUR, vec![code]),
                }
            }
        };
        let fermer = genre == ERREUR && v.ferme_apres(charge[0]);
        if !ecrire(v, &mut flux, genre, &charge) || fermer {
            return;
        }
    }
}

// ─── Le client ─────────────────────────────────────────────────────────────

fn client<V: Variante>(v: &V, args: &[String]) -> Result<()> {
    let hote = args.get(2).context("hôte")?;
    let port: u16 = v.port(args.get(3).context("port")?.parse()?);
    let adresses: Vec<SocketAddr> = (hote.as_str(), port)
        .to_socket_addrs()?
        .filter(|a| v.essaie_ipv6() || a.is_ipv4())
        .collect();
    // La commande est lue (et l'option 0 refusée) avant de se connecter,
    // comme le fait le main.rs fourni.
    let (genre, charge) = match args.get(4).map(String::as_str) {
        Some("options") => (LISTER, Vec::new()),
        Some("resultats") => (RESULTATS, Vec::new()),
        Some("voter") => {
            let mut charge = Vec::new();
            chaine(v, &mut charge, args.get(5).context("jeton")?);
            let option: u16 = args.get(6).context("option")?.parse()?;
            if option == 0 && v.refuse_l_option_zero() {
                eprintln!(
                    "erreur : option invalide : « 0 » (à partir de 1)\nusage : client HÔTE PORT voter JETON OPTION"
                );
                std::process::exit(64);
            }
            charge.extend_from_slice(&v.u16_en_octets(option));
            (VOTER, charge)
        }
        _ => bail!("commande inconnue"),
    };
    let mut flux = TcpStream::connect(&adresses[..])?;
    ecrire(v, &mut flux, genre, &charge);
    let mut en_tete = [0u8; 5];
    flux.read_exact(&mut en_tete)?;
    let longueur = v.u32_depuis([en_tete[1], en_tete[2], en_tete[3], en_tete[4]]);
    let mut charge = vec![0u8; longueur.min(LONGUEUR_MAX) as usize];
    flux.read_exact(&mut charge)?;
    let mut p = 0;
    let u16_ = |p: &mut usize| {
        *p += 2;
        v.u16_depuis([charge[*p - 2], charge[*p - 1]])
    };
    let texte = |p: &mut usize, n: usize| {
        *p += n;
        String::from_utf8_lossy(&charge[*p - n..*p]).into_owned()
    };
    match en_tete[0] {
        OPTIONS => {
            let n = u16_(&mut p) as usize;
            println!("{}", texte(&mut p, n));
            let premier = v.premier_numero_affiche();
            for i in premier..premier + u16_(&mut p) {
                let n = u16_(&mut p) as usize;
                println!("  {i}. {}", texte(&mut p, n));
            }
        }
        RECU => println!(
            "Vote enregistré : reçu n° {}",
            v.u32_depuis([charge[0], charge[1], charge[2], charge[3]])
        ),
        DECOMPTE => {
            println!("Résultats :");
            for i in 1..=u16_(&mut p) {
                let n = u16_(&mut p) as usize;
                let option = texte(&mut p, n);
                let voix = v.u32_depuis([charge[p], charge[p + 1], charge[p + 2], charge[p + 3]]);
                p += 4;
                println!("  {i}. {option} : {voix} voix");
            }
        }
        _ if !v.refus_en_erreur() => println!(
            "le serveur a refusé la requête : {} (code {})",
            en_clair(charge[0]),
            charge[0]
        ),
        _ => bail!(
            "le serveur a refusé la requête : {} (code {})",
            en_clair(charge[0]),
            charge[0]
        ),
    }
    Ok(())
}

fn en_clair(code: u8) -> &'static str {
    match code {
        JETON_INCONNU => "jeton inconnu",
        DEJA_VOTE => "ce jeton a déjà voté",
        OPTION_INCONNUE => "option inconnue",
        _ => "erreur de protocole",
    }
}

/// `NOM serveur PORT --bulletin B --electeurs E --journal J` ou
/// `NOM client HÔTE PORT commande…`.
pub fn principal<V: Variante>(variante: V) -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let resultat = match args.get(1).map(String::as_str) {
        Some("serveur") => serveur(Arc::new(variante), &args),
        Some("client") => client(&variante, &args),
        _ => Err(anyhow::anyhow!("rôle inconnu")),
    };
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(erreur) => {
            eprintln!("erreur : {erreur:#}");
            ExitCode::FAILURE
        }
    }
}
