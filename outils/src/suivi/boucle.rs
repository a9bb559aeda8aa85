//! La boucle du mode suivi : choisir le TP, lancer les passes de
//! correction, suivre les sauvegardes, répondre aux touches, tenir l'état.

use ligne_de_commande::afficherln;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use anyhow::{Context, bail};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::style::{Attribute, Color, Print, ResetColor, SetAttribute, SetForegroundColor};
use crossterm::terminal::{self, Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute, queue};
use notify::RecursiveMode;
use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify_debouncer_full::DebounceEventResult;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::ecran::{self, EtatEtape, Ligne, Phase, ResumeTp, Teinte, Vue};
use super::etat::{self, Etat};
use super::lancement;
use super::passe::{self, Evenement, Passe, Resultat};
use crate::tps::{self, Tp};

/// Attente après la dernière sauvegarde avant de recorriger (un éditeur
/// écrit souvent un fichier en plusieurs fois).
const REGROUPEMENT: Duration = Duration::from_millis(300);

/// Ce que le mode suivi doit savoir pour démarrer.
#[derive(Debug, Clone)]
pub struct Reglages {
    /// L'espace de travail (le dossier qui contient `exercises/`).
    pub espace: PathBuf,
    /// Le dossier de compilation (`target/`) ; l'état y est gardé.
    pub cible: PathBuf,
    /// Le TP demandé (`tp09`) ; sinon le premier qui n'est pas fini.
    pub tp: Option<String>,
}

/// L'état de la boucle, hors terminal.
struct Suivi {
    espace: PathBuf,
    cible: PathBuf,
    tps: Vec<Tp>,
    courant: usize,
    etat: Etat,
    vue: Vue,
    passe: Option<Passe>,
    numero: u64,
    envoi: Sender<(u64, Evenement)>,
    reception: Receiver<(u64, Evenement)>,
    /// Au démarrage sans TP nommé : un TP trouvé fini fait passer au suivant.
    recherche: bool,
}

impl Suivi {
    fn nouveau(reglages: &Reglages) -> anyhow::Result<Suivi> {
        let tps = tps::decouvrir(&reglages.espace, false)?;
        if tps.is_empty() {
            bail!(
                "aucun TP dans {}",
                reglages.espace.join("exercises").display()
            );
        }
        let etat = Etat::lire(Etat::chemin_dans(&reglages.cible));
        let (envoi, reception) = mpsc::channel();
        let mut suivi = Suivi {
            espace: reglages.espace.clone(),
            cible: reglages.cible.clone(),
            vue: vue_vide(&tps[0], None),
            tps,
            courant: 0,
            etat,
            passe: None,
            numero: 0,
            envoi,
            reception,
            recherche: reglages.tp.is_none(),
        };
        match &reglages.tp {
            Some(nom) => {
                suivi.courant = suivi.trouver(nom).with_context(|| {
                    let noms: Vec<&str> = suivi.tps.iter().map(|t| t.nom.as_str()).collect();
                    format!("TP inconnu : {nom} (TP du cours : {})", noms.join(", "))
                })?;
            }
            None => {
                // Un TP déjà fini, dont rien n'a changé depuis, n'est pas
                // recorrigé : on part du premier qui ne l'est pas.
                let deja_fini = |tp: &Tp| {
                    suivi.etat.tps.get(&tp.nom).is_some_and(|e| {
                        e.complet && e.empreinte == passe::empreinte(&suivi.espace, tp)
                    })
                };
                suivi.courant = suivi
                    .tps
                    .iter()
                    .position(|tp| !deja_fini(tp))
                    .unwrap_or(suivi.tps.len() - 1);
            }
        }
        suivi.vue = vue_vide(suivi.tp(), suivi.tps.get(suivi.courant + 1));
        Ok(suivi)
    }

    /// Le rang d'un TP nommé « tp09 », « 09 » ou « 9 ».
    fn trouver(&self, nom: &str) -> Option<usize> {
        let chiffres = nom.trim_start_matches("tp").trim_start_matches('0');
        self.tps.iter().position(|tp| {
            tp.nom == nom || tp.nom.trim_start_matches("tp").trim_start_matches('0') == chiffres
        })
    }

