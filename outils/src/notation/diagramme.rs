//! L'échange d'une étape ratée, dessiné : le diagnostic du correcteur se
//! termine par « L'échange observé », une ligne par événement
//! (`+12 ms  correcteur → serveur  A "bonjour\n" (8 octets)`). Pour les
//! rapports de la classe et Gradescope, ces lignes deviennent un diagramme
//! de séquence en HTML : une colonne par acteur, une flèche par message,
//! dans le sens où il est parti.

use std::fmt::Write as _;

/// Un événement de l'échange, relu dans le texte du diagnostic.
#[derive(Debug, PartialEq, Eq)]
enum Evenement {
    /// `de → vers` : un message, une connexion, une fermeture.
    Message {
        temps: String,
        de: String,
        vers: String,
        texte: String,
    },
    /// Un seul acteur : le programme s'est arrêté, un silence…
    Note {
        temps: String,
        acteur: String,
        texte: String,
    },
    /// Des événements omis au milieu d'un long échange.
    Omis(String),
}

/// Le titre de la section de l'échange dans un diagnostic.
const TITRE: &str = "L'échange observé";

/// Les événements de l'échange d'un diagnostic (vide s'il n'en a pas).
fn evenements(diagnostic: &str) -> Vec<Evenement> {
    let mut lignes = diagnostic
        .lines()
        .skip_while(|l| !l.trim_start().starts_with(TITRE));
    if lignes.next().is_none() {
        return Vec::new();
    }
    lignes.map_while(|l| lire_ligne(l.trim())).collect()
}

/// Une ligne de l'échange : `+N ms`, les acteurs, puis le texte, séparés
/// par au moins deux espaces. `None` à la première ligne qui n'en est pas.
fn lire_ligne(ligne: &str) -> Option<Evenement> {
    if ligne.starts_with('…') {
        return Some(Evenement::Omis(ligne.to_string()));
    }
    if !ligne.starts_with('+') {
        return None;
    }
    let (temps, reste) = ligne.split_once(" ms")?;
    let temps = format!("{temps} ms");
    let (acteurs, texte) = reste.trim_start().split_once("  ")?;
    let texte = texte.trim().to_string();
    Some(match acteurs.split_once(" → ") {
        Some((de, vers)) => Evenement::Message {
            temps,
            de: de.trim().to_string(),
            vers: vers.trim().to_string(),
            texte,
        },
        None => Evenement::Note {
            temps,
            acteur: acteurs.trim().to_string(),
            texte,
        },
    })
}

/// Échappe le texte pour HTML.
fn echapper(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len());
    for c in texte.chars() {
        match c {
            '<' => sortie.push_str("&lt;"),
            '>' => sortie.push_str("&gt;"),
            '&' => sortie.push_str("&amp;"),
            '"' => sortie.push_str("&quot;"),
            _ => sortie.push(c),
        }
    }
    sortie
}

