//! Ce que rapporte une charge : combien de réponses justes, en combien de
//! temps, avec quelles latences ; et trois façons de l'écrire (texte pour
//! un humain, une ligne JSON ou CSV pour un programme).

use std::time::Duration;

use serde_json::json;

use crate::systeme::Descripteurs;

/// Le bilan d'une charge.
#[derive(Clone, Debug, PartialEq)]
pub struct Rapport {
    /// `bar` ou `echo`.
    pub mode: &'static str,
    /// L'adresse visée, telle qu'affichée.
    pub adresse: String,
    pub clients: usize,
    /// Commandes par visite, « fin » comprise.
    pub commandes: usize,
    /// Visites (connexions successives) par client.
    pub visites: usize,
    /// Les clients ont-ils attendu que tous soient servis une fois avant de
    /// continuer (le rendez-vous) ?
    pub rendez_vous: bool,
    /// Réponses reçues et trouvées justes.
    pub reponses: u64,
    /// Clients qui ont échoué (réponse fausse, connexion refusée ou coupée).
    pub erreurs: usize,
    /// Les premiers diagnostics, dans l'ordre où ils sont arrivés.
    pub diagnostics: Vec<String>,
    /// Clients encore en route quand le délai a expiré (0 sans dépassement).
    pub inacheves: usize,
    /// Le délai maximal a-t-il été atteint ?
    pub delai_depasse: bool,
    /// Du premier connect() au départ du dernier client.
    pub duree: Duration,
    /// Temps de processeur consommé par l'outil pendant la charge : proche
    /// de la durée, l'outil occupait tout un cœur ; c'est alors lui, et non
    /// le serveur, qui limite le débit.
    pub processeur: Duration,
    pub latences: Latences,
    /// Le plus grand nombre de clients servis en même temps : un client
    /// compte de sa première réponse à sa fermeture.
    pub pic: usize,
    pub descripteurs: Descripteurs,
}

/// Les latences d'une commande : de son envoi à la fin de sa réponse.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Latences {
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Latences {
    /// Calcule médiane, 99ᵉ centile et maximum ; trie `nanos` sur place.
    pub fn calculer(nanos: &mut [u64]) -> Latences {
        nanos.sort_unstable();
        let rang = |p| Duration::from_nanos(centile(nanos, p));
        Latences {
            p50: rang(50),
            p99: rang(99),
            max: rang(100),
        }
    }
}

/// Le centile `p` (de 1 à 100) d'une liste triée, au rang le plus proche :
/// la plus petite valeur telle qu'au moins p % des valeurs lui sont
/// inférieures ou égales. 0 pour une liste vide.
pub fn centile(tries: &[u64], p: usize) -> u64 {
    if tries.is_empty() {
        return 0;
    }
    // rang = ⌈p × n / 100⌉, compté à partir de 1.
    let rang = (p * tries.len()).div_ceil(100).max(1);
    tries[rang - 1]
}

impl Rapport {
    /// Toutes les réponses attendues sont arrivées, justes, à temps.
    pub fn reussi(&self) -> bool {
        self.erreurs == 0 && !self.delai_depasse && self.reponses == self.prevues()
    }

    /// Le nombre de réponses attendues : clients × visites × commandes.
    pub fn prevues(&self) -> u64 {
        (self.clients * self.visites * self.commandes) as u64
    }

    /// Réponses justes par seconde, sur toute la durée de la charge.
    pub fn debit(&self) -> f64 {
        let secondes = self.duree.as_secs_f64();
        if secondes > 0.0 {
            self.reponses as f64 / secondes
        } else {
            0.0
        }
    }

    /// La part d'un cœur occupée par l'outil : 1,0 pour un cœur entier.
    pub fn occupation(&self) -> f64 {
        let secondes = self.duree.as_secs_f64();
        if secondes > 0.0 {
            self.processeur.as_secs_f64() / secondes
        } else {
            0.0
        }
    }

    /// Le bilan pour un humain, en français.
    pub fn texte(&self) -> String {
        let visites = match self.visites {
            1 => String::new(),
            n => format!("{} visites × ", milliers(n as u64)),
        };
        let mut texte = format!(
            "Charge : {} client(s) × {visites}{} commande(s) (« fin » comprise), protocole {}, \
             vers {}\n",
            milliers(self.clients as u64),
            milliers(self.commandes as u64),
            self.mode,
            self.adresse
        );
        texte += &format!("Système   : {}\n", self.descripteurs.phrase());
        if self.rendez_vous {
            texte += "Ensemble  : chaque client attend que tous aient reçu leur première réponse\n";
        }
        texte += &format!(
            "Réponses  : {} justes sur {} attendues, {} client(s) en erreur\n",
            milliers(self.reponses),
            milliers(self.prevues()),
            self.erreurs
        );
        texte += &format!("Durée     : {} s\n", decimal(self.duree.as_secs_f64(), 2));
        texte += &format!("Débit     : {} requêtes/s\n", milliers(self.debit() as u64));
        texte += &format!(
            "Latence   : médiane {} · 99e centile {} · max {}\n",
            duree_courte(self.latences.p50),
            duree_courte(self.latences.p99),
            duree_courte(self.latences.max)
        );
        texte += &format!(
            "Pic       : {} client(s) servis en même temps\n",
            milliers(self.pic as u64)
        );
        texte += &format!(
            "Outil     : {} % d'un cœur{}\n",
            (self.occupation() * 100.0).round(),
            // Un cœur presque plein : c'est l'outil qui ne suit plus.
            if self.occupation() >= 0.9 {
                " : l'outil lui-même limite le débit"
            } else {
                ""
            }
        );
        texte
    }

