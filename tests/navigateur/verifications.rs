//! Les vérifications, sur ce que Chromium a rendu. Chacune rend la liste de
//! ses constats en français (vide : tout va bien), pour que le même code
//! serve au vrai livre (aucun constat attendu) et au livre abîmé (chaque
//! dégât doit être constaté).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

/// Un chapitre du sommaire (`src/SUMMARY.md`) : son titre et sa page.
pub struct Chapitre {
    pub titre: String,
    pub page: String,
}

// ---------------------------------------------------------------------------
// Page d'accueil
// ---------------------------------------------------------------------------

/// La page d'accueil rendue (`dom`) a le titre du livre, un titre de
/// chapitre, et un sommaire (rempli par le script de mdBook) qui mène à
/// chaque chapitre.
pub fn accueil(dom: &str, titre_du_livre: &str, chapitres: &[Chapitre]) -> Vec<String> {
    let mut constats = Vec::new();
    let titre = entre(dom, "<title>", "</title>").map(texte);
    match &titre {
        Some(titre) if titre.contains(titre_du_livre) => {}
        _ => constats.push(format!(
            "accueil : le titre de la page est {titre:?}, il devrait contenir « {titre_du_livre} »"
        )),
    }
    let principal = entre(dom, "<main>", "</main>").unwrap_or("");
    if !principal.contains("<h1") {
        constats.push(
            "accueil : la page rendue n'a pas de titre de chapitre (<h1> dans <main>)".into(),
        );
    }
    let sommaire = entre(
        dom,
        "<mdbook-sidebar-scrollbox",
        "</mdbook-sidebar-scrollbox>",
    )
    .unwrap_or("");
    let cibles: HashSet<String> = attributs(sommaire, "href").into_iter().collect();
    if cibles.is_empty() {
        constats.push(
            "accueil : le sommaire rendu est vide (le script toc-*.js de mdBook ne s'est pas exécuté ?)"
                .into(),
        );
    }
    for chapitre in chapitres {
        if !cibles.contains(&chapitre.page) {
            constats.push(format!(
                "accueil : le sommaire affiché ne mène pas au chapitre « {} » ({})",
                chapitre.titre, chapitre.page
            ));
        }
    }
    constats
}

// ---------------------------------------------------------------------------
// Recherche
// ---------------------------------------------------------------------------

/// La page ouverte avec `?search=mot` affiche des résultats, et chacun mène à
/// une page du livre.
pub fn recherche(dom: &str, mot: &str, pages: &HashSet<String>) -> Vec<String> {
    let en_tete = element_par_id(dom, "mdbook-searchresults-header")
        .map(texte)
        .unwrap_or_default();
    let resultats = element_par_id(dom, "mdbook-searchresults").unwrap_or("");
    let nombre = resultats.matches("<li").count();
    if nombre == 0 {
        return vec![format!(
            "recherche : « {mot} » ne donne aucun résultat affiché (en-tête : « {en_tete} ») ; \
             l'index de recherche (searchindex-*.js) se charge-t-il ?"
        )];
    }
    let mut constats = Vec::new();
    if !en_tete.contains(mot) {
        constats.push(format!(
            "recherche : l'en-tête des résultats ne cite pas « {mot} » : « {en_tete} »"
        ));
    }
    // L'interface en français (theme/francais.js traduit le compte que
    // searcher.js écrit en anglais ; theme/index.hbs, la barre).
    let pluriel = if nombre == 1 { "" } else { "s" };
    let compte_attendu = format!("{nombre} résultat{pluriel} pour «\u{a0}{mot}\u{a0}»\u{a0}:");
    if en_tete.trim() != compte_attendu {
        constats.push(format!(
            "recherche : l'en-tête des résultats n'est pas en français : « {en_tete} » \
             (attendu : « {compte_attendu} »)"
        ));
    }
    if !dom.contains("placeholder=\"Rechercher dans le livre…\"") {
        constats.push("recherche : la barre n'invite pas à chercher en français".to_string());
    }
    for cible in attributs(resultats, "href") {
        let page = cible.split(['?', '#']).next().unwrap_or("");
        if !pages.contains(page) {
            constats.push(format!(
                "recherche : le résultat « {cible} » mène à une page absente du livre"
            ));
        }
    }
    constats
}

