//! Les indices du TP12 (serveur concurrent : le bar).

pub const INDICES: super::Indices = &[
    (
        "serveur_1_ouverture",
        &[
            "Le serveur écoute sur le port donné, sur 127.0.0.1 cette fois (pas 0.0.0.0), et annonce le port réellement attaché.",
            "Comme au TP09 : socket, SO_REUSEADDR, bind, listen ; seule l'adresse change, pour que seuls les programmes de la machine entrent dans le bar.",
            "API : Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)), set_reuse_address(true), bind sur SocketAddr::from((Ipv4Addr::LOCALHOST, port)).into(), listen(BACKLOG) ; local_addr()?.as_socket() pour le port.",
        ],
    ),
    (
        "serveur_4_un_client",
        &[
            "Un client commande deux fois puis dit « fin » : chaque commande a sa réponse, « fin » aussi, puis la connexion se ferme et le serveur attend le client suivant.",
            "La réponse est une ligne exacte, terminée par \\n : comparez-la caractère par caractère à celle du chapitre. Le serveur note l'arrivée et le départ de chaque client.",
            "API : un seul BufReader::new(&service) pour la session ; read_until(b'\\n', …) borné par take(LONGUEUR_MAX) ; write_all de la réponse entière ; sortez de la boucle après « fin ».",
        ],
    ),
    (
        "serveur_4_descripteurs_epuises",
        &[
            "Lancé avec une limite de 32 descripteurs, le serveur ne peut plus accepter quand elle est atteinte : accept() échoue (EMFILE). Il doit continuer, et accepter le client suivant dès qu'un autre part.",
            "Une erreur d'accept() concerne une connexion, pas le serveur : l'arrêter (`?`, unwrap, break) ferme le bar pour tout le monde.",
            "API : dans accepter, un match sur ecoute.accept() : Ok rend le client ; Err l'affiche (eprintln!), attend PAUSE_APRES_ECHEC (thread::sleep) pour laisser partir un client, et rend None.",
        ],
    ),
    (
        "serveur_4_vingt_clients",
        &[
            "Vingt clients présents en même temps : chacun doit être servi sans attendre le départ des autres.",
            "Un serveur itératif sert un client à la fois. Ici, chaque client a son exécutant : un fil par client, et le veilleur retourne aussitôt dans accept().",
            "API : thread::Builder::new().spawn(move || executant::servir(service, adresse)) sans join ; la socket est déplacée dans le fil avec move.",
        ],
    ),
    (
        "serveur_4_client_silencieux",
        &[
            "Un client qui entre et se tait ne doit pas retarder le suivant.",
            "Si le veilleur lit quoi que ce soit avant de confier le client à son exécutant, un client muet le bloque : toute lecture se fait dans le fil de l'exécutant.",
            "API : accept(), puis thread::spawn immédiatement ; aucun read, aucun join, aucun verrou gardé pendant une session dans le veilleur.",
        ],
    ),
    (
        "serveur_4_fin_de_flux_sans_fin",
        &[
            "Un client peut partir sans dire « fin » (il ferme son sens d'émission) : le serveur ferme sans rien ajouter, note le départ, et continue.",
            "Une lecture qui rend 0 octet est la fin du flux, pas une commande vide : n'y répondez pas.",
            "API : read_until rend Ok(0) à la fin du flux ; lire_commande rend alors Ok(None) et la session s'arrête sans bruit.",
        ],
    ),
    (
        "serveur_4_commande_en_morceaux",
        &[
            "Une commande peut arriver en plusieurs morceaux, et deux commandes peuvent arriver collées : une réponse par commande entière, ni plus ni moins.",
            "Un morceau peut couper un caractère accentué en deux : ne décodez l'UTF-8 qu'une fois la ligne entière reçue.",
            "API : un seul BufReader gardé pour toute la session, read_until(b'\\n', …) puis String::from_utf8 sur la ligne complète.",
        ],
    ),
    (
        "serveur_4_reinitialisation",
        &[
            "Un client qui part brutalement (RST) au milieu d'une commande ne doit arrêter que sa propre session : le serveur continue de servir les autres.",
            "Une erreur de lecture dans un exécutant se propage jusqu'à servir, qui l'affiche ; elle ne doit jamais remonter au veilleur ni faire paniquer.",
            "API : pas d'unwrap() dans l'exécutant ; une erreur (ErrorKind::ConnectionReset) sort de la session avec ?, servir l'affiche avec eprintln!.",
        ],
    ),
    (
        "serveur_4_utf8_invalide",
        &[
            "Une commande qui n'est pas de l'UTF-8 termine la session de ce client, avec un message sur la sortie d'erreur, sans arrêter le serveur.",
            "Refusez la ligne plutôt que de la réparer : la réponse recopie la commande, elle doit être du texte valide.",
            "API : String::from_utf8(octets).context(\"…\")? dans lire_commande ; l'erreur termine la session de ce client seulement.",
        ],
    ),
    (
        "serveur_4_ligne_trop_longue",
        &[
            "Une « commande » d'un mégaoctet sans \\n ne doit ni remplir la mémoire ni bloquer le serveur : au-delà de la longueur maximale, la session s'arrête.",
            "Bornez la lecture d'une ligne : un lecteur qui lit « jusqu'au \\n » sans limite garde tout en mémoire.",
            "API : lecteur.take(LONGUEUR_MAX).read_until(b'\\n', &mut octets) ; LONGUEUR_MAX octets sans \\n : bail!(\"…\").",
        ],
    ),
    (
        "serveur_4_descripteurs",
        &[
            "Après cent sessions terminées, le serveur doit avoir autant de descripteurs ouverts qu'avant : chaque socket de service est fermée à la fin de sa session.",
            "Une socket gardée quelque part (un Vec, un clone non lâché) reste ouverte : ls -l /proc/PID/fd la montre.",
            "API : la socket de service appartient au fil de l'exécutant et disparaît avec lui ; ne gardez ni clone (try_clone) ni référence ailleurs.",
        ],
    ),
    (
        "serveur_5_limite_de_clients",
        &[
            "Avec --max-clients 3, le quatrième client reçoit « bar complet » puis la connexion se ferme ; quand un client part, une place se libère.",
            "La place est prise avant de lancer l'exécutant et rendue quand sa session finit, même sur une erreur.",
            "API : le compteur fourni (prendre une place, qui se rend toute seule quand on la lâche) ; le client de trop : write_all de COMPLET, puis la socket se ferme en sortant de la fonction.",
        ],
    ),
    (
        "client_1_connexion",
        &[
            "Le client se connecte à l'hôte et au port donnés.",
            "Pas de bind côté client : le noyau choisit son port éphémère. Sans serveur, un message en français et un code non nul, sans panique.",
            "API : TcpStream::connect((hote, port)).with_context(|| format!(\"…\"))?.",
        ],
    ),
    (
        "client_2_commandes",
        &[
            "Chaque ligne tapée part au bar, suivie de \\n ; la réponse s'affiche dès qu'elle est entière.",
            "La réponse peut arriver en plusieurs morceaux : lisez jusqu'au \\n, avec un lecteur gardé pour toute la connexion.",
            "API : write_all de la commande suivie de \\n, en un seul appel, puis read_line sur un BufReader unique ; 0 octet lu : le serveur a fermé, bail!(\"…\").",
        ],
    ),
    (
        "client_3_fin",
        &[
            "Après « fin » et sa réponse, le client ferme la connexion et se termine avec le code 0, même si son entrée standard reste ouverte.",
            "Reconnaissez la commande « fin » (sans son \\n) et sortez de la boucle de lecture du clavier aussitôt après avoir lu la réponse.",
            "API : une comparaison de la commande avec \"fin\", puis drop de la socket (et du lecteur) avant de rendre Ok(()).",
        ],
    ),
    (
        "client_3_fin_de_l_entree",
        &[
            "À la fin de l'entrée standard (Ctrl+D), le client ferme la connexion et se termine avec le code 0.",
            "La fin de l'entrée est une fin normale, pas une erreur : la lecture du clavier ne rend plus rien.",
            "API : read_line sur stdin rend Ok(0) à la fin de l'entrée : sortez de la boucle et fermez.",
        ],
    ),
    (
        "croise_client_et_serveur",
        &[
            "Votre client commande à votre serveur : il doit recevoir ses réponses, partir après « fin », et le serveur doit rester ouvert.",
            "Si chaque étape passe seule mais pas celle-ci, vérifiez que les deux programmes terminent bien leurs lignes par \\n.",
        ],
    ),
    (
        "serveur_1_port_pris",
        &[
            "Un port déjà pris par un autre programme est une situation normale : le bar l'explique en français sur la sortie d'erreur et s'arrête avec le code 1.",
            "Pas de unwrap() sur bind : ajoutez un contexte à l'erreur (quel port) et rendez-la à main avec l'opérateur ? ; main l'affiche et rend le code 1.",
        ],
    ),
    (
        "serveur_4_redemarrage",
        &[
            "Arrêté juste après une session, le serveur doit pouvoir se relancer aussitôt sur le même port.",
            "La connexion fermée en premier par le serveur reste un moment en TIME_WAIT : sans option, bind() refuse alors le port (« Address already in use »).",
            "API : set_reuse_address(true) sur la socket d'écoute, avant bind (socket2), comme au TP09.",
        ],
    ),
    (
        "serveur_4_ligne_de_1024_octets",
        &[
            "Une commande de 1024 octets tout juste, \\n compris, est servie ; une de 1025 ne l'est pas.",
            "La limite compte le \\n : si la ligne lue n'a pas de \\n et atteint déjà la limite, elle est trop longue ; sinon elle est bonne, même à la limite exacte.",
            "API : read_until(b'\\n', …) sur (&mut lecteur).take(LONGUEUR_MAX as u64) ; trop longue si le tampon n'a pas de \\n final et qu'il fait LONGUEUR_MAX octets.",
        ],
    ),
    (
        "serveur_4_inactivite",
        &[
            "Avec --inactivite S, un client qui se tait depuis S secondes est congédié : fin du flux, départ noté, place rendue.",
            "Une lecture bloquante attend sans fin ; donnez-lui une échéance : passé le délai, elle échoue au lieu de rendre des octets, et l'exécutant ferme la session.",
            "API : service.set_read_timeout(Some(inactivite)) avant la boucle ; une erreur de genre WouldBlock ou TimedOut veut dire « inactif » : sortez de la session.",
        ],
    ),
    (
        "client_1_sans_serveur",
        &[
            "Quand le bar n'est pas ouvert, la connexion est refusée : le client le dit en français sur la sortie d'erreur et finit avec le code 1, sans panique.",
            "Pas d'unwrap() sur TcpStream::connect, et pas de process::exit(0) : un échec se rend à main avec ?, qui l'affiche et rend le code 1.",
        ],
    ),
    (
        "client_1_ipv6",
        &[
            "L'hôte donné au client peut être une adresse IPv6 : avec « ::1 », le client doit joindre le bar qui n'écoute que sur la boucle locale IPv6.",
            "Un hôte se résout en une ou plusieurs adresses, IPv4 ou IPv6 : n'en écartez aucune (pas de parse::<Ipv4Addr>(), pas de filtre sur is_ipv4) et laissez la bibliothèque essayer chacune.",
            "API : TcpStream::connect((hote, port)) avec hote: &str et port: u16 ; il résout le nom ou l'adresse (ToSocketAddrs) et essaie chaque adresse obtenue.",
        ],
    ),
];
