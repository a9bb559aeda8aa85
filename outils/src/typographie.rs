//! La typographie française du livre, faite une fois pour toutes par l'outil
//! (préprocesseur `[preprocessor.typographie]`, après le développement des
//! inclusions) plutôt qu'à la main dans chaque chapitre :
//!
//! - espace fine insécable (U+202F) avant `;`, `!`, `?` et `%` ;
//! - espace insécable (U+00A0) avant `:` et à l'intérieur des guillemets
//!   `« »` ;
//! - espace fine insécable entre les groupes de chiffres (« 14 450 ») : un
//!   nombre ne se coupe plus en fin de ligne ni dans une case de tableau.
//!
//! Seules les espaces déjà écrites sont remplacées (rien n'est inséré), et
//! seulement dans le texte courant : jamais dans le code (blocs, `code`,
//! `<kbd>`), ni dans les adresses (liens automatiques, cibles des liens),
//! ni dans le HTML brut. [`verifier_typographie`] relit le HTML produit.

use std::fmt;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Context;
use mdbook_driver::book::{Book, BookItem};
use mdbook_markdown::pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

/// Nom du préprocesseur : la table `[preprocessor.typographie]`.
pub const NOM_TYPOGRAPHIE: &str = "typographie";

/// Espace insécable.
const INSECABLE: char = '\u{a0}';
/// Espace fine insécable.
const FINE: char = '\u{202f}';

/// Balises HTML dont le contenu est du code, jamais retouché.
const BALISES_DE_CODE: [&str; 6] = ["code", "pre", "kbd", "samp", "script", "style"];

/// Le préprocesseur de typographie.
#[derive(Debug, Clone, Copy, Default)]
pub struct Typographie;

impl Typographie {
    /// Applique la typographie aux titres et au texte de chaque chapitre, et
    /// aux titres des parties (table des matières).
    pub fn traiter(&self, mut livre: Book) -> Book {
        livre.for_each_mut(|element| match element {
            BookItem::Chapter(chapitre) => {
                chapitre.name = typographier_texte(&chapitre.name);
                chapitre.content = typographier_markdown(&chapitre.content);
            }
            BookItem::PartTitle(titre) => *titre = typographier_texte(titre),
            _ => {}
        });
        livre
    }
}

impl Preprocessor for Typographie {
    fn name(&self) -> &str {
        NOM_TYPOGRAPHIE
    }

    fn run(&self, _contexte: &PreprocessorContext, livre: Book) -> anyhow::Result<Book> {
        Ok(self.traiter(livre))
    }
}

/// Applique la typographie au texte courant d'un chapitre Markdown ; le code,
/// les adresses et le HTML brut restent octet pour octet.
pub fn typographier_markdown(source: &str) -> String {
    let mut resultat = String::with_capacity(source.len() + source.len() / 16);
    let mut position = 0;
    for (plage, html) in plages_de_texte(source) {
        resultat.push_str(&source[position..plage.start]);
        let morceau = &source[plage.clone()];
        if html {
            resultat.push_str(&typographier_html(morceau));
        } else {
            resultat.push_str(&typographier_texte(morceau));
        }
        position = plage.end;
    }
    resultat.push_str(&source[position..]);
    resultat
}

/// Les plages du source qui sont du texte courant, contiguës fusionnées (une
/// espace et le `:` qui la suit peuvent tomber dans deux événements), et
/// celles de HTML brut hors code (marquées `true`), dont seul le texte entre
/// les balises sera retouché (`<summary>Pourquoi ?</summary>`).
fn plages_de_texte(source: &str) -> Vec<(Range<usize>, bool)> {
    let mut plages: Vec<(Range<usize>, bool)> = Vec::new();
    let mut dans_un_bloc_de_code = 0usize;
    let mut liens_adresses: Vec<bool> = Vec::new();
    let mut dans_du_html_de_code = 0usize;
    // Un retour à la ligne dans un paragraphe est une espace comme une
    // autre : « mot\n: suite » doit devenir « mot : suite » insécable.
    let mut saut_en_attente: Option<Range<usize>> = None;
    let analyse = new_cmark_parser(source, &MarkdownOptions::default()).into_offset_iter();
    for (evenement, plage) in analyse {
        match evenement {
            Event::Start(Tag::CodeBlock(_)) => dans_un_bloc_de_code += 1,
            Event::End(TagEnd::CodeBlock) => {
                dans_un_bloc_de_code = dans_un_bloc_de_code.saturating_sub(1);
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                liens_adresses.push(matches!(link_type, LinkType::Autolink | LinkType::Email))
            }
            Event::End(TagEnd::Link) => {
                liens_adresses.pop();
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                let avant = dans_du_html_de_code;
                dans_du_html_de_code = suivre_balises_de_code(&html, dans_du_html_de_code);
                if avant == 0 && dans_du_html_de_code == 0 && dans_un_bloc_de_code == 0 {
                    plages.push((plage, true));
                }
            }
            Event::SoftBreak if dans_du_html_de_code == 0 => {
                saut_en_attente = Some(plage);
                continue;
            }
            Event::Text(_)
                if dans_un_bloc_de_code == 0
                    && dans_du_html_de_code == 0
                    && !liens_adresses.iter().any(|&adresse| adresse) =>
            {
                // Le saut de ligne et l'indentation qui le suit comptent
                // comme du texte s'ils mènent droit à ce texte-ci.
                let plage = match saut_en_attente.take() {
                    Some(saut) if source[saut.end..plage.start].trim_matches(' ').is_empty() => {
                        ajouter_plage(&mut plages, saut.start..saut.end);
                        saut.end..plage.end
                    }
                    _ => plage,
                };
                ajouter_plage(&mut plages, plage);
            }
            _ => {}
        }
        saut_en_attente = None;
    }
    plages
}