// ---------------------------------------------------------------------------
// Pages : liens, ancres, schémas, ressources
// ---------------------------------------------------------------------------

/// La page d'erreur que mdBook produit (servie pour une adresse inconnue).
const PAGE_D_ERREUR: &str = "404.html";

/// Ce que la vérification des pages a vu : de quoi s'assurer qu'elle a
/// vraiment vérifié quelque chose.
#[derive(Debug, Default)]
pub struct Compte {
    pub pages: usize,
    pub liens: usize,
    pub liens_du_sommaire: usize,
    pub ancres: usize,
    /// Les schémas SVG affichés par au moins une page (`images/x.svg`).
    pub schemas: BTreeSet<String>,
}

/// Vérifie le bilan du banc d'essai (`bilan`, le JSON écrit par banc.html).
///
/// `attendues` : les pages qu'on lui a demandé d'ouvrir ; `statut` : le code
/// HTTP que sert le serveur pour un chemin (`/images/x.svg`).
pub fn pages(
    bilan: &Value,
    attendues: &[String],
    statut: &dyn Fn(&str) -> u16,
) -> (Vec<String>, Compte) {
    let examinees = bilan["pages"].as_array().cloned().unwrap_or_default();
    let mut examen = Examen {
        origine: chaine(&bilan["origine"]).to_string(),
        cibles_par_page: examinees
            .iter()
            .map(|page| {
                let cibles = chaines(&page["cibles"]).into_iter().collect();
                (chaine(&page["page"]).to_string(), cibles)
            })
            .collect(),
        statut,
        statuts: HashMap::new(),
        constats: BTreeMap::new(),
        compte: Compte::default(),
    };
    for attendue in attendues {
        if !examen.cibles_par_page.contains_key(attendue) {
            examen.constater(
                "la page n'a pas été examinée par le banc d'essai".into(),
                attendue,
            );
        }
    }
    for page in &examinees {
        let nom = chaine(&page["page"]);
        examen.compte.pages += 1;
        let code = page["statut"].as_u64().unwrap_or(0);
        if code != 200 {
            examen.constater(format!("la page est servie avec le code {code}"), nom);
        }
        examen.liens(nom, &page["liens"]);
        examen.images(nom, &page["images"]);
        examen.ressources(nom, page);
    }
    (examen.liste(), examen.compte)
}

/// L'état d'une vérification des pages.
struct Examen<'a> {
    origine: String,
    /// Les `id` (et `name`) de chaque page examinée.
    cibles_par_page: HashMap<String, HashSet<String>>,
    statut: &'a dyn Fn(&str) -> u16,
    /// Le code HTTP de chaque chemin déjà demandé au serveur.
    statuts: HashMap<String, u16>,
    /// Un même défaut (un lien cassé du sommaire…) se voit sur bien des
    /// pages : on le dit une fois, avec la liste des pages.
    constats: BTreeMap<String, BTreeSet<String>>,
    compte: Compte,
}

