// L'interface du livre en français : les textes que les scripts de mdBook
// écrivent pendant la lecture (nombre de résultats de la recherche, boutons
// « copier », bulle « copié »). Le gabarit (theme/index.hbs) traduit déjà
// ceux des pages. On observe la page et on traduit chaque texte anglais
// connu dès qu'il paraît ; un texte traduit n'est plus reconnu, donc rien ne
// boucle.
(function () {
    'use strict';

    // Espaces insécables de la typographie française.
    const FINE = '\u202f';
    const INSECABLE = '\u00a0';

    // Titres et étiquettes (attributs title et aria-label) des boutons.
    const ATTRIBUTS = {
        'Copy to clipboard': 'Copier dans le presse-papiers',
        'Undo changes': 'Annuler les modifications',
        'Run this code': 'Exécuter ce code',
    };

    // Le compte des résultats de la recherche (searcher.js de mdBook).
    function traduireCompte(texte) {
        let m = /^No search results for '(.*)'\.$/s.exec(texte);
        if (m) {
            return 'Aucun résultat pour «' + INSECABLE + m[1] + INSECABLE + '».';
        }
        m = /^(\d+) search results for '(.*)':$/s.exec(texte);
        if (m) {
            const mot = m[1] === '1' ? ' résultat' : ' résultats';
            return m[1] + mot + ' pour «' + INSECABLE + m[2] + INSECABLE + '»' + INSECABLE + ':';
        }
        return null;
    }

    function traduireElement(element) {
        for (const nom of ['title', 'aria-label']) {
            const valeur = element.getAttribute && element.getAttribute(nom);
            if (valeur && Object.prototype.hasOwnProperty.call(ATTRIBUTS, valeur)) {
                element.setAttribute(nom, ATTRIBUTS[valeur]);
            }
        }
    }

    function traduireTout(racine) {
        traduireElement(racine);
        if (racine.querySelectorAll) {
            for (const element of racine.querySelectorAll('[title], [aria-label]')) {
                traduireElement(element);
            }
        }
        const entete = document.getElementById('mdbook-searchresults-header');
        if (entete) {
            const traduit = traduireCompte(entete.textContent);
            if (traduit !== null) {
                entete.textContent = traduit;
            }
        }
        for (const bulle of document.querySelectorAll('.clip-button.tooltipped > *')) {
            if (bulle.textContent === 'Copied!') {
                bulle.textContent = 'Copié' + FINE + '!';
            }
        }
    }

    function demarrer() {
        // La page d'impression (et le PDF tiré d'elle) montre les réponses
        // des questions, repliées ailleurs.
        if (/print\.html$/.test(window.location.pathname)) {
            for (const reponse of document.querySelectorAll('details')) {
                reponse.open = true;
            }
        }
        traduireTout(document.body);
        new MutationObserver(function (changements) {
            for (const changement of changements) {
                const cible = changement.target.nodeType === Node.ELEMENT_NODE
                    ? changement.target
                    : changement.target.parentElement;
                if (cible) {
                    traduireTout(cible);
                }
            }
        }).observe(document.body, {
            subtree: true,
            childList: true,
            characterData: true,
            attributes: true,
            attributeFilter: ['title', 'aria-label'],
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', demarrer);
    } else {
        demarrer();
    }
})();