/// Ajoute une plage de texte, fusionnée avec la précédente si elles se
/// touchent.
fn ajouter_plage(plages: &mut Vec<(Range<usize>, bool)>, plage: Range<usize>) {
    match plages.last_mut() {
        Some((derniere, false)) if derniere.end == plage.start => derniere.end = plage.end,
        _ => plages.push((plage, false)),
    }
}

/// Applique la typographie au texte d'un morceau de HTML brut, entre ses
/// balises : ni les balises, ni leurs attributs, ni les commentaires, ni le
/// contenu des balises de code ne changent.
fn typographier_html(html: &str) -> String {
    let mut resultat = String::with_capacity(html.len() + 8);
    let mut profondeur_code = 0usize;
    let mut reste = html;
    while !reste.is_empty() {
        let debut = reste.find('<').unwrap_or(reste.len());
        let texte = &reste[..debut];
        if profondeur_code == 0 {
            resultat.push_str(&typographier_texte(texte));
        } else {
            resultat.push_str(texte);
        }
        reste = &reste[debut..];
        if reste.is_empty() {
            break;
        }
        let fin = if reste.starts_with("<!--") {
            reste.find("-->").map_or(reste.len(), |f| f + 3)
        } else {
            reste.find('>').map_or(reste.len(), |f| f + 1)
        };
        let balise = &reste[..fin];
        profondeur_code = suivre_balise(&balise.to_ascii_lowercase(), profondeur_code);
        resultat.push_str(balise);
        reste = &reste[fin..];
    }
    resultat
}

/// Met à jour la profondeur de balises de code ouvertes d'après un morceau
/// de HTML brut (`<kbd>`, `</kbd>`…).
fn suivre_balises_de_code(html: &str, mut profondeur: usize) -> usize {
    let minuscules = html.to_ascii_lowercase();
    for balise in BALISES_DE_CODE {
        let ouvertures = minuscules.matches(&format!("<{balise}>")).count()
            + minuscules.matches(&format!("<{balise} ")).count();
        let fermetures = minuscules.matches(&format!("</{balise}>")).count();
        profondeur = (profondeur + ouvertures).saturating_sub(fermetures);
    }
    profondeur
}

/// Applique les règles à un texte sans code : chaque suite d'espaces (et de
/// retours à la ligne) écrites devient l'espace insécable voulue par ce qui
/// l'entoure, ou reste telle quelle.
pub fn typographier_texte(texte: &str) -> String {
    let caracteres: Vec<char> = texte.chars().collect();
    let mut resultat = String::with_capacity(texte.len() + 8);
    let mut i = 0;
    let blanc = |c: char| c == ' ' || c == '\n';
    while i < caracteres.len() {
        if !blanc(caracteres[i]) {
            resultat.push(caracteres[i]);
            i += 1;
            continue;
        }
        let debut = i;
        while i < caracteres.len() && blanc(caracteres[i]) {
            i += 1;
        }
        match espace_voulue(&caracteres, debut, i) {
            Some(espace) => resultat.push(espace),
            None => resultat.extend(&caracteres[debut..i]),
        }
    }
    resultat
}

/// L'espace insécable qui remplace les espaces `debut..fin` de `texte`, s'il
/// en faut une.
fn espace_voulue(texte: &[char], debut: usize, fin: usize) -> Option<char> {
    // Le texte peut s'arrêter là où commence un élément (« **gras** : »,
    // « « `code` » ») : une espace en bord de texte compte aussi.
    let avant = debut.checked_sub(1).map(|i| texte[i]);
    let apres = texte.get(fin).copied();
    match (avant, apres) {
        (_, Some(';' | '!' | '?')) => Some(FINE),
        (_, Some(':' | '»')) | (Some('«'), _) => Some(INSECABLE),
        (Some(a), Some('%')) if a.is_ascii_digit() => Some(FINE),
        (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit() => {
            groupes_de_chiffres(texte, debut, fin).then_some(FINE)
        }
        _ => None,
    }
}

/// Vrai si l'espace sépare deux groupes d'un même nombre : un à trois
/// chiffres avant (pas plus), exactement trois après.
fn groupes_de_chiffres(texte: &[char], debut: usize, fin: usize) -> bool {
    let avant = texte[..debut]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let apres = texte[fin..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=3).contains(&avant) && apres == 3
}

/// Une faute de typographie trouvée dans une page produite.
#[derive(Debug, Clone)]
pub struct FauteTypographique {
    /// La page.
    pub fichier: PathBuf,
    /// Ce qui ne va pas.
    pub quoi: &'static str,
    /// Le passage fautif, avec un peu de contexte.
    pub passage: String,
}

impl fmt::Display for FauteTypographique {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} : {} dans « {} »",
            self.fichier.display(),
            self.quoi,
            self.passage
        )
    }
}

