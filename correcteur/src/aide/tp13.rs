//! Les indices du TP13 (un seul thread, plusieurs clients : le
//! multiplexage).

pub const INDICES: super::Indices = &[
    (
        "serveur_1_ecoute",
        &[
            "Le serveur écoute sur le port donné, sur 127.0.0.1, et annonce le port réellement attaché ; sa socket d'écoute est non bloquante.",
            "Comme au TP12, plus une ligne : une socket d'écoute bloquante arrêterait le seul thread du serveur dans accept() quand personne n'attend.",
            "API : socket, set_reuse_address(true), bind, listen(BACKLOG), puis set_nonblocking(true), et TcpListener::from_std(socket.into()) pour la passer à mio.",
        ],
    ),
    (
        "serveur_2_accueil",
        &[
            "Trois clients entrent sans rien dire : le serveur doit tous les accepter et les noter ; avec --max-clients 3, le quatrième reçoit « bar complet » puis la fin du flux.",
            "Un événement sur la socket d'écoute peut annoncer plusieurs clients : acceptez en boucle jusqu'à ce que la file soit vide, sinon les suivants attendront pour toujours.",
            "API : boucle sur self.ecoute.accept() jusqu'à ErrorKind::WouldBlock ; chaque client : registry().register(&mut flux, Token(n), Interest::READABLE) avec un jeton neuf.",
        ],
    ),
    (
        "serveur_3_commandes",
        &[
            "Deux clients présents ensemble commandent chacun à leur tour : chaque commande a sa réponse tout de suite, même quand l'autre client se tait. Deux commandes collées : deux réponses.",
            "Ne lisez qu'une socket déclarée prête, et lisez-la jusqu'à WouldBlock : epoll ne redira pas que des octets déjà arrivés attendent.",
            "API : read dans un tableau de MORCEAU octets, ajouté à self.entree ; chaque \\n trouvé donne une réponse dans self.sortie ; drain(..n) des commandes traitées.",
        ],
    ),
    (
        "serveur_4_un_client",
        &[
            "Un client commande deux fois puis dit « fin » : chaque commande a sa réponse, la connexion se ferme, arrivée et départ sont notés, et le client suivant est servi.",
            "Après « fin », les réponses dues partent d'abord ; ensuite seulement la connexion se ferme.",
            "API : à la fermeture, self.connexions.remove(&jeton), registry().deregister(&mut connexion.flux), puis drop : c'est close(2).",
        ],
    ),
    (
        "serveur_4_fin_de_flux_sans_fin",
        &[
            "Un client peut partir sans dire « fin » : le serveur ferme sans rien ajouter, note le départ, et continue.",
            "Un read qui rend 0 octet est la fin du flux : l'état passe à « finir », pas à « commande vide ».",
            "API : read rend Ok(0) : l'état devient Finir ; les réponses dues partent, puis Suite::Fermer.",
        ],
    ),
    (
        "serveur_4_commande_en_morceaux",
        &[
            "Une commande peut arriver en morceaux (même au milieu d'un « é »), deux commandes peuvent arriver collées : une réponse par commande entière.",
            "Gardez les octets reçus dans le tampon d'entrée de la connexion jusqu'au \\n ; ne décodez l'UTF-8 qu'une fois la commande entière.",
            "API : cherchez b'\\n' dans self.entree (iter().position), std::str::from_utf8 sur la commande entière, drain(..n) de ce qui est traité.",
        ],
    ),
    (
        "serveur_4_reinitialisation",
        &[
            "Un client qui part brutalement (RST) ne doit arrêter que sa session : les autres continuent d'être servis.",
            "Une erreur de lecture ou d'écriture sur une socket de service ferme cette connexion ; elle ne doit jamais sortir de la boucle d'événements.",
            "API : une erreur autre que WouldBlock ou Interrupted : eprintln!, l'état passe à Fermer ; pas de ? qui remonterait jusqu'à la boucle.",
        ],
    ),
    (
        "serveur_4_utf8_invalide",
        &[
            "Une commande qui n'est pas de l'UTF-8 termine la session de ce client, et seulement la sienne.",
            "Les réponses déjà dues partent ; plus rien n'est lu de ce client.",
            "API : std::str::from_utf8 sur la commande ; en cas d'erreur, self.abandonner(…).",
        ],
    ),
    (
        "serveur_4_ligne_trop_longue",
        &[
            "Une commande d'un mégaoctet sans \\n ne doit pas remplir la mémoire : au-delà de la longueur maximale, la session s'arrête.",
            "Ne cherchez le \\n que dans les LONGUEUR_MAX premiers octets du tampon d'entrée ; s'il n'y est pas alors qu'ils sont là, la commande est trop longue.",
            "API : self.entree[..LONGUEUR_MAX.min(self.entree.len())] pour la recherche, puis self.abandonner(\"commande de plus de … octets\").",
        ],
    ),
    (
        "serveur_4_descripteurs",
        &[
            "Après cent sessions, le serveur doit avoir autant de descripteurs ouverts qu'avant.",
            "Une connexion finie doit quitter la table des connexions : tant qu'elle y est, sa socket reste ouverte.",
            "API : self.connexions.remove(&jeton) puis deregister et drop de la connexion ; vérifiez que chaque chemin de sortie (fin, erreur, abandon) y passe.",
        ],
    ),
    (
        "serveur_5_un_seul_thread",
        &[
            "Pendant qu'il sert cinq clients ensemble, le serveur ne doit avoir qu'un thread : c'est tout l'objet du TP.",
            "Pas de thread::spawn, pas de pool : une seule boucle d'événements sert toutes les sockets.",
            "API : mio::Poll et Events ; toutes les sockets (écoute et service) enregistrées dans le même poll.registry().",
        ],
    ),
    (
        "serveur_5_vingt_clients",
        &[
            "Vingt clients présents en même temps : chacun doit être servi sans attendre le départ des autres.",
            "Aucun appel ne doit bloquer le thread : toutes les sockets de service sont non bloquantes, et on ne lit que celles qui sont prêtes.",
            "API : les TcpStream de mio sont non bloquants ; traitez WouldBlock comme « rien pour l'instant », pas comme une erreur.",
        ],
    ),
    (
        "serveur_5_client_silencieux",
        &[
            "Un client qui entre et se tait ne doit retarder personne.",
            "Si le serveur lit une socket qui n'a rien à donner, ou attend une ligne entière d'un client, tous les autres attendent avec lui.",
            "API : ne lisez qu'après un événement READABLE pour ce jeton, et jusqu'à WouldBlock seulement.",
        ],
    ),
    (
        "serveur_5_mille_clients",
        &[
            "Mille clients connectés ensemble, dont cinquante qui arrivent d'un coup : chacun doit être accepté et servi.",
            "Un événement sur la socket d'écoute peut annoncer des dizaines de clients : acceptez-les tous, en boucle, jusqu'à WouldBlock.",
            "API : la boucle d'accept jusqu'à WouldBlock ; un accept() raté faute de descripteurs (EMFILE) : eprintln!, accept_a_reprendre = true, et poll avec un délai.",
        ],
    ),
    (
        "serveur_6_client_qui_ne_lit_pas",
        &[
            "Un client envoie des commandes sans jamais lire les réponses : un autre client doit être servi pendant ce temps, la mémoire du serveur ne doit pas enfler, et toutes les réponses doivent arriver intactes, dans l'ordre.",
            "write peut n'envoyer qu'une partie des octets, ou rien (WouldBlock) : gardez le reste dans le tampon de sortie et attendez WRITABLE. Cessez de lire ce client tant que ce tampon est trop plein.",
            "API : Ok(n) de write : drain(..n) de self.sortie ; WouldBlock : Interest::WRITABLE ; en_pause() : ne plus demander READABLE (contre-pression).",
        ],
    ),
    (
        "serveur_7_processeur_au_repos",
        &[
            "Quand les clients se taisent, le serveur doit dormir, pas tourner à vide.",
            "Une boucle qui appelle poll avec un délai nul, ou qui lit en boucle des sockets sans événement, consomme du processeur pour rien.",
            "API : self.poll.poll(&mut evenements, None) (sans délai) tant qu'aucun accept n'est à reprendre ; jamais de boucle d'attente active.",
        ],
    ),
    (
        "serveur_8_limite_de_clients",
        &[
            "Avec --max-clients, le client de trop reçoit « bar complet » et la fin du flux ; quand un client part, une place se libère.",
            "Comptez les connexions présentes dans la table : un départ libère une place dès que la connexion en est retirée.",
            "API : si self.connexions.len() >= self.max_clients, refuser (un seul write de COMPLET, puis la socket se ferme en sortant de la fonction).",
        ],
    ),
    (
        "serveur_1_port_pris",
        &[
            "Quand bind échoue (« Address already in use »), le bar l'explique en français sur la sortie d'erreur et s'arrête avec le code 1.",
            "Ne terminez pas par process::exit(0) ni par unwrap() : rendez l'erreur à main avec ?, avec un contexte qui cite le port ; main l'affiche et rend le code 1.",
        ],
    ),
    (
        "serveur_1_redemarrage",
        &[
            "Arrêté juste après une session, le serveur doit pouvoir se relancer aussitôt sur le même port.",
            "La connexion fermée en premier par le serveur reste un moment en TIME_WAIT : sans option, bind() refuse alors le port (« Address already in use »).",
            "API : set_reuse_address(true) sur la socket d'écoute avant bind (socket2), puis TcpListener::from_std pour mio.",
        ],
    ),
    (
        "serveur_3_journal_sans_commandes",
        &[
            "Le journal du serveur note l'ouverture, les arrivées, les refus et les départs, pas les commandes des clients.",
            "Ce que disent les clients ne regarde qu'eux : retirez l'affichage de chaque commande reçue.",
            "API : aucun println! de la ligne lue dans le traitement d'une commande ; gardez ceux de Client connecté et Client parti.",
        ],
    ),
    (
        "serveur_4_ligne_de_1024_octets",
        &[
            "Une commande de 1024 octets tout juste, \\n compris, est servie ; une de 1025 ne l'est pas.",
            "La limite compte le \\n : ne déclarez la ligne trop longue que si le tampon dépasse la limite sans contenir de \\n.",
            "API : cherchez le \\n dans les LONGUEUR_MAX premiers octets du tampon de la connexion ; absent alors que le tampon en a LONGUEUR_MAX ou plus : trop longue.",
        ],
    ),
    (
        "serveur_9_inactivite",
        &[
            "Avec --inactivite S, un client qui se tait depuis S secondes est congédié : fin du flux, départ noté, place rendue.",
            "La boucle ne doit pas se réveiller pour rien : attendez les événements jusqu'à la prochaine échéance d'inactivité, puis congédiez ceux qui l'ont passée.",
            "API : une date de dernière activité par connexion (Instant) ; poll.poll(&mut evenements, Some(delai_jusqu_a_la_prochaine_echeance)) ; puis retirez de la table les connexions trop silencieuses.",
        ],
    ),
    (
        "serveur_3_jetons_uniques",
        &[
            "Après le départ d'un client, le suivant ne doit pas recevoir le jeton d'un client encore présent.",
            "Le jeton (Token) sert de clé dans la table des connexions : un jeton déjà porté remplace la connexion de son porteur, qui disparaît sans rien dire.",
            "API : un compteur self.prochain (usize) qui ne fait que croître : let jeton = Token(self.prochain); self.prochain += 1; jamais Token(self.connexions.len() + 1).",
        ],
    ),
];