    fn tp(&self) -> &Tp {
        &self.tps[self.courant]
    }

    /// Arrête la passe en cours (tout ce qu'elle a lancé meurt) et en lance
    /// une nouvelle sur le TP courant.
    fn relancer(&mut self) {
        if let Some(mut passe) = self.passe.take() {
            passe.arreter();
        }
        self.numero += 1;
        if self.vue.tp == self.tp().nom {
            // Même TP : l'écran précédent reste visible pendant la
            // compilation ; il est remis à zéro quand les étapes repartent.
            self.vue.phase = Phase::Compilation;
        } else {
            let message = self.vue.message.take();
            let tableau = self.vue.tableau_du_cours;
            self.vue = vue_vide(self.tp(), self.tps.get(self.courant + 1));
            self.vue.message = message;
            self.vue.tableau_du_cours = tableau;
        }
        self.rafraichir_cours();
        self.passe = Some(Passe::lancer(
            self.numero,
            &self.espace,
            &self.tps[self.courant],
            &self.cible,
            self.envoi.clone(),
        ));
    }

    fn arreter(&mut self) {
        if let Some(mut passe) = self.passe.take() {
            passe.arreter();
        }
        lancement::tuer_tout();
    }

    /// Tient compte d'un événement de la passe en cours ; vrai si la passe
    /// est finie (pour de bon : pas de passage automatique au TP suivant).
    fn recevoir(&mut self, evenement: Evenement) -> bool {
        match evenement {
            Evenement::Compilation => self.vue.phase = Phase::Compilation,
            Evenement::CompilationRatee(explication) => {
                // Rien n'a pu être lancé : aucune étape n'est atteinte.
                for (_, etat) in &mut self.vue.etapes {
                    *etat = EtatEtape::NonAtteinte;
                }
                self.vue.diagnostic = None;
                self.vue.indices.clear();
                self.vue.indices_restants = 0;
                self.vue.phase = Phase::CompilationRatee(explication);
                self.noter(None);
                self.recherche = false;
                return true;
            }
            Evenement::Probleme(probleme) => {
                self.vue.phase = Phase::Probleme(probleme);
                self.recherche = false;
                return true;
            }
            Evenement::Etapes(noms) => {
                self.vue.etapes = noms
                    .into_iter()
                    .map(|n| (n, EtatEtape::NonAtteinte))
                    .collect();
                self.vue.diagnostic = None;
                self.vue.indices.clear();
                self.vue.indices_restants = 0;
                self.vue.defilement = 0;
                self.vue.phase = Phase::Notation;
            }
            Evenement::EtapeLancee(i) => {
                if let Some(e) = self.vue.etapes.get_mut(i) {
                    e.1 = EtatEtape::EnCours;
                }
            }
            Evenement::EtapeFinie(i, resultat) => {
                let etat = match resultat {
                    Resultat::Reussie => EtatEtape::Reussie,
                    Resultat::NonVerifiable => EtatEtape::NonVerifiable,
                    Resultat::Ratee(diagnostic) => {
                        self.vue.diagnostic = Some(diagnostic);
                        EtatEtape::Ratee
                    }
                };
                if let Some(e) = self.vue.etapes.get_mut(i) {
                    e.1 = etat;
                }
                if etat == EtatEtape::Ratee {
                    self.montrer_indices();
                }
            }
            Evenement::Finie { empreinte } => {
                self.vue.phase = Phase::Finie;
                self.noter(Some(empreinte));
                if self.recherche && self.vue.complet() && self.courant + 1 < self.tps.len() {
                    self.vue.message = Some(format!(
                        "{} est déjà fini : passage au {}.",
                        self.tp().nom,
                        self.tps[self.courant + 1].nom
                    ));
                    self.courant += 1;
                    self.relancer();
                    return false;
                }
                self.recherche = false;
                return true;
            }
        }
        false
    }