    /// Le bilan en une ligne JSON, pour un programme.
    pub fn json(&self) -> String {
        json!({
            "mode": self.mode,
            "adresse": self.adresse,
            "clients": self.clients,
            "visites_par_client": self.visites,
            "commandes_par_visite": self.commandes,
            "rendez_vous": self.rendez_vous,
            "requetes_prevues": self.prevues(),
            "reponses_justes": self.reponses,
            "clients_en_erreur": self.erreurs,
            "delai_depasse": self.delai_depasse,
            "clients_inacheves": self.inacheves,
            "duree_s": self.duree.as_secs_f64(),
            "requetes_par_s": self.debit(),
            "latence_p50_us": micro(self.latences.p50),
            "latence_p99_us": micro(self.latences.p99),
            "latence_max_us": micro(self.latences.max),
            "pic_clients_servis": self.pic,
            "processeur_outil": self.occupation(),
            "descripteurs_avant": self.descripteurs.avant,
            "descripteurs_apres": self.descripteurs.apres,
            "reussi": self.reussi(),
            "diagnostics": self.diagnostics,
        })
        .to_string()
    }

    /// L'en-tête des lignes CSV.
    pub const EN_TETE_CSV: &str = "mode,adresse,clients,visites_par_client,commandes_par_visite,\
        rendez_vous,\
        requetes_prevues,reponses_justes,clients_en_erreur,delai_depasse,duree_s,\
        requetes_par_s,latence_p50_us,latence_p99_us,latence_max_us,pic_clients_servis,\
        processeur_outil,reussi";

    /// Le bilan en une ligne CSV (sans les diagnostics).
    pub fn csv(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{:.3},{:.0},{:.1},{:.1},{:.1},{},{:.2},{}",
            self.mode,
            self.adresse,
            self.clients,
            self.visites,
            self.commandes,
            self.rendez_vous,
            self.prevues(),
            self.reponses,
            self.erreurs,
            self.delai_depasse,
            self.duree.as_secs_f64(),
            self.debit(),
            micro(self.latences.p50),
            micro(self.latences.p99),
            micro(self.latences.max),
            self.pic,
            self.occupation(),
            self.reussi()
        )
    }
}

/// Une durée en microsecondes, en flottant.
pub fn micro(duree: Duration) -> f64 {
    duree.as_secs_f64() * 1e6
}

/// 1234567 → « 1 234 567 » (espace entre les milliers, à la française).
pub fn milliers(nombre: u64) -> String {
    let chiffres = nombre.to_string();
    let mut texte = String::new();
    for (i, chiffre) in chiffres.chars().enumerate() {
        if i > 0 && (chiffres.len() - i).is_multiple_of(3) {
            texte.push(' ');
        }
        texte.push(chiffre);
    }
    texte
}

/// 2.345 avec 2 décimales → « 2,35 » (virgule décimale).
pub fn decimal(valeur: f64, decimales: usize) -> String {
    format!("{valeur:.decimales$}").replace('.', ",")
}

/// Une latence lisible : « 38 µs », « 1,2 ms », « 3,04 s ».
pub fn duree_courte(duree: Duration) -> String {
    let us = micro(duree);
    if us < 1_000.0 {
        format!("{us:.0} µs")
    } else if us < 1_000_000.0 {
        format!(
            "{} ms",
            decimal(us / 1e3, if us < 10_000.0 { 2 } else { 1 })
        )
    } else {
        format!("{} s", decimal(us / 1e6, 2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centiles_au_rang_le_plus_proche() {
        let valeurs: Vec<u64> = (1..=200).collect();
        assert_eq!(centile(&valeurs, 50), 100);
        assert_eq!(centile(&valeurs, 99), 198);
        assert_eq!(centile(&valeurs, 100), 200);
        assert_eq!(centile(&[7], 99), 7);
        assert_eq!(centile(&[], 50), 0);
        // Avec 10 valeurs, le 99e centile est la plus grande.
        assert_eq!(centile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99), 10);
    }

    #[test]
    fn latences_calculees_sur_une_liste_en_desordre() {
        let mut nanos = vec![5_000, 1_000, 3_000, 2_000, 4_000];
        let latences = Latences::calculer(&mut nanos);
        assert_eq!(latences.p50, Duration::from_micros(3));
        assert_eq!(latences.max, Duration::from_micros(5));
    }

    #[test]
    fn nombres_a_la_francaise() {
        assert_eq!(milliers(0), "0");
        assert_eq!(milliers(999), "999");
        assert_eq!(milliers(1000), "1 000");
        assert_eq!(milliers(1234567), "1 234 567");
        assert_eq!(decimal(2.345, 1), "2,3");
        assert_eq!(duree_courte(Duration::from_micros(38)), "38 µs");
        assert_eq!(duree_courte(Duration::from_micros(1_234)), "1,23 ms");
        assert_eq!(duree_courte(Duration::from_millis(3_040)), "3,04 s");
    }
}