/// Relit chaque page HTML de `dossier` : dans le texte courant, aucune
/// espace sécable avant `; : ! ? »`, après `«`, ni dans un nombre ; dans le
/// code, aucune espace insécable (l'outil n'y touche pas).
pub fn verifier_typographie(dossier: &Path) -> anyhow::Result<Vec<FauteTypographique>> {
    let mut fautes = Vec::new();
    let mut pages: Vec<PathBuf> = fs::read_dir(dossier)
        .with_context(|| format!("impossible de lire le dossier {}", dossier.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    for page in pages {
        let html = fs::read_to_string(&page)
            .with_context(|| format!("impossible de lire {}", page.display()))?;
        for (texte, dans_du_code) in morceaux_de_texte(&html) {
            let mut signaler = |quoi, passage: String| {
                fautes.push(FauteTypographique {
                    fichier: page.clone(),
                    quoi,
                    passage,
                });
            };
            if dans_du_code {
                if texte.contains([INSECABLE, FINE]) {
                    signaler("espace insécable dans du code", texte.to_string());
                }
                continue;
            }
            let caracteres: Vec<char> = texte.chars().collect();
            for (i, fenetre) in caracteres.windows(2).enumerate() {
                let quoi = match (fenetre[0], fenetre[1]) {
                    (' ' | '\n', ';' | ':' | '!' | '?' | '»') if i > 0 => {
                        (!caracteres[i - 1].is_whitespace()).then_some("espace sécable avant")
                    }
                    ('«', ' ' | '\n') => Some("espace sécable après « "),
                    _ => None,
                };
                let dans_un_nombre = matches!(fenetre[0], ' ' | '\n')
                    && i > 0
                    && caracteres[i - 1].is_ascii_digit()
                    && fenetre[1].is_ascii_digit()
                    && groupes_de_chiffres(&caracteres, i, i + 1);
                let quoi = quoi.or(dans_un_nombre.then_some("nombre coupable en fin de ligne"));
                if let Some(quoi) = quoi {
                    let debut = i.saturating_sub(20);
                    let fin = (i + 20).min(caracteres.len());
                    signaler(quoi, caracteres[debut..fin].iter().collect());
                }
            }
        }
    }
    Ok(fautes)
}

/// Découpe une page en morceaux de texte (hors balises et commentaires),
/// chacun marqué s'il est dans du code (`<code>`, `<pre>`, `<script>`…).
/// Les attributs (dont les adresses) ne sont pas du texte.
fn morceaux_de_texte(html: &str) -> Vec<(String, bool)> {
    let mut morceaux = Vec::new();
    let mut profondeur_code = 0usize;
    let mut reste = html;
    while !reste.is_empty() {
        let Some(debut) = reste.find('<') else {
            morceaux.push((decoder(reste), profondeur_code > 0));
            break;
        };
        if debut > 0 {
            morceaux.push((decoder(&reste[..debut]), profondeur_code > 0));
        }
        reste = &reste[debut..];
        if let Some(commentaire) = reste.strip_prefix("<!--") {
            reste = commentaire
                .find("-->")
                .map_or("", |fin| &commentaire[fin + 3..]);
            continue;
        }
        let fin = reste.find('>').map_or(reste.len(), |f| f + 1);
        let balise = reste[..fin].to_ascii_lowercase();
        profondeur_code = suivre_balise(&balise, profondeur_code);
        reste = &reste[fin..];
    }
    morceaux
}

/// Met à jour la profondeur de code d'après une balise complète.
fn suivre_balise(balise: &str, profondeur: usize) -> usize {
    let nom: String = balise
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
        .collect();
    match nom.strip_prefix('/') {
        Some(ferme) if BALISES_DE_CODE.contains(&ferme) => profondeur.saturating_sub(1),
        None if BALISES_DE_CODE.contains(&nom.as_str()) && !balise.ends_with("/>") => {
            profondeur + 1
        }
        _ => profondeur,
    }
}

/// Les entités d'espace et de ponctuation que peut contenir une page.
fn decoder(texte: &str) -> String {
    texte
        .replace("&nbsp;", "\u{a0}")
        .replace("&#160;", "\u{a0}")
        .replace("&#8239;", "\u{202f}")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