    /// Garde la correction dans l'état : temps passé, et, si la passe est
    /// allée au bout (`empreinte`), étapes réussies et prochaine étape.
    fn noter(&mut self, empreinte: Option<u64>) {
        let vue = &self.vue;
        let complet = vue.complet();
        let (reussies, total) = (vue.reussies(), vue.etapes.len());
        let prochaine = vue.etape_ratee().map(str::to_string);
        let tp = self.etat.tp(&self.tps[self.courant].nom);
        tp.compter_correction(etat::maintenant());
        if let Some(empreinte) = empreinte {
            tp.reussies = reussies;
            tp.total = total;
            tp.prochaine = prochaine;
            tp.complet = complet;
            tp.empreinte = empreinte;
        }
        if let Err(e) = self.etat.ecrire() {
            self.vue.message = Some(format!("État non enregistré : {e:#}"));
        }
        self.rafraichir_cours();
    }

    /// Le cours d'un coup d'œil, et le temps passé sur le TP courant.
    fn rafraichir_cours(&mut self) {
        self.vue.cours = self
            .tps
            .iter()
            .map(|tp| {
                let Some(e) = self.etat.tps.get(&tp.nom) else {
                    return ResumeTp {
                        nom: tp.nom.clone(),
                        etapes: "—".into(),
                        ..ResumeTp::default()
                    };
                };
                let etapes = match (e.total, e.complet) {
                    (0, _) => "—".to_string(),
                    (_, true) => format!("{}/{} ✓", e.reussies, e.total),
                    _ => format!("{}/{}", e.reussies, e.total),
                };
                ResumeTp {
                    nom: tp.nom.clone(),
                    etapes,
                    fini: e.complet,
                    temps: e.temps_passe(),
                    prochaine: e.prochaine.clone(),
                }
            })
            .collect();
        self.vue.temps = self
            .etat
            .tps
            .get(&self.tps[self.courant].nom)
            .and_then(|e| e.temps_passe());
    }

    /// Les indices déjà montrés pour l'étape ratée.
    fn montrer_indices(&mut self) {
        let Some(etape) = self.vue.etape_ratee().map(str::to_string) else {
            return;
        };
        let tous = correcteur::aide::indices(&self.tps[self.courant].nom, &etape);
        let vus = self
            .etat
            .tps
            .get(&self.tps[self.courant].nom)
            .and_then(|e| e.indices.get(&etape).copied())
            .unwrap_or(0)
            .min(tous.len());
        self.vue.indices = tous[..vus].to_vec();
        self.vue.indices_restants = tous.len() - vus;
    }

    /// Montre l'indice suivant de l'étape ratée, et s'en souvient.
    fn indice_suivant(&mut self) {
        let Some(etape) = self.vue.etape_ratee().map(str::to_string) else {
            self.vue.message = Some("Aucune étape ratée : pas d'indice à montrer.".into());
            return;
        };
        if self.vue.indices_restants == 0 {
            self.vue.message = Some(
                "Pas d'autre indice pour cette étape : relisez le diagnostic et les « erreurs \
                 courantes » du chapitre."
                    .into(),
            );
            return;
        }
        let nom = self.tps[self.courant].nom.clone();
        *self.etat.tp(&nom).indices.entry(etape).or_insert(0) += 1;
        if let Err(e) = self.etat.ecrire() {
            self.vue.message = Some(format!("État non enregistré : {e:#}"));
        }
        self.montrer_indices();
    }

    /// Passe au TP d'à côté (`+1` ou `-1`).
    fn aller(&mut self, sens: isize) {
        let cible = self.courant as isize + sens;
        if cible < 0 || cible as usize >= self.tps.len() {
            self.vue.message = Some(if sens > 0 {
                "C'est le dernier TP.".into()
            } else {
                "C'est le premier TP.".into()
            });
            return;
        }
        self.courant = cible as usize;
        self.recherche = false;
        self.vue.message = None;
        self.relancer();
    }

