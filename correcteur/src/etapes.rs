//! Les listes d'étapes des TP, chacune écrite une seule fois : elle donne à
//! la fois la macro qui produit les tests (`correcteur::tp09!`) et la
//! constante que lisent les outils et les tests de l'espace de travail
//! ([`crate::etapes::TP09`]).
//!
//! Une étape qui ne peut se faire que sous Linux (elle lit `/proc`) s'écrit
//! `etape = linux "non vérifiable sur cette machine : raison"` : ailleurs, son
//! test est marqué ignoré avec cette raison, que `cargo test` affiche et
//! compte dans son bilan (« N ignored ») — jamais réussi en silence, jamais
//! échoué.

/// Produit un `#[test]` par étape : `tests_du_tp!(tp09, binaire, [etape, …])`.
///
/// Chaque test porte le nom de la fonction d'étape (`serveur_2_bienvenue`),
/// ce qui permet d'en lancer une seule : `cargo test -p tp09 serveur_2`.
#[doc(hidden)]
#[macro_export]
macro_rules! tests_du_tp {
    ($tp:ident, $binaire:expr, [$($etape:ident $(= linux $raison:literal)?),* $(,)?]) => {
        $(
            #[test]
            $(#[cfg_attr(not(target_os = "linux"), ignore = $raison)])?
            fn $etape() {
                $crate::executer($crate::$tp::$etape, $binaire);
            }
        )*
    };
}

/// Déclare un TP : la macro de ses tests (`$tp!(binaire)`) et la liste de
/// ses étapes (`$liste`), à partir de la même énumération. (`$d` est un `$`
/// littéral : la macro produite a besoin de ses propres métavariables.)
macro_rules! declarer_tp {
    ($d:tt $tp:ident, $liste:ident, $titre:literal,
        [$($etape:ident $(= linux $raison:literal)?),* $(,)?]) => {
        #[doc = concat!("Les tests du ", $titre, " : `correcteur::", stringify!($tp),
            "!(env!(\"CARGO_BIN_EXE_", stringify!($tp), "\"));`")]
        #[macro_export]
        macro_rules! $tp {
            ($d binaire:expr) => {
                $d crate::tests_du_tp!($tp, $d binaire, [$($etape $(= linux $raison)?),*]);
            };
        }

        #[doc = concat!("Les étapes du ", $titre, ", dans l'ordre des tests.")]
        pub const $liste: &[(&str, crate::Verification)] =
            &[$((stringify!($etape), crate::$tp::$etape)),*];

        impl Hors {
            #[allow(non_upper_case_globals)]
            const $tp: &[(&str, &str)] = &[$($((stringify!($etape), $raison),)?)*];
        }
    };
}

/// Les étapes réservées à Linux, par TP : (étape, raison).
struct Hors;

/// Les étapes de `tp` réservées à Linux (elles lisent `/proc`), avec la
/// raison que `cargo test` affiche ailleurs : (étape, raison). La page
/// « Avant de commencer » du livre les liste, un test y veille.
pub fn reservees_a_linux(tp: &str) -> &'static [(&'static str, &'static str)] {
    match tp {
        "tp08" => Hors::tp08,
        "tp09" => Hors::tp09,
        "tp10" => Hors::tp10,
        "tp11" => Hors::tp11,
        "tp12" => Hors::tp12,
        "tp13" => Hors::tp13,
        "tp14" => Hors::tp14,
        "tp15" => Hors::tp15,
        _ => &[],
    }
}

/// Pourquoi une étape ne peut pas être vérifiée sur cette machine, si c'est
/// le cas (hors Linux, les étapes qui lisent `/proc`).
pub fn non_verifiable_ici(tp: &str, etape: &str) -> Option<&'static str> {
    if cfg!(target_os = "linux") {
        return None;
    }
    reservees_a_linux(tp)
        .iter()
        .find(|(nom, _)| *nom == etape)
        .map(|(_, raison)| *raison)
}

