//! Les indices gradués de chaque étape, rangés à côté du correcteur : pour
//! chaque étape de [`crate::etapes`], jusqu'à trois indices, du plus vague
//! (« relisez telle règle ») au plus précis (l'appel exact à utiliser) —
//! jamais le code de la solution.
//!
//! Le mode suivi (`cargo suivre`) les montre un à un, à la demande ; le
//! diagnostic d'une étape ratée garde ses propres indices, tirés de ce qu'il
//! a observé.

mod tp08;
mod tp09;
mod tp10;
mod tp11;
mod tp12;
mod tp13;
mod tp14;
mod tp15;

/// Les indices d'un TP : pour chaque étape (nom du test), ses indices dans
/// l'ordre où les montrer.
pub type Indices = &'static [(&'static str, &'static [&'static str])];

/// Les indices des étapes d'un TP nommé (« tp09 »), s'il en a.
pub fn du_tp(tp: &str) -> Option<Indices> {
    match tp {
        "tp08" => Some(tp08::INDICES),
        "tp09" => Some(tp09::INDICES),
        "tp10" => Some(tp10::INDICES),
        "tp11" => Some(tp11::INDICES),
        "tp12" => Some(tp12::INDICES),
        "tp13" => Some(tp13::INDICES),
        "tp14" => Some(tp14::INDICES),
        "tp15" => Some(tp15::INDICES),
        _ => None,
    }
}

/// Les indices d'une étape (aucun si le TP ou l'étape est inconnu).
pub fn indices(tp: &str, etape: &str) -> &'static [&'static str] {
    du_tp(tp)
        .and_then(|liste| liste.iter().find(|(nom, _)| *nom == etape))
        .map_or(&[], |(_, indices)| indices)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Les TP qui ont une liste d'étapes.
    fn tps() -> Vec<(String, &'static [(&'static str, crate::Verification)])> {
        (0..100)
            .map(|n| format!("tp{n:02}"))
            .filter_map(|tp| crate::etapes::du_tp(&tp).map(|etapes| (tp, etapes)))
            .collect()
    }

    #[test]
    fn chaque_etape_a_entre_un_et_trois_indices() {
        let tps = tps();
        assert!(tps.len() >= 7);
        for (tp, etapes) in tps {
            for (etape, _) in etapes {
                let n = indices(&tp, etape).len();
                assert!(
                    (1..=3).contains(&n),
                    "{tp} · {etape} : {n} indices (il en faut de 1 à 3)"
                );
            }
        }
    }

    #[test]
    fn aucun_indice_ne_nomme_une_etape_qui_n_existe_pas() {
        for (tp, etapes) in tps() {
            let liste = du_tp(&tp).unwrap_or_else(|| panic!("{tp} n'a pas d'indices"));
            for (i, (etape, _)) in liste.iter().enumerate() {
                assert!(
                    etapes.iter().any(|(nom, _)| nom == etape),
                    "{tp} : des indices pour « {etape} », qui n'est pas une étape"
                );
                assert!(
                    liste[..i].iter().all(|(nom, _)| nom != etape),
                    "{tp} : « {etape} » a deux listes d'indices"
                );
            }
        }
        for tp in [
            "tp08", "tp09", "tp10", "tp11", "tp12", "tp13", "tp14", "tp15",
        ] {
            assert!(
                crate::etapes::du_tp(tp).is_some(),
                "{tp} a des indices mais pas d'étapes"
            );
        }
    }

    #[test]
    fn les_indices_sont_des_phrases_sans_code_de_solution() {
        for (tp, _) in tps() {
            for (etape, liste) in du_tp(&tp).unwrap_or_default() {
                for indice in *liste {
                    assert!(
                        indice.len() >= 20 && !indice.contains("fn ") && !indice.contains('{'),
                        "{tp} · {etape} : indice trop court ou qui contient du code : {indice}"
                    );
                }
            }
        }
    }
}