    /// Des fichiers ont changé : on recorrige, et si c'est un autre TP qui a
    /// été modifié, on passe à lui.
    fn fichiers_changes(&mut self, chemins: &[PathBuf]) -> bool {
        let exercices = self.espace.join("exercises");
        let mut touches = chemins
            .iter()
            .filter(|c| est_une_source(c))
            .filter_map(|c| {
                let nom = c.strip_prefix(&exercices).ok()?.components().next()?;
                self.tps
                    .iter()
                    .position(|tp| tp.nom == nom.as_os_str().to_string_lossy())
            });
        let Some(tp) = touches.next() else {
            return false;
        };
        if tp != self.courant {
            self.vue.message = Some(format!("{} modifié : on le suit.", self.tps[tp].nom));
            self.courant = tp;
        } else {
            self.vue.message = None;
        }
        self.recherche = false;
        self.relancer();
        true
    }
}

/// Une source qui compte : un `.rs` ou un `.toml` (pas les fichiers de
/// travail des éditeurs), hors d'un dossier `target`.
fn est_une_source(chemin: &Path) -> bool {
    let extension_ok = chemin.extension().is_some_and(|e| e == "rs" || e == "toml");
    extension_ok && !chemin.components().any(|c| c.as_os_str() == "target")
}

/// Un événement qui change un fichier. Les lectures (cargo ouvre les
/// `Cargo.toml` de tous les TP à chaque compilation) et les dates d'accès
/// n'en sont pas : elles relanceraient la correction sans fin.
fn est_une_ecriture(genre: &EventKind) -> bool {
    !matches!(
        genre,
        EventKind::Access(_)
            | EventKind::Other
            | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

fn vue_vide(tp: &Tp, suivant: Option<&Tp>) -> Vue {
    Vue {
        tp: tp.nom.clone(),
        paquet: tp.paquet.clone(),
        suivant: suivant.map(|t| t.nom.clone()),
        etapes: correcteur::etapes::du_tp(&tp.nom)
            .unwrap_or_default()
            .iter()
            .map(|(nom, _)| (nom.to_string(), EtatEtape::NonAtteinte))
            .collect(),
        diagnostic: None,
        phase: Phase::Compilation,
        indices: Vec::new(),
        indices_restants: 0,
        cours: Vec::new(),
        tableau_du_cours: false,
        temps: None,
        message: None,
        defilement: 0,
    }
}

/// Le mode ligne (la sortie n'est pas un terminal) : une correction, l'écran
/// imprimé une fois. Rend vrai si le TP est fini.
pub fn une_fois(reglages: &Reglages) -> anyhow::Result<bool> {
    let mut suivi = Suivi::nouveau(reglages)?;
    suivi.relancer();
    eprintln!("… correction de {}", suivi.tp().nom);
    loop {
        let (numero, evenement) = suivi
            .reception
            .recv()
            .context("la correction s'est arrêtée sans rien dire")?;
        if numero != suivi.numero {
            continue;
        }
        if let Evenement::Finie { .. } = evenement {
            eprintln!("… {} corrigé", suivi.tp().nom);
        }
        if suivi.recevoir(evenement) {
            break;
        }
    }
    suivi.arreter();
    let (lignes, _) = ecran::dessiner(&suivi.vue, 100, None);
    for ligne in &lignes {
        afficherln!("{}", ecran::texte_de(ligne).trim_end());
    }
    Ok(suivi.vue.complet())
}

/// Ce qu'une touche demande.
enum Action {
    Recorriger,
    Indice,
    Suivant,
    Precedent,
    Defiler(isize),
    Cours,
    Quitter,
    Rien,
}

fn action(touche: KeyEvent) -> Action {
    if touche.kind != KeyEventKind::Press {
        return Action::Rien;
    }
    let ctrl = touche.modifiers.contains(KeyModifiers::CONTROL);
    match touche.code {
        KeyCode::Char('c' | 'd') if ctrl => Action::Quitter,
        KeyCode::Char('q' | 'Q') | KeyCode::Esc => Action::Quitter,
        KeyCode::Char('r' | 'R') | KeyCode::F(5) | KeyCode::Enter => Action::Recorriger,
        KeyCode::Char('i' | 'I' | 'h' | '?') => Action::Indice,
        KeyCode::Char('s' | 'S' | 'n' | 'N') | KeyCode::Right => Action::Suivant,
        KeyCode::Char('p' | 'P') | KeyCode::Left => Action::Precedent,
        KeyCode::Char('c' | 'C') => Action::Cours,
        KeyCode::Down | KeyCode::Char('j') => Action::Defiler(1),
        KeyCode::Up | KeyCode::Char('k') => Action::Defiler(-1),
        KeyCode::PageDown | KeyCode::Char(' ') => Action::Defiler(10),
        KeyCode::PageUp => Action::Defiler(-10),
        _ => Action::Rien,
    }
}

/// Le terminal en mode brut, sur l'écran secondaire ; rendu dans son état
/// d'origine quand ce gardien disparaît (retour normal, erreur) — et par le
/// crochet de panique pour le reste.
struct Terminal;

impl Terminal {
    fn ouvrir() -> io::Result<Terminal> {
        terminal::enable_raw_mode()?;
        let garde = Terminal;
        execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
        Ok(garde)
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        restaurer_le_terminal();
    }
}

fn restaurer_le_terminal() {
    let _ = execute!(io::stdout(), ResetColor, cursor::Show, LeaveAlternateScreen);
    let _ = terminal::disable_raw_mode();
}

/// Le mode interactif : l'écran, les touches, les sauvegardes.
pub fn suivre(reglages: &Reglages, couleur: bool) -> anyhow::Result<()> {
    let mut suivi = Suivi::nouveau(reglages)?;

    // Ctrl+C arrive comme une touche en mode brut ; SIGINT (envoyé par
    // kill), SIGTERM et SIGHUP (la connexion SSH tombe) arrêtent la boucle
    // proprement, terminal rendu et programmes tués. Si la boucle ne rend
    // pas la main (terminal disparu : crossterm peut rester bloqué dans
    // `poll`), ce fil fait le ménage lui-même et termine le processus.
    let arret = Arc::new(AtomicBool::new(false));
    let mut signaux =
        Signals::new([SIGINT, SIGTERM, SIGHUP]).context("impossible d'intercepter les signaux")?;
    let drapeau = Arc::clone(&arret);
    thread::spawn(move || {
        if let Some(signal) = signaux.forever().next() {
            drapeau.store(true, Ordering::SeqCst);
            thread::sleep(Duration::from_secs(2));
            lancement::tuer_tout();
            restaurer_le_terminal();
            std::process::exit(128 + signal);
        }
    });
    let crochet = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restaurer_le_terminal();
        lancement::tuer_tout();
        crochet(info);
    }));

    let (envoi_fichiers, fichiers) = mpsc::channel();
    let mut surveillant = notify_debouncer_full::new_debouncer(REGROUPEMENT, None, envoi_fichiers)
        .context("impossible de surveiller les fichiers")?;
    let exercices = suivi.espace.join("exercises");
    surveillant
        .watch(&exercices, RecursiveMode::Recursive)
        .with_context(|| format!("impossible de surveiller {}", exercices.display()))?;

    let terminal = Terminal::ouvrir().context("terminal inutilisable en mode brut")?;
    suivi.relancer();
    let resultat = boucler(&mut suivi, &fichiers, &arret, couleur);
    suivi.arreter();
    drop(terminal);
    let vue = &suivi.vue;
    afficherln!(
        "cargo suivre : {} · {}/{} étapes{}",
        vue.tp,
        vue.reussies(),
        vue.etapes.len(),
        vue.etape_ratee()
            .map(|e| format!(" · prochaine : {}", vue.commande_etape(e)))
            .unwrap_or_default()
    );
    resultat
}