declarer_tp!($ tp08, TP08, "TP08", [
    serveur_1_fichier_socket,
    serveur_1_fichier_perime,
    serveur_1_refuse_un_fichier_ordinaire,
    serveur_1_refuse_un_lien,
    serveur_2_signaux,
    serveur_3_cinq_clients,
    serveur_3_client_muet,
    serveur_3_descripteurs = linux "non vérifiable sur cette machine : le compte des descripteurs du serveur se lit dans /proc/PID/fd (Linux)",
    client_1_connexion,
    client_1_sans_serveur,
    client_2_echange,
    croise_client_et_serveur,
]);

declarer_tp!($ tp09, TP09, "TP09", [
    serveur_1_ecoute,
    serveur_1_port_zero,
    serveur_1_port_pris,
    serveur_1_redemarrage,
    serveur_2_bienvenue,
    serveur_3_lignes_d_un_bloc,
    serveur_3_lignes_octet_par_octet,
    serveur_3_fin_de_ligne_crlf,
    serveur_3_ligne_de_4096_octets,
    serveur_3_ligne_trop_longue,
    serveur_3_client_parti_tot,
    serveur_3_utf8_invalide,
    serveur_4_fermeture,
    client_1_connexion,
    client_1_ipv6,
    client_1_sans_serveur,
    client_2_bienvenue,
    client_2_serveur_parti_tot,
    client_2_attend_la_bienvenue = linux "non vérifiable sur cette machine : que le client dort dans une lecture se lit dans /proc/PID/task/*/stat (Linux)",
    client_3_envoi,
    client_4_fermeture,
    croise_client_et_serveur,
]);

declarer_tp!($ tp10, TP10, "TP10", [
    serveur_1_attache,
    serveur_2_affichage,
    serveur_2_caracteres_de_controle,
    serveur_3_reponse_gros_boutiste,
    serveur_3_trois_clients,
    serveur_4_datagramme_vide,
    serveur_4_grands_datagrammes,
    serveur_4_utf8_invalide,
    client_1_envoi,
    client_1_ipv6,
    client_2_reponse,
    client_2_chaque_adresse,
    client_3_relance,
    client_3_delai_respecte,
    client_3_sans_serveur,
    client_4_datagramme_etranger,
    croise_client_et_serveur,
]);

declarer_tp!($ tp11, TP11, "TP11", [
    pair_1_nom_du_pair,
    pair_2_attache,
    pair_2_port_pris,
    pair_2_ipv6,
    pair_2_ordre_des_adresses,
    pair_3_envoi,
    pair_3_fin_tapee,
    pair_3_fin_de_saisie,
    pair_4_reception_sans_saisie,
    pair_4_intrus,
    pair_4_caracteres_de_controle,
    pair_4_fin_recue,
    croise_deux_pairs,
]);

declarer_tp!($ tp12, TP12, "TP12", [
    serveur_1_ouverture,
    serveur_1_port_pris,
    serveur_4_un_client,
    serveur_4_redemarrage,
    serveur_4_vingt_clients,
    serveur_4_descripteurs_epuises,
    serveur_4_client_silencieux,
    serveur_4_fin_de_flux_sans_fin,
    serveur_4_commande_en_morceaux,
    serveur_4_reinitialisation,
    serveur_4_utf8_invalide,
    serveur_4_ligne_trop_longue,
    serveur_4_ligne_de_1024_octets,
    serveur_4_descripteurs = linux "non vérifiable sur cette machine : le compte des descripteurs du serveur se lit dans /proc/PID/fd (Linux)",
    serveur_4_inactivite,
    serveur_5_limite_de_clients,
    client_1_connexion,
    client_1_ipv6,
    client_1_sans_serveur,
    client_2_commandes,
    client_3_fin,
    client_3_fin_de_l_entree,
    croise_client_et_serveur,
]);