/// Le diagramme de séquence de l'échange d'un diagnostic, en HTML (un
/// tableau : temps, correcteur, flèche et message, programme), ou `None`
/// si le diagnostic n'a pas d'échange.
pub fn html(diagnostic: &str) -> Option<String> {
    let evenements = evenements(diagnostic);
    if evenements.is_empty() {
        return None;
    }
    // La colonne de gauche est le correcteur ; celle de droite, le
    // programme (son rôle : serveur, client, pair…).
    let programme = evenements
        .iter()
        .find_map(|e| match e {
            Evenement::Message { de, vers, .. } if de == "correcteur" => Some(vers.clone()),
            Evenement::Message { de, .. } => Some(de.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "programme".to_string());
    let mut table = format!(
        "<table class=\"echange\">\n<thead><tr><th>temps</th><th>correcteur</th>\
         <th></th><th>{}</th></tr></thead>\n<tbody>\n",
        echapper(&programme)
    );
    for evenement in &evenements {
        let _ = match evenement {
            Evenement::Message {
                temps,
                de,
                vers,
                texte,
            } => {
                let fleche = if de == "correcteur" {
                    "──────────▶"
                } else {
                    "◀──────────"
                };
                writeln!(
                    table,
                    "<tr><td>{}</td><td>│</td><td><code>{}</code><br>{fleche}<br><small>{} → {}</small></td><td>│</td></tr>",
                    echapper(temps),
                    echapper(texte),
                    echapper(de),
                    echapper(vers),
                )
            }
            Evenement::Note {
                temps,
                acteur,
                texte,
            } => {
                let (gauche, droite) = if acteur == "correcteur" {
                    (format!("<em>{}</em>", echapper(texte)), "│".to_string())
                } else {
                    ("│".to_string(), format!("<em>{}</em>", echapper(texte)))
                };
                writeln!(
                    table,
                    "<tr><td>{}</td><td>{gauche}</td><td></td><td>{droite}</td></tr>",
                    echapper(temps)
                )
            }
            Evenement::Omis(texte) => writeln!(
                table,
                "<tr><td></td><td colspan=\"3\"><em>{}</em></td></tr>",
                echapper(texte)
            ),
        };
    }
    table.push_str("</tbody>\n</table>\n");
    Some(table)
}

/// Le diagnostic entier pour Gradescope (`output_format: html`) : le texte
/// tel quel, puis le diagramme de l'échange s'il y en a un ; `None` sinon
/// (le texte seul suffit).
pub fn diagnostic_html(diagnostic: &str) -> Option<String> {
    let diagramme = html(diagnostic)?;
    Some(format!(
        "<pre>{}</pre>\n<p><strong>L'échange, en diagramme :</strong></p>\n{diagramme}",
        echapper(diagnostic.trim_end())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIAGNOSTIC: &str = "\
✗ TP09 · serveur · étape 2 — ligne de bienvenue
  Le serveur n'a rien envoyé en 2 s.
  L'échange observé (temps depuis le début de l'étape) :
     +0 ms  correcteur → serveur  A connexion établie (127.0.0.1:41234 → 127.0.0.1:40123)
     +2 ms  serveur → correcteur  A \"<b>Bonjour\\n\" (13 octets)
          … 12 événements omis …
  +2031 ms  serveur               s'est arrêté (code 101)
";

    #[test]
    fn relit_les_lignes_de_l_echange() {
        let e = evenements(DIAGNOSTIC);
        assert_eq!(e.len(), 4, "{e:?}");
        assert_eq!(
            e[0],
            Evenement::Message {
                temps: "+0 ms".into(),
                de: "correcteur".into(),
                vers: "serveur".into(),
                texte: "A connexion établie (127.0.0.1:41234 → 127.0.0.1:40123)".into(),
            }
        );
        assert!(matches!(&e[2], Evenement::Omis(t) if t.contains("12 événements")));
        assert_eq!(
            e[3],
            Evenement::Note {
                temps: "+2031 ms".into(),
                acteur: "serveur".into(),
                texte: "s'est arrêté (code 101)".into(),
            }
        );
    }

    #[test]
    fn dessine_chaque_message_dans_son_sens_et_echappe() {
        let table = html(DIAGNOSTIC).expect("un échange");
        assert!(table.contains("<th>serveur</th>"), "{table}");
        let lignes: Vec<&str> = table
            .lines()
            .filter(|l| l.starts_with("<tr><td>+"))
            .collect();
        assert_eq!(lignes.len(), 3, "{table}");
        assert!(lignes[0].contains("──────────▶"), "{}", lignes[0]);
        assert!(lignes[1].contains("◀──────────"), "{}", lignes[1]);
        assert!(
            lignes[1].contains("&quot;&lt;b&gt;Bonjour"),
            "{}",
            lignes[1]
        );
        assert!(!table.contains("<b>"), "non échappé : {table}");
        assert!(lignes[2].ends_with("<td><em>s'est arrêté (code 101)</em></td></tr>"));
    }

    #[test]
    fn sans_echange_pas_de_diagramme() {
        assert_eq!(html("✗ étape 1\n  Le programme ne compile pas.\n"), None);
        assert_eq!(diagnostic_html("rien"), None);
    }
}