fn boucler(
    suivi: &mut Suivi,
    fichiers: &Receiver<DebounceEventResult>,
    arret: &AtomicBool,
    couleur: bool,
) -> anyhow::Result<()> {
    let mut sortie = io::stdout();
    let mut max_defilement = 0;
    let mut a_redessiner = true;
    while !arret.load(Ordering::SeqCst) {
        if a_redessiner {
            let (largeur, hauteur) = terminal::size().unwrap_or((80, 24));
            suivi.vue.defilement = suivi.vue.defilement.min(max_defilement);
            let (lignes, max) =
                ecran::dessiner(&suivi.vue, largeur as usize, Some(hauteur as usize));
            max_defilement = max;
            afficher(&mut sortie, &lignes, couleur)?;
            a_redessiner = false;
        }
        if event::poll(Duration::from_millis(50))? {
            a_redessiner = true;
            match event::read()? {
                Event::Key(touche) => match action(touche) {
                    Action::Quitter => break,
                    Action::Recorriger => {
                        suivi.vue.message = None;
                        suivi.relancer();
                    }
                    Action::Indice => {
                        suivi.vue.message = None;
                        suivi.indice_suivant();
                    }
                    Action::Suivant => suivi.aller(1),
                    Action::Precedent => suivi.aller(-1),
                    Action::Defiler(n) => {
                        suivi.vue.defilement = suivi
                            .vue
                            .defilement
                            .saturating_add_signed(n)
                            .min(max_defilement);
                    }
                    Action::Cours => {
                        suivi.vue.tableau_du_cours = !suivi.vue.tableau_du_cours;
                        suivi.vue.defilement = 0;
                    }
                    Action::Rien => a_redessiner = false,
                },
                Event::Resize(..) => {}
                _ => a_redessiner = false,
            }
        }
        while let Ok(changement) = fichiers.try_recv() {
            if let Ok(evenements) = changement {
                let chemins: Vec<PathBuf> = evenements
                    .into_iter()
                    .filter(|e| est_une_ecriture(&e.kind))
                    .flat_map(|e| e.event.paths)
                    .collect();
                a_redessiner |= suivi.fichiers_changes(&chemins);
            }
        }
        while let Ok((numero, evenement)) = suivi.reception.try_recv() {
            if numero == suivi.numero {
                suivi.recevoir(evenement);
                a_redessiner = true;
            }
        }
    }
    Ok(())
}