declarer_tp!($ tp13, TP13, "TP13", [
    serveur_1_ecoute,
    serveur_1_port_pris,
    serveur_1_redemarrage,
    serveur_2_accueil,
    serveur_3_commandes,
    serveur_3_jetons_uniques,
    serveur_3_journal_sans_commandes,
    serveur_4_un_client,
    serveur_4_fin_de_flux_sans_fin,
    serveur_4_commande_en_morceaux,
    serveur_4_reinitialisation,
    serveur_4_utf8_invalide,
    serveur_4_ligne_trop_longue,
    serveur_4_ligne_de_1024_octets,
    serveur_4_descripteurs = linux "non vérifiable sur cette machine : le compte des descripteurs du serveur se lit dans /proc/PID/fd (Linux)",
    serveur_5_un_seul_thread = linux "non vérifiable sur cette machine : les threads du serveur se comptent dans /proc/PID/status (Linux)",
    serveur_5_vingt_clients,
    serveur_5_client_silencieux,
    serveur_5_mille_clients,
    serveur_6_client_qui_ne_lit_pas = linux "non vérifiable sur cette machine : la mémoire du serveur se lit dans /proc/PID/status (Linux)",
    serveur_7_processeur_au_repos = linux "non vérifiable sur cette machine : les réveils du serveur se lisent dans /proc/PID/task/*/schedstat (Linux)",
    serveur_8_limite_de_clients,
    serveur_9_inactivite,
]);

declarer_tp!($ tp14, TP14, "TP14", [
    serveur_1_ecoute,
    serveur_5_options,
    serveur_5_redemarrage,
    serveur_5_trames_invalides,
    serveur_5_longueur_4_gio = linux "non vérifiable sur cette machine : la mémoire maximale du serveur (VmHWM) se lit dans /proc/PID/status (Linux)",
    serveur_5_connexions_max,
    serveur_5_inactivite,
    serveur_6_vote,
    serveur_6_refus,
    serveur_6_concurrence,
    serveur_6_meme_jeton,
    serveur_6_journal_avant_recu,
    serveur_7_redemarrage,
    serveur_7_ecriture_du_journal_impossible,
    serveur_7_journal_dechire,
    serveur_7_journal_abime,
    client_1_connexion,
    client_1_ipv6,
    client_3_options,
    client_3_voter,
    client_3_refus,
    client_3_option_zero,
    client_3_resultats,
    croise_client_et_serveur,
]);

declarer_tp!($ tp15, TP15, "TP15", [
    serveur_1_ecoute,
    serveur_2_accueil,
    serveur_3_commandes,
    serveur_3_un_client,
    serveur_3_fin_de_flux_sans_fin,
    serveur_3_commande_en_morceaux,
    serveur_3_reinitialisation,
    serveur_3_utf8_invalide,
    serveur_3_ligne_trop_longue,
    serveur_3_descripteurs = linux "non vérifiable sur cette machine : le compte des descripteurs du serveur se lit dans /proc/PID/fd (Linux)",
    serveur_3_vingt_clients,
    serveur_3_client_silencieux,
    serveur_3_cent_clients_silencieux,
    serveur_3_mille_clients,
    serveur_3_client_qui_ne_lit_pas = linux "non vérifiable sur cette machine : la mémoire du serveur se lit dans /proc/PID/status (Linux)",
    serveur_3_reponses_dans_l_ordre,
    serveur_3_processeur_au_repos = linux "non vérifiable sur cette machine : les réveils du serveur se lisent dans /proc/PID/task/*/schedstat (Linux)",
    serveur_4_limite_de_clients,
    serveur_5_arret_propre,
]);

/// Les étapes d'un TP nommé (« tp09 »), s'il existe.
pub fn du_tp(tp: &str) -> Option<&'static [(&'static str, crate::Verification)]> {
    match tp {
        "tp08" => Some(TP08),
        "tp09" => Some(TP09),
        "tp10" => Some(TP10),
        "tp11" => Some(TP11),
        "tp12" => Some(TP12),
        "tp13" => Some(TP13),
        "tp14" => Some(TP14),
        "tp15" => Some(TP15),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    /// Sous Linux, toutes les étapes sont vérifiables.
    #[test]
    #[cfg(target_os = "linux")]
    fn tout_est_verifiable_sous_linux() {
        for (tp, liste) in [
            ("tp08", super::TP08),
            ("tp13", super::TP13),
            ("tp14", super::TP14),
        ] {
            for (etape, _) in liste {
                assert_eq!(super::non_verifiable_ici(tp, etape), None, "{tp} {etape}");
            }
        }
    }
}
