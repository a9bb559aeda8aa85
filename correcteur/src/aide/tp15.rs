//! Les indices du TP15 (le bar asynchrone, tokio).

pub const INDICES: super::Indices = &[
    (
        "serveur_1_ecoute",
        &[
            "Le serveur attache sa socket d'écoute à 127.0.0.1 sur le port donné, puis annonce l'ouverture avec le port réellement attaché.",
            "Avec tokio, une seule fonction crée la socket, l'attache et la met en écoute ; elle se termine par .await.",
            "API : tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await, puis local_addr() pour le port de l'annonce « Le bar est ouvert sur … ».",
        ],
    ),
    (
        "serveur_2_accueil",
        &[
            "Chaque client qui a une place est annoncé (« Client connecté : IP:PORT ») et servi dans une tâche à lui : la tâche d'accueil retourne aussitôt accepter.",
            "Un .await sur la session dans la tâche d'accueil ferait attendre tous les autres clients : lancez-la à part.",
            "API : sessions.spawn avec un bloc async move qui appelle session::servir(…).await puis lâche la place ; donnez-lui signal.clone().",
        ],
    ),
    (
        "serveur_3_commandes",
        &[
            "Chaque commande reçoit sa réponse, dans l'ordre, « vous m'avez demandé : COMMANDE bien reçu 5 / 5 » suivie de \\n.",
            "Séparez la socket en une moitié qui lit (dans un seul lecteur tamponné pour toute la session) et une qui écrit.",
            "API : service.into_split(), BufReader::new(lecture), read_until(b'\\n', …).await, puis ecriture.write_all(…).await en une seule écriture.",
        ],
    ),
    (
        "serveur_3_un_client",
        &[
            "Un client commande deux fois puis dit « fin » : chaque commande a sa réponse, « fin » aussi, puis la session se termine et le départ est noté.",
            "Après avoir répondu à « fin », sortez de la boucle : la socket se ferme quand ses deux moitiés disparaissent.",
            "API : comparez la commande à \"fin\" après l'écriture de la réponse, puis Ok(()) ; servir (fourni) affiche « Client parti ».",
        ],
    ),
    (
        "serveur_3_fin_de_flux_sans_fin",
        &[
            "Un client peut partir sans dire « fin » : la session se termine sans rien ajouter.",
            "Une lecture qui rend 0 octet est la fin du flux, pas une commande vide.",
            "API : read_until(…).await rend Ok(0) : lire_commande rend Ok(None) et dialoguer s'arrête.",
        ],
    ),
    (
        "serveur_3_commande_en_morceaux",
        &[
            "Une commande peut arriver en morceaux, deux commandes peuvent arriver collées : une réponse par commande entière.",
            "Gardez le même lecteur tamponné pour toute la session ; ne décodez l'UTF-8 qu'une fois la ligne entière.",
            "API : un seul BufReader sur la moitié de lecture, read_until(b'\\n', …).await, puis String::from_utf8 sur la ligne complète.",
        ],
    ),
    (
        "serveur_3_reinitialisation",
        &[
            "Un client qui part brutalement (RST) ne doit terminer que sa propre tâche.",
            "Une erreur de lecture remonte jusqu'à servir (fourni), qui l'affiche : pas d'unwrap() dans la session.",
            "API : propagez avec ? dans dialoguer et lire_commande ; l'erreur ConnectionReset termine cette tâche seulement.",
        ],
    ),
    (
        "serveur_3_utf8_invalide",
        &[
            "Une commande qui n'est pas de l'UTF-8 termine la session de ce client, avec une erreur sur la sortie d'erreur.",
            "Refusez la ligne plutôt que de la réparer : la réponse recopie la commande.",
            "API : String::from_utf8(octets).context(\"…\")? dans lire_commande.",
        ],
    ),
    (
        "serveur_3_ligne_trop_longue",
        &[
            "Une commande d'un mégaoctet sans \\n ne doit pas remplir la mémoire : au-delà de 1024 octets, la session s'arrête.",
            "Bornez la lecture d'une ligne avant de la lancer : un lecteur qui lit « jusqu'au \\n » sans limite garde tout.",
            "API : (&mut lecteur).take(LONGUEUR_MAX as u64).read_until(b'\\n', &mut octets).await (AsyncReadExt::take) ; LONGUEUR_MAX octets sans \\n : une erreur.",
        ],
    ),
    (
        "serveur_3_descripteurs",
        &[
            "Après cent sessions, le serveur doit avoir autant de descripteurs ouverts qu'avant.",
            "Une session finie doit lâcher ses deux moitiés de socket ; rien ne doit les garder ailleurs.",
            "API : les moitiés de into_split() appartiennent à la tâche et disparaissent avec elle ; ne les rangez dans aucune structure partagée.",
        ],
    ),
    (
        "serveur_3_vingt_clients",
        &[
            "Vingt clients présents en même temps : chacun est servi sans attendre le départ des autres.",
            "Une tâche par client : la tâche d'accueil ne doit rien attendre d'un client.",
            "API : sessions.spawn(…) pour chaque client, sans .await de la session dans la tâche d'accueil.",
        ],
    ),
    (
        "serveur_3_client_silencieux",
        &[
            "Un client qui entre et se tait ne doit retarder personne.",
            "Un appel bloquant de la bibliothèque standard (std::io, std::thread::sleep) dans une tâche arrête tout un thread du moteur : utilisez les versions asynchrones.",
            "API : tokio::io::AsyncBufReadExt et AsyncWriteExt, tokio::time::sleep ; jamais std::net ni std::io::Read dans une tâche.",
        ],
    ),
    (
        "serveur_3_cent_clients_silencieux",
        &[
            "Cent clients silencieux ensemble : un client de plus doit être servi tout de suite.",
            "Chaque client muet doit coûter une tâche endormie, pas un thread : rien ne doit bloquer un thread du moteur.",
            "API : une tâche par client avec sessions.spawn ; chaque attente est un .await (lecture, écriture, minuterie).",
        ],
    ),
    (
        "serveur_3_mille_clients",
        &[
            "Mille clients connectés ensemble : chacun doit être accepté et servi.",
            "Une erreur d'accept (plus de descripteurs) ne doit pas arrêter le bar : la tâche d'accueil (fournie) fait une pause et recommence.",
            "API : laissez le moteur multi-thread et une tâche par client ; ne gardez pas de ressource (fichier, verrou) par client au-delà de sa socket.",
        ],
    ),
    (
        "serveur_3_client_qui_ne_lit_pas",
        &[
            "Un client envoie des commandes sans lire les réponses : un autre client doit être servi pendant ce temps, la mémoire du serveur ne doit pas enfler, et chaque réponse doit arriver intacte.",
            "Répondez à chaque commande avant de lire la suivante : quand le client ne lit plus, l'écriture attend (.await) et la session cesse de lire, sans entasser de réponses.",
            "API : ecriture.write_all(…).await à chaque commande, dans la même boucle que la lecture ; pas de file de réponses sans limite.",
        ],
    ),
    (
        "serveur_3_reponses_dans_l_ordre",
        &[
            "Les réponses d'un client doivent arriver dans l'ordre de ses commandes.",
            "Une tâche par commande rendrait l'ordre imprévisible : une session traite ses commandes l'une après l'autre.",
            "API : une boucle lire_commande puis repondre dans la tâche du client, sans tokio::spawn par commande.",
        ],
    ),
    (
        "serveur_3_processeur_au_repos",
        &[
            "Quand les clients se taisent, le serveur doit dormir, pas tourner à vide.",
            "Une boucle qui essaie de lire sans attendre (try_read, sleep de zéro) consomme du processeur pour rien.",
            "API : attendez avec .await (read_until, fermeture.changed() dans tokio::select!) ; le réacteur réveille la tâche quand la socket est prête.",
        ],
    ),
    (
        "serveur_4_limite_de_clients",
        &[
            "Avec --max-clients, le client de trop reçoit « bar complet, revenez plus tard » et la connexion se ferme ; quand un client part, une place se libère.",
            "La place (le jeton du sémaphore) doit vivre aussi longtemps que la session, et être rendue à sa fin.",
            "API : dans refuser, service.write_all(COMPLET).await puis la socket se ferme en sortant ; dans lancer_session, déplacez la place dans la tâche et lâchez-la après servir.",
        ],
    ),
    (
        "serveur_5_arret_propre",
        &[
            "Sur Ctrl+C (SIGINT), le bar se ferme proprement : plus personne n'entre, les sessions sont prévenues, puis le programme se termine avec le code 0.",
            "Fermez d'abord la socket d'écoute, prévenez les sessions, puis attendez-les un temps borné.",
            "API : drop(ecoute), fermeture.send(true), puis tokio::time::timeout(DELAI_DE_FERMETURE, …).await autour d'une boucle sur sessions.join_next().await.",
        ],
    ),
];