/// Écrit l'écran d'un coup (chaque ligne effacée jusqu'au bout, puis le
/// reste de l'écran).
fn afficher(sortie: &mut impl Write, lignes: &[Ligne], couleur: bool) -> io::Result<()> {
    for (rang, ligne) in lignes.iter().enumerate() {
        queue!(sortie, cursor::MoveTo(0, rang as u16))?;
        for (teinte, texte) in ligne {
            if couleur {
                match teinte {
                    Teinte::Normale => {}
                    Teinte::Vert => queue!(sortie, SetForegroundColor(Color::Green))?,
                    Teinte::Rouge => queue!(sortie, SetForegroundColor(Color::Red))?,
                    Teinte::Jaune => queue!(sortie, SetForegroundColor(Color::Yellow))?,
                    Teinte::Terne => queue!(sortie, SetForegroundColor(Color::DarkGrey))?,
                    Teinte::Gras => queue!(sortie, SetAttribute(Attribute::Bold))?,
                }
            }
            queue!(sortie, Print(texte))?;
            if couleur && *teinte != Teinte::Normale {
                queue!(sortie, SetAttribute(Attribute::Reset), ResetColor)?;
            }
        }
        queue!(sortie, Clear(ClearType::UntilNewLine))?;
    }
    queue!(sortie, Clear(ClearType::FromCursorDown))?;
    sortie.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Un espace de travail minimal : deux TP, sans code.
    fn espace() -> (tempfile::TempDir, Reglages) {
        let dossier = tempfile::tempdir().unwrap();
        for tp in ["tp09", "tp10"] {
            let d = dossier.path().join("exercises").join(tp);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(
                d.join("Cargo.toml"),
                format!("[package]\nname = \"{tp}\"\n"),
            )
            .unwrap();
        }
        let reglages = Reglages {
            espace: dossier.path().to_path_buf(),
            cible: dossier.path().join("target"),
            tp: Some("9".into()),
        };
        (dossier, reglages)
    }

    fn etapes(suivi: &Suivi) -> Vec<EtatEtape> {
        suivi.vue.etapes.iter().map(|(_, e)| *e).collect()
    }

    #[test]
    fn une_etape_ratee_montre_ses_indices_un_a_un_et_s_en_souvient() {
        let (_dossier, reglages) = espace();
        let mut suivi = Suivi::nouveau(&reglages).unwrap();
        assert_eq!(suivi.tp().nom, "tp09");
        assert_eq!(suivi.vue.etapes.len(), correcteur::etapes::TP09.len());
        suivi.recevoir(Evenement::Etapes(vec![
            "serveur_1_ecoute".into(),
            "serveur_2_bienvenue".into(),
        ]));
        suivi.recevoir(Evenement::EtapeFinie(0, Resultat::Reussie));
        suivi.recevoir(Evenement::EtapeFinie(
            1,
            Resultat::Ratee("✗ TP09 · serveur · étape 2".into()),
        ));
        assert_eq!(etapes(&suivi), [EtatEtape::Reussie, EtatEtape::Ratee]);
        assert!(suivi.vue.indices.is_empty());
        let tous = correcteur::aide::indices("tp09", "serveur_2_bienvenue");
        assert_eq!(suivi.vue.indices_restants, tous.len());
        for n in 1..=tous.len() {
            suivi.indice_suivant();
            assert_eq!(suivi.vue.indices, tous[..n]);
        }
        suivi.indice_suivant();
        assert!(
            suivi
                .vue
                .message
                .as_deref()
                .unwrap()
                .contains("Pas d'autre indice")
        );
        let relu = Etat::lire(Etat::chemin_dans(&reglages.cible));
        assert_eq!(relu.tps["tp09"].indices["serveur_2_bienvenue"], tous.len());
    }

    #[test]
    fn un_code_qui_ne_compile_pas_n_atteint_aucune_etape_mais_compte_le_temps() {
        let (_dossier, reglages) = espace();
        let mut suivi = Suivi::nouveau(&reglages).unwrap();
        suivi.recevoir(Evenement::Etapes(vec!["serveur_1_ecoute".into()]));
        suivi.recevoir(Evenement::EtapeFinie(0, Resultat::Reussie));
        let fini = suivi.recevoir(Evenement::CompilationRatee("Le TP ne compile pas.".into()));
        assert!(fini);
        assert_eq!(etapes(&suivi), [EtatEtape::NonAtteinte]);
        assert!(suivi.vue.diagnostic.is_none());
        let relu = Etat::lire(Etat::chemin_dans(&reglages.cible));
        assert!(relu.tps["tp09"].derniere.is_some());
    }

    #[test]
    fn un_tp_fini_le_dit_et_sa_fin_est_gardee() {
        let (_dossier, reglages) = espace();
        let mut suivi = Suivi::nouveau(&reglages).unwrap();
        suivi.recevoir(Evenement::Etapes(vec!["a_1".into(), "b_2".into()]));
        suivi.recevoir(Evenement::EtapeFinie(0, Resultat::Reussie));
        suivi.recevoir(Evenement::EtapeFinie(1, Resultat::NonVerifiable));
        // TP nommé : pas de recherche, on reste sur le TP fini.
        assert!(suivi.recevoir(Evenement::Finie { empreinte: 7 }));
        assert!(suivi.vue.complet());
        assert_eq!(suivi.tp().nom, "tp09");
        assert_eq!(suivi.vue.suivant.as_deref(), Some("tp10"));
        let relu = Etat::lire(Etat::chemin_dans(&reglages.cible));
        assert!(relu.tps["tp09"].complet);
        assert_eq!(relu.tps["tp09"].empreinte, 7);
        assert_eq!(suivi.vue.cours[0].etapes, "1/2 ✓");
    }

    #[test]
    fn seules_les_ecritures_de_sources_relancent() {
        assert!(est_une_source(Path::new(
            "/e/exercises/tp09/src/serveur.rs"
        )));
        assert!(est_une_source(Path::new("/e/exercises/tp09/Cargo.toml")));
        assert!(!est_une_source(Path::new(
            "/e/exercises/tp09/src/.serveur.rs.swp"
        )));
        assert!(!est_une_source(Path::new("/e/exercises/tp09/target/x.rs")));
        assert!(!est_une_ecriture(&EventKind::Access(
            notify::event::AccessKind::Open(notify::event::AccessMode::Read)
        )));
        assert!(est_une_ecriture(&EventKind::Modify(ModifyKind::Data(
            notify::event::DataChange::Content
        ))));
    }
}