impl Examen<'_> {
    fn constater(&mut self, probleme: String, page: &str) {
        self.constats
            .entry(probleme)
            .or_default()
            .insert(page.to_string());
    }

    /// Chaque lien interne mène à une cible servie (200), et son ancre
    /// existe dans la page visée.
    fn liens(&mut self, page: &str, liens: &Value) {
        for lien in liens.as_array().into_iter().flatten() {
            if lien["interne"] != Value::Bool(true) {
                continue;
            }
            self.compte.liens += 1;
            let du_sommaire = lien["sommaire"] == Value::Bool(true);
            self.compte.liens_du_sommaire += usize::from(du_sommaire);
            let ou = if du_sommaire { " (sommaire)" } else { "" };
            let brut = chaine(&lien["brut"]);
            let requete = chaine(&lien["requete"]);
            let statut = self.statut;
            let code = *self
                .statuts
                .entry(requete.to_string())
                .or_insert_with(|| statut(requete));
            if code != 200 {
                let probleme =
                    format!("lien interne cassé{ou} « {brut} » : la cible répond {code}");
                self.constater(probleme, page);
                continue;
            }
            let fragment = chaine(&lien["fragment"]);
            // La page d'erreur de mdBook porte `<base href="/">` (elle est
            // servie à n'importe quelle adresse) : les ancres de ses propres
            // titres (`#document-not-found-404`) mènent donc à l'accueil. Un
            // défaut de mdBook, pas du livre : on ne le signale pas.
            let ancre_de_la_page_d_erreur = page == PAGE_D_ERREUR && brut.starts_with('#');
            if fragment.is_empty() || ancre_de_la_page_d_erreur {
                continue;
            }
            self.compte.ancres += 1;
            let cible = chaine(&lien["chemin"]);
            let probleme = match self.cibles_par_page.get(cible) {
                Some(ids) if ids.contains(fragment) => continue,
                Some(_) => {
                    format!("ancre absente{ou} « {brut} » : aucun id « {fragment} » dans {cible}")
                }
                // Une cible servie mais pas examinée (un fichier qui n'est
                // pas une page) : son ancre ne peut pas être vérifiée.
                None => format!(
                    "ancre invérifiable{ou} « {brut} » : {cible} n'est pas une page du livre"
                ),
            };
            self.constater(probleme, page);
        }
    }

    /// Chaque image s'affiche (chargée, largeur non nulle).
    fn images(&mut self, page: &str, images: &Value) {
        let mut vues = HashSet::new();
        for image in images.as_array().into_iter().flatten() {
            // mdBook répète chaque image (l'autre sert au zoom) : une fois suffit.
            let url = chaine(&image["url"]);
            if !vues.insert(url) {
                continue;
            }
            if image["chargee"] != Value::Bool(true) {
                let src = chaine(&image["src"]);
                let probleme = format!(
                    "l'image « {src} » ne s'affiche pas (chargement en échec ou largeur nulle)"
                );
                self.constater(probleme, page);
            } else if let Some(chemin) = url.strip_prefix(&format!("{}/", self.origine))
                && chemin.ends_with(".svg")
            {
                self.compte.schemas.insert(chemin.to_string());
            }
        }
    }

    /// Chaque ressource chargée l'est sans erreur, et depuis le serveur du
    /// test seulement.
    fn ressources(&mut self, page: &str, examinee: &Value) {
        let chargees = examinee["ressources"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for ressource in &chargees {
            let code = ressource["statut"].as_u64().unwrap_or(0);
            if code >= 400 {
                let url = chaine(&ressource["url"]);
                let chemin = url.strip_prefix(&self.origine).unwrap_or(url);
                let probleme = format!("ressource « {chemin} » servie avec le code {code}");
                self.constater(probleme, page);
            }
        }
        let demandes = chaines(&examinee["demandes"]);
        let urls = demandes
            .iter()
            .map(String::as_str)
            .chain(chargees.iter().map(|r| chaine(&r["url"])));
        let externes: BTreeSet<&str> = urls.filter(|url| externe(url, &self.origine)).collect();
        for url in externes {
            let probleme = format!(
                "ressource externe « {url} » : le livre doit se suffire de la boucle locale"
            );
            self.constater(probleme, page);
        }
    }

    /// Les constats, un par défaut, avec les pages où on l'a vu.
    fn liste(&self) -> Vec<String> {
        self.constats
            .iter()
            .map(|(probleme, pages)| {
                let montrees: Vec<&str> = pages.iter().take(4).map(String::as_str).collect();
                let reste = pages.len().saturating_sub(4);
                let suite = if reste > 0 {
                    format!(" et {reste} autre(s)")
                } else {
                    String::new()
                };
                format!("{probleme} — {}{suite}", montrees.join(", "))
            })
            .collect()
    }
}

/// Vrai pour une adresse chargée hors du serveur du test (`data:`, `about:`
/// et `blob:` ne sortent pas de la page).
fn externe(url: &str, origine: &str) -> bool {
    !(url.is_empty()
        || url.starts_with(&format!("{origine}/"))
        || url.starts_with("data:")
        || url.starts_with("about:")
        || url.starts_with("blob:"))
}

