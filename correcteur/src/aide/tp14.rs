//! Les indices du TP14 (projet : l'application de vote, protocole binaire).

pub const INDICES: super::Indices = &[
    (
        "serveur_1_ecoute",
        &[
            "Le serveur lit ses fichiers de scrutin, puis écoute sur le port donné, sur la boucle locale, et annonce le port réellement attaché.",
            "200 électeurs peuvent arriver ensemble : la file d'attente de listen doit être assez longue (BACKLOG).",
            "API : Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)), set_reuse_address(true), bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)).into()), listen(BACKLOG).",
        ],
    ),
    (
        "serveur_5_options",
        &[
            "LISTER reçoit la trame OPTIONS exacte ; une seconde requête, envoyée octet par octet sur la même connexion, doit recevoir la même réponse.",
            "Une trame arrive en morceaux : lisez d'abord l'en-tête entier (5 octets), puis la charge entière, en boucle jusqu'à avoir tout.",
            "API : lire_trame avec lire_au_plus (fournie) sur un seul BufReader pour toute la connexion ; u32::from_be_bytes pour la longueur ; ecrire_trame en un seul write_all.",
        ],
    ),
    (
        "serveur_5_redemarrage",
        &[
            "Tué pendant qu'un électeur était connecté, le serveur doit pouvoir être relancé tout de suite sur le même port.",
            "La connexion que le serveur arrêté a fermée la première reste environ une minute en TIME_WAIT sur ce port : sans option, le noyau refuse le bind (« Address already in use »).",
            "API : dans ouvrir_ecoute, set_reuse_address(true) AVANT bind(&adresse.into()) (socket2).",
        ],
    ),
    (
        "serveur_6_vote",
        &[
            "Un vote reçoit son reçu ; deux requêtes collées dans un même envoi reçoivent leurs deux réponses, dans l'ordre.",
            "Une lecture peut rendre plus d'une trame : ne lisez jamais plus que l'en-tête puis la longueur annoncée, et gardez le même lecteur pour la trame suivante.",
            "API : la charge de VOTER : le jeton (longueur u16 gros-boutiste puis UTF-8), puis l'option (u16 gros-boutiste) ; la réponse RECU porte le numéro du reçu.",
        ],
    ),
    (
        "serveur_6_refus",
        &[
            "Double vote, jeton inconnu, option hors du bulletin : une trame ERREUR chacun, avec le bon code, et la connexion reste ouverte.",
            "Ces refus ne sont pas des erreurs de protocole : la trame était lisible, on sait où commence la suivante. Seules les erreurs de protocole ferment la connexion.",
            "API : dans Urne::voter, les vérifications dans l'ordre (jeton inconnu, déjà voté, option 0 ou trop grande) ; code.ferme_la_connexion() dit quand fermer.",
        ],
    ),
    (
        "serveur_5_trames_invalides",
        &[
            "Des trames invalides (type inconnu, charge mal formée, flux coupé au milieu) reçoivent une ERREUR, puis la connexion est fermée ; le serveur continue de servir les autres.",
            "Après une trame incompréhensible, on ne sait plus où commence la suivante : répondez ERREUR, puis fermez cette connexion seulement.",
            "API : Requete::decoder rejette un type inconnu et une charge avec des octets en trop ou de l'UTF-8 invalide ; une erreur de lecture devient Reponse::Erreur(code).",
        ],
    ),
    (
        "serveur_5_longueur_4_gio",
        &[
            "Un en-tête qui annonce 4 Gio doit être refusé aussitôt, sans que la mémoire du serveur grossisse.",
            "La longueur vient du réseau, pas de vous : comparez-la à LONGUEUR_MAX avant d'allouer quoi que ce soit.",
            "API : dans lire_trame, si longueur > LONGUEUR_MAX, ErreurDeLecture::TropLongue(longueur) avant vec![0u8; longueur as usize].",
        ],
    ),
    (
        "serveur_6_concurrence",
        &[
            "200 électeurs votent au même instant : chacun doit recevoir un reçu distinct, et le décompte doit être exact.",
            "Vérifier le jeton, écrire le journal et compter forment une seule opération : un autre fil ne doit pas pouvoir s'y glisser.",
            "API : un fil par connexion (thread::Builder::new().spawn(move || …)) avec Arc::clone(urne) ; dans voter, le verrou pris une seule fois pour toute l'opération.",
        ],
    ),
    (
        "serveur_6_meme_jeton",
        &[
            "Vingt connexions votent au même instant avec le même jeton : une seule doit être acceptée.",
            "Si la vérification « a-t-il déjà voté ? » et le marquage du jeton sont sous deux verrous différents, deux fils peuvent passer la vérification ensemble.",
            "API : let mut etat = self.verrouiller(); puis vérifier, journaliser et marquer etat.ont_vote sans relâcher le verrou entre les trois.",
        ],
    ),
    (
        "serveur_6_journal_avant_recu",
        &[
            "Quand le reçu arrive, le vote doit déjà être dans le journal, au format du chapitre.",
            "Écrire ne suffit pas : les octets restent dans le cache du noyau. Forcez-les sur le disque avant de répondre.",
            "API : dans Journal::ajouter, un seul write_all(&encoder(vote)) puis sync_data() ; le reçu n'est envoyé qu'après le retour de ajouter.",
        ],
    ),
    (
        "serveur_7_redemarrage",
        &[
            "Tué par kill -9 après N reçus puis relancé sur le même journal, le serveur doit compter ces N votes, une seule fois chacun, et refuser leurs jetons.",
            "Au démarrage, le journal est rejoué : chaque enregistrement redonne une voix et marque son jeton.",
            "API : rejouer lit les enregistrements un à un avec lire_enregistrement (longueur u16, option u16, jeton, CRC-32 vérifié avec crc32) ; Journal::ouvrir et l'urne s'en servent.",
        ],
    ),
    (
        "serveur_7_ecriture_du_journal_impossible",
        &[
            "Une écriture dans le journal peut échouer (disque plein, quota, fichier trop grand) après avoir écrit une partie de l'enregistrement : le vote n'a alors pas eu lieu.",
            "D'abord le disque, ensuite la mémoire : ne comptez la voix et ne marquez le jeton qu'une fois l'enregistrement écrit et forcé ; sinon, répondez ERREUR 8.",
            "Retenez la taille du journal avant d'écrire ; en cas d'échec, revenez-y avec set_len, pour qu'aucun début d'enregistrement ne reste au milieu du fichier.",
        ],
    ),
    (
        "serveur_7_journal_dechire",
        &[
            "Un journal dont le dernier enregistrement est déchiré (arrêt pendant l'écriture) : les enregistrements complets comptent, le reste est ignoré avec un avertissement, et retiré du fichier.",
            "Arrêtez la lecture au premier enregistrement incomplet ou dont le CRC-32 est faux ; la taille valide est la position de son premier octet.",
            "API : lire_enregistrement rend None s'il manque des octets ou si le CRC diffère ; rejouer rend alors la taille valide, et Journal::ouvrir (fourni) avertit et coupe le fichier.",
        ],
    ),
    (
        "serveur_7_journal_abime",
        &[
            "Un journal abîmé ailleurs qu'en fin déchirée (un octet changé au milieu, un dernier enregistrement complet au CRC faux) : le serveur refuse de démarrer, dit où, et ne touche pas au fichier (règle R15).",
            "Votre rejouer s'arrête au premier enregistrement illisible et rend sa position, sans rien couper : Journal::ouvrir (fourni) décide ensuite entre fin déchirée et défaut.",
            "API : --reparer-journal copie la partie abîmée dans JOURNAL.endommage avant de couper ; c'est dans le code fourni, à condition que rejouer rende la bonne position.",
        ],
    ),
    (
        "serveur_5_connexions_max",
        &[
            "Avec --connexions-max N, au plus N connexions sont servies à la fois ; les suivantes attendent dans la file du noyau (règle R17).",
            "Prenez une place avant chaque accept, et rendez-la quand le fil se termine, même sur une erreur.",
            "API : Places::prendre (fourni) attend qu'une place se libère ; la Place rendue par Places::prendre se rend seule (Drop) : déplacez-la dans le fil.",
        ],
    ),
    (
        "serveur_5_inactivite",
        &[
            "Avec --inactivite S, un client qui met plus de S secondes à envoyer une trame complète est déconnecté, même s'il envoie un octet de temps en temps (règle R18).",
            "Un délai de lecture fixe repart de zéro à chaque octet reçu : bornez plutôt la trame entière par une échéance.",
            "API : le lecteur AEcheance (fourni) sous le BufReader ; avant chaque trame, repoussez son échéance à Instant::now() plus l'inactivité.",
        ],
    ),
    (
        "client_3_option_zero",
        &[
            "Le client refuse voter JETON 0 sur place, avec l'usage et le code 64, sans se connecter (règle R21).",
            "Les options sont numérotées à partir de 1 : 0 est une erreur de l'utilisateur, comme un port 70000.",
            "API : main.rs (fourni) le vérifie en lisant la ligne de commande ; ne contournez pas cette vérification.",
        ],
    ),
    (
        "client_1_connexion",
        &[
            "Le client se connecte au serveur donné, et n'attend jamais sans fin un serveur muet.",
            "Sans serveur, un message en français et un code non nul, sans panique.",
            "API : TcpStream::connect((hote, port)).with_context(…)? puis set_read_timeout(Some(DELAI_REPONSE)).",
        ],
    ),
    (
        "client_3_options",
        &[
            "La commande options envoie LISTER, lit OPTIONS (qui peut arriver octet par octet) et l'affiche au format du chapitre.",
            "Lisez la trame entière (en-tête puis charge) avant de la décoder ; un seul read ne suffit pas.",
            "API : ecrire_trame de la requête encodée, puis lire_trame et Reponse::decoder ; chaque option s'affiche « N. option » avec deux espaces devant.",
        ],
    ),
    (
        "client_3_voter",
        &[
            "La commande voter JETON OPTION envoie la trame VOTER exacte et affiche le reçu.",
            "La charge : le jeton comme chaîne (longueur u16 gros-boutiste puis octets UTF-8), puis le numéro d'option en u16 gros-boutiste.",
            "API : pousser_chaine pour le jeton, option.to_be_bytes() ; l'affichage : « Vote enregistré : reçu n° N ».",
        ],
    ),
    (
        "client_3_refus",
        &[
            "Un refus du serveur (trame ERREUR) s'affiche en français, et le client se termine avec le code 1.",
            "Une ERREUR n'est pas une réponse à afficher comme les autres : c'est une erreur du programme.",
            "API : sur Reponse::Erreur(code), bail! avec le message du chapitre et code.en_clair() ; main l'affiche après « erreur : ».",
        ],
    ),
    (
        "client_3_resultats",
        &[
            "La commande resultats envoie RESULTATS et affiche le décompte au format du chapitre.",
            "Le décompte donne les voix de chaque option dans l'ordre du bulletin : chaque nombre est un entier gros-boutiste.",
            "API : « Résultats : », puis pour chaque option « N. option : V voix » avec deux espaces devant ; les voix sont des u32 gros-boutistes (u32::from_be_bytes).",
        ],
    ),
    (
        "croise_client_et_serveur",
        &[
            "Votre client contre votre serveur : options, vote, second vote refusé, résultats.",
            "Si chaque étape passe seule mais pas celle-ci, comparez les trames des deux côtés : même type, même longueur, même ordre des champs.",
        ],
    ),
    (
        "client_1_ipv6",
        &[
            "L'hôte donné au client peut être une adresse IPv6 : avec « ::1 », le client doit joindre le serveur qui n'écoute que sur la boucle locale IPv6.",
            "Un hôte se résout en une ou plusieurs adresses, IPv4 ou IPv6 : n'en écartez aucune (pas de parse::<Ipv4Addr>(), pas de filtre sur is_ipv4) et laissez la bibliothèque essayer chacune.",
            "API : TcpStream::connect((hote, port)) avec hote: &str et port: u16 ; il résout le nom ou l'adresse (ToSocketAddrs) et essaie chaque adresse obtenue.",
        ],
    ),
];
