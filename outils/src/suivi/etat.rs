//! L'état du mode suivi, gardé entre deux lancements dans un petit fichier
//! JSON du dossier `target/` de l'étudiant (`target/suivi/etat.json`) : pour
//! chaque TP, la dernière correction (étapes réussies, prochaine étape), le
//! temps passé et, pour chaque étape, le nombre d'indices déjà montrés.
//!
//! Ce fichier n'est qu'une mémoire de confort : illisible, il est mis de côté
//! (`etat.json.illisible`) et l'on repart de zéro ; rien n'en dépend pour
//! noter.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use serde_json::{Map, Value, json};

/// Au-delà de cet écart entre deux corrections, l'étudiant a fait une pause :
/// l'écart ne compte pas dans le temps passé.
pub const PAUSE: u64 = 10 * 60;

/// Ce qu'on sait d'un TP.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EtatTp {
    /// Première et dernière correction (secondes depuis 1970).
    pub premiere: Option<u64>,
    pub derniere: Option<u64>,
    /// Temps passé, en secondes : la somme des écarts entre corrections
    /// successives plus courts que [`PAUSE`].
    pub actif: u64,
    /// Étapes réussies et total à la dernière correction complète.
    pub reussies: usize,
    pub total: usize,
    /// La première étape qui échouait (aucune : le TP était fini).
    pub prochaine: Option<String>,
    /// Toutes les étapes passaient.
    pub complet: bool,
    /// L'empreinte des sources (TP et correcteur) au moment de cette
    /// correction : tant qu'elle ne change pas, un TP fini le reste.
    pub empreinte: u64,
    /// Pour chaque étape, le nombre d'indices déjà montrés.
    pub indices: BTreeMap<String, usize>,
}

impl EtatTp {
    /// Compte une correction faite à l'instant `maintenant`.
    pub fn compter_correction(&mut self, maintenant: u64) {
        if let Some(derniere) = self.derniere {
            let ecart = maintenant.saturating_sub(derniere);
            if ecart <= PAUSE {
                self.actif += ecart;
            }
        }
        self.premiere.get_or_insert(maintenant);
        self.derniere = Some(maintenant);
    }

    /// Le temps passé, lisible (« 25 min », « 1 h 05 »), s'il est connu.
    pub fn temps_passe(&self) -> Option<String> {
        self.premiere?;
        let minutes = self.actif / 60;
        Some(if minutes == 0 {
            "< 1 min".to_string()
        } else if minutes < 60 {
            format!("{minutes} min")
        } else {
            format!("{} h {:02}", minutes / 60, minutes % 60)
        })
    }
}

/// L'état de tous les TP, lié à son fichier.
#[derive(Debug)]
pub struct Etat {
    chemin: PathBuf,
    pub tps: BTreeMap<String, EtatTp>,
}

impl Etat {
    /// Le fichier d'état pour le dossier de compilation `cible`.
    pub fn chemin_dans(cible: &Path) -> PathBuf {
        cible.join("suivi").join("etat.json")
    }

    /// Lit l'état (vide si le fichier n'existe pas ; mis de côté s'il est
    /// illisible).
    pub fn lire(chemin: PathBuf) -> Etat {
        let tps = match fs::read_to_string(&chemin) {
            Ok(texte) => match serde_json::from_str::<Value>(&texte) {
                Ok(Value::Object(objet)) => objet
                    .iter()
                    .map(|(nom, valeur)| (nom.clone(), tp_de_json(valeur)))
                    .collect(),
                _ => {
                    let _ = fs::rename(&chemin, chemin.with_extension("json.illisible"));
                    BTreeMap::new()
                }
            },
            Err(_) => BTreeMap::new(),
        };
        Etat { chemin, tps }
    }

    /// L'état d'un TP (créé vide au besoin).
    pub fn tp(&mut self, nom: &str) -> &mut EtatTp {
        self.tps.entry(nom.to_string()).or_default()
    }

    /// Écrit l'état (dans un fichier voisin renommé ensuite : une coupure
    /// ne laisse jamais un fichier à moitié écrit).
    pub fn ecrire(&self) -> anyhow::Result<()> {
        let dossier = self.chemin.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dossier)
            .with_context(|| format!("impossible de créer {}", dossier.display()))?;
        let objet: Map<String, Value> = self
            .tps
            .iter()
            .map(|(nom, tp)| (nom.clone(), tp_en_json(tp)))
            .collect();
        let texte = serde_json::to_string_pretty(&Value::Object(objet))?;
        let provisoire = self.chemin.with_extension("json.tmp");
        fs::write(&provisoire, texte)
            .with_context(|| format!("impossible d'écrire {}", provisoire.display()))?;
        fs::rename(&provisoire, &self.chemin)
            .with_context(|| format!("impossible d'écrire {}", self.chemin.display()))
    }
}

/// L'heure, en secondes depuis 1970.
pub fn maintenant() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn tp_en_json(tp: &EtatTp) -> Value {
    json!({
        "premiere": tp.premiere,
        "derniere": tp.derniere,
        "actif": tp.actif,
        "reussies": tp.reussies,
        "total": tp.total,
        "prochaine": tp.prochaine,
        "complet": tp.complet,
        "empreinte": tp.empreinte,
        "indices": tp.indices,
    })
}

fn tp_de_json(valeur: &Value) -> EtatTp {
    let entier = |cle: &str| valeur[cle].as_u64();
    EtatTp {
        premiere: entier("premiere"),
        derniere: entier("derniere"),
        actif: entier("actif").unwrap_or(0),
        reussies: entier("reussies").unwrap_or(0) as usize,
        total: entier("total").unwrap_or(0) as usize,
        prochaine: valeur["prochaine"].as_str().map(str::to_string),
        complet: valeur["complet"].as_bool().unwrap_or(false),
        empreinte: entier("empreinte").unwrap_or(0),
        indices: valeur["indices"]
            .as_object()
            .map(|o| {
                o.iter()
                    .filter_map(|(etape, n)| Some((etape.clone(), n.as_u64()? as usize)))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_temps_passe_ne_compte_pas_les_pauses() {
        let mut tp = EtatTp::default();
        assert_eq!(tp.temps_passe(), None);
        tp.compter_correction(1000);
        assert_eq!(tp.temps_passe().as_deref(), Some("< 1 min"));
        tp.compter_correction(1000 + 5 * 60);
        tp.compter_correction(1000 + 5 * 60 + 3 * 3600);
        tp.compter_correction(1000 + 5 * 60 + 3 * 3600 + 60);
        assert_eq!(tp.actif, 6 * 60);
        assert_eq!(tp.temps_passe().as_deref(), Some("6 min"));
        tp.actif = 65 * 60;
        assert_eq!(tp.temps_passe().as_deref(), Some("1 h 05"));
    }

    #[test]
    fn l_etat_survit_a_l_ecriture_et_un_fichier_illisible_est_mis_de_cote() {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = Etat::chemin_dans(dossier.path());
        let mut etat = Etat::lire(chemin.clone());
        let tp = etat.tp("tp09");
        tp.compter_correction(42);
        tp.reussies = 3;
        tp.total = 11;
        tp.prochaine = Some("serveur_3_lignes_d_un_bloc".into());
        tp.indices.insert("serveur_3_lignes_d_un_bloc".into(), 2);
        etat.ecrire().unwrap();
        let relu = Etat::lire(chemin.clone());
        assert_eq!(relu.tps, etat.tps);

        fs::write(&chemin, "{pas du json").unwrap();
        assert!(Etat::lire(chemin.clone()).tps.is_empty());
        assert!(chemin.with_extension("json.illisible").is_file());
    }
}