// ---------------------------------------------------------------------------
// Capture
// ---------------------------------------------------------------------------

/// Une page blanche de 1280×2000 fait une douzaine de Kio en PNG ; une page
/// du livre, plusieurs centaines.
pub const TAILLE_MIN_CAPTURE: usize = 64 * 1024;

/// `octets` est un PNG des dimensions attendues, assez lourd pour montrer
/// autre chose qu'une page vide.
pub fn capture(octets: &[u8], (largeur, hauteur): (u32, u32)) -> Vec<String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if octets.len() < 24 || &octets[..8] != SIGNATURE || &octets[12..16] != b"IHDR" {
        return vec!["capture : ce n'est pas un fichier PNG".into()];
    }
    let mot = |debut: usize| u32::from_be_bytes(octets[debut..debut + 4].try_into().unwrap());
    let mut constats = Vec::new();
    if (mot(16), mot(20)) != (largeur, hauteur) {
        constats.push(format!(
            "capture : {}×{} pixels au lieu de {largeur}×{hauteur}",
            mot(16),
            mot(20)
        ));
    }
    if octets.len() < TAILLE_MIN_CAPTURE {
        constats.push(format!(
            "capture : {} octets seulement (moins de {TAILLE_MIN_CAPTURE}) : la page semble vide",
            octets.len()
        ));
    }
    constats
}

// ---------------------------------------------------------------------------
// Lecture du DOM sérialisé par Chromium
// ---------------------------------------------------------------------------

/// Le bilan JSON écrit par banc.html dans `<pre id="bilan">`.
pub fn bilan_du_banc(dom: &str) -> Result<Value, String> {
    let json = element_par_id(dom, "bilan").unwrap_or("");
    if json.trim().is_empty() {
        return Err(
            "le banc d'essai n'a rendu aucun bilan : une page ne finit pas de se charger, ou son \
             script a échoué"
                .into(),
        );
    }
    serde_json::from_str(json).map_err(|e| format!("bilan du banc d'essai illisible : {e}"))
}

/// Le texte entre `debut` et le `fin` qui suit.
fn entre<'a>(texte: &'a str, debut: &str, fin: &str) -> Option<&'a str> {
    let apres = &texte[texte.find(debut)? + debut.len()..];
    Some(&apres[..apres.find(fin)?])
}

/// Le contenu de l'élément `id="…"` (jusqu'à la première fermeture de sa
/// balise : il ne doit pas contenir d'élément de même nom).
fn element_par_id<'a>(dom: &'a str, id: &str) -> Option<&'a str> {
    let attribut = format!(" id=\"{id}\"");
    let position = dom.find(&attribut)?;
    let balise = dom[..position].rfind('<')?;
    let nom: String = dom[balise + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let contenu = &dom[position + dom[position..].find('>')? + 1..];
    Some(&contenu[..contenu.find(&format!("</{nom}>"))?])
}

/// Les valeurs d'un attribut (`href`) dans un morceau de DOM sérialisé.
fn attributs(html: &str, nom: &str) -> Vec<String> {
    let motif = format!(" {nom}=\"");
    html.match_indices(&motif)
        .filter_map(|(debut, _)| {
            let valeur = &html[debut + motif.len()..];
            Some(texte(&valeur[..valeur.find('"')?]))
        })
        .collect()
}

/// Du texte sérialisé au texte : sans balises, entités de base décodées.
fn texte(html: &str) -> String {
    let mut sans_balises = String::new();
    let mut dans_balise = false;
    for c in html.chars() {
        match c {
            '<' => dans_balise = true,
            '>' => dans_balise = false,
            _ if !dans_balise => sans_balises.push(c),
            _ => {}
        }
    }
    sans_balises
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

fn chaine(valeur: &Value) -> &str {
    valeur.as_str().unwrap_or("")
}

fn chaines(valeur: &Value) -> Vec<String> {
    valeur
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}
