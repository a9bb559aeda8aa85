//! La typographie française du livre : faite par l'outil (préprocesseur
//! `typographie`), jamais dans le code ni dans les adresses, et vérifiée sur
//! le HTML produit (la même vérification tourne dans `cargo livre tester`).

use std::fs;
use std::path::Path;

use outils::{construire, typographier_markdown, typographier_texte, verifier_typographie};

const INSECABLE: &str = "\u{a0}";
const FINE: &str = "\u{202f}";

#[test]
fn les_espaces_de_la_ponctuation_deviennent_insecables() {
    assert_eq!(
        typographier_texte("Pourquoi ? Parce que : voilà ; enfin !"),
        format!("Pourquoi{FINE}? Parce que{INSECABLE}: voilà{FINE}; enfin{FINE}!")
    );
    assert_eq!(
        typographier_texte("le mot « fin » ici"),
        format!("le mot «{INSECABLE}fin{INSECABLE}» ici")
    );
}

#[test]
fn les_nombres_ne_se_coupent_plus() {
    assert_eq!(
        typographier_texte("14 450 requêtes, 1 000 000 octets, 50 % du temps"),
        format!("14{FINE}450 requêtes, 1{FINE}000{FINE}000 octets, 50{FINE}% du temps")
    );
    // Pas des groupes de milliers : inchangés.
    for texte in [
        "entre 2 et 3",
        "les ports 80 et 443",
        "1234 567",
        "TP 09",
        "12 34",
    ] {
        assert_eq!(typographier_texte(texte), texte);
    }
}

#[test]
fn rien_n_est_insere_la_ou_il_n_y_a_pas_d_espace() {
    for texte in ["http://127.0.0.1:3000/", "std::io::Read", "a;b", "«mot»"] {
        assert_eq!(typographier_texte(texte), texte);
    }
}

#[test]
fn le_code_et_les_adresses_ne_sont_jamais_touches() {
    let source = "\
Texte : `a : b ; c ?` puis <kbd>Ctrl</kbd> : fin.

```text
Débit     : 90 211 requêtes/s ?
```

    indenté : 14 450

Voir <http://127.0.0.1:3000/a?b> et [le lien : ici](page.md#titre 'titre : là').
";
    let sortie = typographier_markdown(source);
    assert!(
        sortie.starts_with(&format!(
            "Texte{INSECABLE}: `a : b ; c ?` puis <kbd>Ctrl</kbd>{INSECABLE}: fin."
        )),
        "{sortie}"
    );
    assert!(
        sortie.contains("Débit     : 90 211 requêtes/s ?"),
        "{sortie}"
    );
    assert!(sortie.contains("    indenté : 14 450"), "{sortie}");
    assert!(sortie.contains("<http://127.0.0.1:3000/a?b>"), "{sortie}");
    assert!(
        sortie.contains(&format!(
            "[le lien{INSECABLE}: ici](page.md#titre 'titre : là')"
        )),
        "{sortie}"
    );
}

#[test]
fn le_texte_du_html_brut_est_traite_mais_pas_ses_balises_ni_son_code() {
    let source = "<details>\n<summary title=\"a : b\">Pourquoi ?</summary>\n\nParce que !\n\n</details>\n\n<pre>\nx : y\n</pre>\n\n<!-- note : brute -->\n";
    let sortie = typographier_markdown(source);
    assert!(
        sortie.contains(&format!(
            "<summary title=\"a : b\">Pourquoi{FINE}?</summary>"
        )),
        "{sortie:?}"
    );
    assert!(sortie.contains(&format!("Parce que{FINE}!")), "{sortie:?}");
    assert!(sortie.contains("<pre>\nx : y\n</pre>"), "{sortie:?}");
    assert!(sortie.contains("<!-- note : brute -->"), "{sortie:?}");
}

#[test]
fn un_retour_a_la_ligne_avant_la_ponctuation_est_aussi_une_espace() {
    // (Une ligne qui commence par « : » serait une liste de définitions.)
    let sortie = typographier_markdown("Une phrase coupée\n? la suite\n« et\nfin\n»\n");
    assert_eq!(
        sortie,
        format!("Une phrase coupée{FINE}? la suite\n«{INSECABLE}et\nfin{INSECABLE}»\n")
    );
}

#[test]
fn la_verification_du_html_voit_chaque_faute() {
    let dossier = tempfile::tempdir().unwrap();
    fs::write(
        dossier.path().join("page.html"),
        "<p>Bonjour : le « mot » et 14 450 clients ?</p>\
         <a href=\"http://x.invalid/?a b\" title=\"a : b\">lien</a>\
         <pre><code>a : b ; 14 450</code></pre>\
         <code>x\u{a0}: y</code>",
    )
    .unwrap();
    let fautes = verifier_typographie(dossier.path()).unwrap();
    let quoi: Vec<&str> = fautes.iter().map(|f| f.quoi).collect();
    assert_eq!(
        quoi,
        [
            "espace sécable avant",
            "espace sécable après « ",
            "espace sécable avant",
            "nombre coupable en fin de ligne",
            "espace sécable avant",
            "espace insécable dans du code",
        ],
        "{fautes:#?}"
    );
}

/// Le vrai livre, construit par l'outil : aucune faute dans aucune page
/// (impression et 404 comprises), et les nombres des tableaux tiennent.
#[test]
fn le_livre_construit_respecte_la_typographie_francaise() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dossier = tempfile::tempdir().unwrap();
    let sortie = construire(racine, Some(&dossier.path().join("html")))
        .unwrap_or_else(|e| panic!("le livre ne se construit pas : {e:#}"));
    let fautes = verifier_typographie(&sortie).unwrap();
    let liste: Vec<String> = fautes.iter().take(30).map(ToString::to_string).collect();
    assert!(fautes.is_empty(), "{}", liste.join("\n"));
    let performances = fs::read_to_string(sortie.join("performances.html")).unwrap();
    assert!(
        performances.matches(FINE).count() > 20,
        "les nombres du chapitre des performances n'ont pas d'espace fine"
    );
    let impression = fs::read_to_string(sortie.join("print.html")).unwrap();
    assert!(impression.contains(&format!("{INSECABLE}:")));
}
