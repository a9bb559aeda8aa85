//! Les indices du TP09 (client et serveur TCP).

pub const INDICES: super::Indices = &[
    (
        "serveur_1_ecoute",
        &[
            "Le serveur suit les étapes de Berkeley dans l'ordre : créer la socket, poser SO_REUSEADDR, l'attacher (bind) au port demandé sur 0.0.0.0, la mettre en écoute (listen), puis annoncer le port.",
            "Le port annoncé est celui que la socket a réellement obtenu : avec le port 0, c'est le noyau qui le choisit. Relisez-le sur la socket plutôt que de recopier l'argument.",
            "API : Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)), set_reuse_address(true), bind(&SocketAddr::from((Ipv4Addr::UNSPECIFIED, port)).into()), listen(BACKLOG) ; puis local_addr()?.as_socket() et .port().",
        ],
    ),
    (
        "serveur_1_port_zero",
        &[
            "Avec le port 0, c'est le noyau qui choisit un port libre au moment du bind : l'argument ne dit pas où le serveur écoute.",
            "Relisez l'adresse attachée sur la socket d'écoute et annoncez ce port-là ; la bienvenue cite le même.",
        ],
    ),
    (
        "serveur_1_port_pris",
        &[
            "Quand bind échoue (« Address already in use »), le serveur l'explique en français sur la sortie d'erreur et s'arrête avec le code 1.",
            "Pas de unwrap sur bind : ajoutez un contexte à l'erreur et rendez-la à main avec l'opérateur ?.",
        ],
    ),
    (
        "serveur_1_redemarrage",
        &[
            "Le serveur qui ferme le premier laisse sa connexion en TIME_WAIT sur son port pendant environ une minute.",
            "Posez l'option SO_REUSEADDR (set_reuse_address(true)) avant bind : le serveur se relance alors aussitôt sur le même port.",
        ],
    ),
    (
        "serveur_2_bienvenue",
        &[
            "La bienvenue part juste après accept(), avant toute lecture : le client attend de la lire avant d'envoyer quoi que ce soit.",
            "La ligne est recopiée au caractère près, avec le port réellement attaché et un \\n final ; comparez octet par octet avec le tableau « Ce qui circule sur la connexion ».",
            "API : accept() rend (Socket, SockAddr) ; convertissez la socket de service en TcpStream avec .into(), l'adresse avec .as_socket(), puis écrivez avec write_all (write peut n'écrire qu'une partie).",
        ],
    ),
    (
        "serveur_3_lignes_d_un_bloc",
        &[
            "Le client envoie ses deux lignes d'un seul coup : une lecture peut rendre les deux à la fois. Un flux TCP n'a pas de frontières de messages.",
            "Gardez un seul lecteur tamponné pour toute la connexion : ce qu'il a déjà lu au-delà du premier \\n est le début de la seconde ligne.",
            "API : un seul BufReader::new(&service), puis deux appels à read_until(b'\\n', …) (ou read_line) sur ce même lecteur ; 0 octet lu veut dire que le client a fermé.",
        ],
    ),
    (
        "serveur_3_lignes_octet_par_octet",
        &[
            "Cette fois chaque ligne arrive un octet à la fois : une lecture peut rendre un morceau de ligne. Lisez jusqu'au \\n, pas « un read par ligne ».",
            "Un lecteur tamponné qui lit jusqu'au délimiteur rappelle read() autant de fois qu'il faut ; n'affichez la ligne qu'une fois le \\n reçu.",
            "API : BufRead::read_until(b'\\n', &mut octets) sur un lecteur borné par take(LONGUEUR_MAX), puis String::from_utf8 pour refuser ce qui n'est pas de l'UTF-8.",
        ],
    ),
    (
        "serveur_3_fin_de_ligne_crlf",
        &[
            "Certains clients (nc -C, telnet) finissent leurs lignes par \r\n : le \r ne fait pas partie du message.",
            "Après avoir retiré le \n, retirez aussi un \r s'il le précède, avant d'afficher la ligne.",
        ],
    ),
    (
        "serveur_3_ligne_de_4096_octets",
        &[
            "Une ligne peut compter jusqu'à 4096 octets, \n compris : elle doit être lue et affichée en entier.",
            "La borne de lecture (take) vaut 4096, pas moins : comptez le \n dans la limite.",
        ],
    ),
    (
        "serveur_3_ligne_trop_longue",
        &[
            "Sans \n dans les 4096 premiers octets, ce n'est pas une ligne du protocole : le serveur s'arrête avec un message et le code 1.",
            "Bornez la lecture avec take(4096) avant read_until, puis vérifiez que la ligne lue finit bien par \n.",
        ],
    ),
    (
        "serveur_3_client_parti_tot",
        &[
            "Une lecture de 0 octet, ou une ligne sans \n suivie de la fin du flux, veut dire que le client est parti trop tôt.",
            "Distinguez les cas dans le message : une ligne coupée par la fin du flux n'est pas une ligne trop longue.",
        ],
    ),
    (
        "serveur_3_utf8_invalide",
        &[
            "Des octets qui ne sont pas de l'UTF-8 valide sont une erreur de protocole : message en français, code 1.",
            "String::from_utf8 rend une erreur pour ces octets : propagez-la avec un contexte plutôt que de les remplacer.",
        ],
    ),
    (
        "serveur_4_fermeture",
        &[
            "Après la seconde ligne, le serveur ferme la connexion : le client doit lire la fin du flux (0 octet), puis le serveur affiche « Connexion fermée. » et se termine avec le code 0.",
            "En Rust, une socket se ferme quand sa dernière poignée disparaît : vérifiez qu'aucun lecteur ou clone de la socket de service ne vit plus longtemps qu'elle.",
            "API : drop(service) (ou shutdown(Shutdown::Both) puis drop) ; le BufReader qui emprunte la socket doit avoir disparu avant.",
        ],
    ),
    (
        "client_1_connexion",
        &[
            "Le client se connecte à HÔTE:PORT, où l'hôte est un nom (localhost) à résoudre en une ou plusieurs adresses, puis annonce l'adresse du serveur.",
            "localhost peut donner ::1 puis 127.0.0.1 : essayez les adresses l'une après l'autre jusqu'à ce qu'une connexion réussisse.",
            "API : TcpStream::connect((hote, port)) essaie toutes les adresses de la résolution ; peer_addr() donne l'adresse du serveur à afficher.",
        ],
    ),
    (
        "client_1_sans_serveur",
        &[
            "Sans serveur, la connexion est refusée : le client doit le dire en français sur la sortie d'erreur et finir avec le code 1, sans panique.",
            "Pas d'unwrap() ni d'expect() sur la connexion : propagez l'erreur avec ?, et laissez main l'afficher et rendre le code 1.",
            "API : .with_context(|| format!(\"impossible de se connecter à …\"))? sur TcpStream::connect ; main affiche alors toute la chaîne des contextes.",
        ],
    ),
    (
        "client_2_bienvenue",
        &[
            "Le client lit la ligne de bienvenue jusqu'à son \\n et l'affiche sans ce \\n, sur sa propre ligne.",
            "La bienvenue peut arriver en morceaux : un seul read ne suffit pas toujours. Lisez jusqu'au délimiteur.",
            "API : un BufReader sur la connexion (BufReader::new(&flux)) et read_until(b'\\n', …) ou read_line ; gardez ce lecteur pour la suite de la connexion.",
        ],
    ),
    (
        "client_2_serveur_parti_tot",
        &[
            "Si le serveur ferme avant la fin de la bienvenue, le client le dit sur la sortie d'erreur et s'arrête avec le code 1.",
            "read_line rend 0 à la fin du flux, ou un début de ligne sans \n : vérifiez le \n final avant d'afficher la bienvenue.",
        ],
    ),
    (
        "client_2_attend_la_bienvenue",
        &[
            "Le serveur parle le premier : le client lit la bienvenue entière avant d'envoyer le moindre octet.",
            "Suivez l'ordre du scénario : lire la bienvenue (étape 2), puis seulement envoyer les deux lignes (étape 3).",
        ],
    ),
    (
        "client_3_envoi",
        &[
            "Le client envoie deux lignes, chacune terminée par \\n, avec le port du serveur auquel il est connecté.",
            "Comparez vos octets au tableau « Ce qui circule sur la connexion » : majuscules, virgules, espaces et le \\n final comptent.",
            "API : write_all(format!(…).as_bytes()) pour chaque ligne (write peut n'écrire qu'une partie) ; le port vient de peer_addr().port().",
        ],
    ),
    (
        "client_4_fermeture",
        &[
            "Après ses deux lignes, le client ferme la connexion, affiche « Connexion fermée. » et se termine avec le code 0.",
            "Le serveur attend la fin du flux : tant qu'une poignée de la socket vit (lecteur, clone), la connexion reste ouverte.",
            "API : drop du flux et du BufReader (ou shutdown(Shutdown::Write)) avant d'afficher « Connexion fermée. ».",
        ],
    ),
    (
        "croise_client_et_serveur",
        &[
            "Votre client et votre serveur doivent se parler entre eux : chacun suit le protocole, pas l'autre programme.",
            "Si chaque étape passe seule mais pas celle-ci, regardez qui attend qui : le serveur écrit d'abord, le client lit d'abord.",
        ],
    ),
    (
        "client_1_ipv6",
        &[
            "L'hôte donné au client peut être une adresse IPv6 : avec « ::1 », le client doit joindre le serveur qui n'écoute que sur la boucle locale IPv6.",
            "Un hôte se résout en une ou plusieurs adresses, IPv4 ou IPv6 : n'en écartez aucune (pas de parse::<Ipv4Addr>(), pas de filtre sur is_ipv4) et laissez la bibliothèque essayer chacune.",
            "API : TcpStream::connect((hote, port)) avec hote: &str et port: u16 ; l'adresse affichée est celle de peer_addr(), dont l'affichage met déjà les crochets : [::1]:PORT.",
        ],
    ),
];
