//! La page « Avant de commencer » liste les étapes que les correcteurs ne
//! peuvent vérifier que sous Linux : exactement celles que
//! `correcteur/src/etapes.rs` déclare `= linux "raison"`, ni plus ni moins.
//! Une étape ajoutée ou rendue portable sans que la page suive fait échouer
//! ce test.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const TPS: [&str; 8] = [
    "tp08", "tp09", "tp10", "tp11", "tp12", "tp13", "tp14", "tp15",
];

/// Les lignes « | TP13 | `serveur_5_un_seul_thread` | … » de la page.
fn etapes_listees_dans_la_page() -> BTreeSet<(String, String)> {
    let page =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/avant-de-commencer.md"))
            .expect("src/avant-de-commencer.md");
    page.lines()
        .filter_map(|ligne| {
            let mut cellules = ligne.strip_prefix("| TP")?.split('|');
            let numero = cellules.next()?.trim();
            let etape = cellules
                .next()?
                .trim()
                .strip_prefix('`')?
                .strip_suffix('`')?;
            Some((format!("tp{numero}"), etape.to_string()))
        })
        .collect()
}

#[test]
fn la_page_liste_les_etapes_reservees_a_linux() {
    let declarees: BTreeSet<(String, String)> = TPS
        .iter()
        .flat_map(|tp| {
            correcteur::etapes::reservees_a_linux(tp)
                .iter()
                .map(move |(etape, _)| (tp.to_string(), etape.to_string()))
        })
        .collect();
    assert!(
        !declarees.is_empty(),
        "aucune étape réservée à Linux déclarée ?"
    );
    let listees = etapes_listees_dans_la_page();
    let manquantes: Vec<_> = declarees.difference(&listees).collect();
    let en_trop: Vec<_> = listees.difference(&declarees).collect();
    assert!(
        manquantes.is_empty() && en_trop.is_empty(),
        "src/avant-de-commencer.md, tableau des étapes réservées à Linux :\n\
         manquantes : {manquantes:?}\nen trop (l'étape n'est pas déclarée `= linux`) : {en_trop:?}"
    );
}

#[test]
fn chaque_raison_dit_pourquoi_et_ce_qu_elle_lit() {
    for tp in TPS {
        for (etape, raison) in correcteur::etapes::reservees_a_linux(tp) {
            assert!(
                raison.starts_with("non vérifiable sur cette machine : ")
                    && raison.contains("/proc/"),
                "{tp} {etape} : la raison doit commencer par « non vérifiable sur cette \
                 machine : » et nommer ce qu'elle lit dans /proc : {raison}"
            );
        }
    }
}
