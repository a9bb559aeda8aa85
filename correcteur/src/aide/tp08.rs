//! Les indices du TP08 (socket locale, AF_UNIX).

pub const INDICES: super::Indices = &[
    (
        "serveur_1_fichier_socket",
        &[
            "Le serveur crée une socket locale au chemin donné : après bind, un fichier de type « s » doit y apparaître, et la socket doit écouter.",
            "Les étapes de Berkeley, une à une : socket (domaine AF_UNIX, type flux), bind sur le chemin, listen. Sans listen, aucun client ne peut se connecter.",
            "API : Socket::new(Domain::UNIX, Type::STREAM, None), SockAddr::unix(chemin), bind(&adresse), listen(BACKLOG) — chacun avec son .context(…)?.",
        ],
    ),
    (
        "serveur_1_fichier_perime",
        &[
            "Un serveur arrêté brutalement laisse le fichier de sa socket : bind échoue alors avec « adresse déjà utilisée ». Libérez le chemin avant bind, et annoncez-le : « Ancienne socket supprimée : CHEMIN ».",
            "Regardez ce qui occupe le chemin : une socket périmée se supprime ; « rien » (fichier absent) n'est pas une erreur.",
            "API : std::fs::symlink_metadata(chemin) (ErrorKind::NotFound : chemin libre), .file_type().is_socket() (trait FileTypeExt), puis std::fs::remove_file(chemin).",
        ],
    ),
    (
        "serveur_1_refuse_un_fichier_ordinaire",
        &[
            "Si le chemin est occupé par autre chose qu'une socket (fichier ordinaire, dossier), le serveur refuse de démarrer, avec un message en français et le code 1.",
            "Un serveur ne détruit jamais un fichier de l'utilisateur : ne supprimez que ce qui est une socket, et laissez le reste intact.",
            "API : si !symlink_metadata(chemin)?.file_type().is_socket(), bail!(\"…\") avant tout remove_file ; main affiche l'erreur et rend le code 1.",
        ],
    ),
    (
        "serveur_1_refuse_un_lien",
        &[
            "Un lien symbolique au chemin n'est pas une socket, même s'il en désigne une : le serveur refuse de démarrer et ne touche ni au lien ni à sa cible.",
            "Regardez ce qui est au chemin lui-même, sans suivre le lien : c'est ce qui distingue symlink_metadata de metadata.",
            "API : std::fs::symlink_metadata(chemin) ne suit pas les liens ; pour un lien, file_type().is_socket() est faux, et l'on refuse avec bail!.",
        ],
    ),
    (
        "serveur_2_signaux",
        &[
            "Arrêté par SIGTERM (kill) ou SIGINT (Ctrl+C), le serveur doit supprimer le fichier de sa socket et finir avec le code 0.",
            "Par défaut, ces signaux tuent le programme sans rien lui laisser faire : il faut les intercepter, dans un fil à part, puisque le fil principal reste bloqué dans accept(), l'autre moitié de cette étape.",
            "API : signal_hook::iterator::Signals::new([SIGINT, SIGTERM]), un std::thread::spawn qui attend signaux.forever().next(), puis std::fs::remove_file et std::process::exit(0).",
        ],
    ),
    (
        "serveur_3_cinq_clients",
        &[
            "Le serveur sert ses clients l'un après l'autre, sans s'arrêter : une boucle autour de accept(). Chacun envoie un octet et reçoit l'octet suivant.",
            "Affichez ce qui est lu puis ce qui est écrit, au format du chapitre (« Le serveur a lu : A », « Le serveur écrit : B ») ; le suivant de 255 est 0.",
            "API : read_exact(&mut [0u8; 1]), octet.wrapping_add(1) (un simple + 1 panique au débordement), write_all(&[suivant]) ; affichez chaque octet avec lisible(…), fournie dans main.rs.",
        ],
    ),
    (
        "serveur_3_client_muet",
        &[
            "Un client qui se connecte puis part sans rien envoyer ne doit pas arrêter le serveur : une ligne d'erreur, puis le client suivant.",
            "Dans la boucle, l'erreur du service d'un client ne doit pas remonter jusqu'à main : affichez-la sur la sortie d'erreur et continuez.",
            "API : if let Err(erreur) = servir(…) puis eprintln! ; read_exact rend une erreur UnexpectedEof quand le client ferme avant l'octet.",
        ],
    ),
    (
        "serveur_3_descripteurs",
        &[
            "Après chaque client, le nombre de descripteurs ouverts du serveur doit revenir au même point : chaque socket de service doit être fermée.",
            "Une socket de service gardée (dans un Vec, une variable qui vit toute la boucle) reste ouverte : ls -l /proc/PID/fd la montre.",
            "API : laissez tomber la socket de service à la fin de chaque tour (drop(service)) ; ne la rangez nulle part.",
        ],
    ),
    (
        "client_1_connexion",
        &[
            "Le client se connecte à la socket dont le chemin est donné en argument (ou au chemin par défaut).",
            "Côté client, pas de bind : connect sur le chemin du serveur suffit, le noyau s'occupe du reste.",
            "API : UnixStream::connect(chemin) fait socket() et connect() en un seul appel ; ajoutez .with_context(…)?.",
        ],
    ),
    (
        "client_1_sans_serveur",
        &[
            "Sans serveur (pas de fichier, ou une socket que personne n'écoute), le client explique en français qu'il faut lancer le serveur, et finit avec le code 1, sans panique.",
            "Pas d'unwrap() sur la connexion : propagez l'erreur avec ? et un contexte qui dit quoi faire.",
            "API : UnixStream::connect(chemin).with_context(|| format!(\"… lancez d'abord le serveur\"))? ; main affiche l'erreur et rend le code 1.",
        ],
    ),
    (
        "client_2_echange",
        &[
            "Le client envoie l'octet demandé, un seul, affiche la réponse du serveur, ferme et finit avec le code 0.",
            "Un octet n'est pas un caractère : 255 (\\xff) doit partir tel quel, en un octet, pas en UTF-8 sur deux octets.",
            "API : write_all(&[octet]) puis read_exact(&mut [0u8; 1]) ; si le serveur ferme sans répondre, read_exact échoue : donnez-lui un contexte.",
        ],
    ),
    (
        "croise_client_et_serveur",
        &[
            "Votre client et votre serveur, lancés sans argument, doivent se trouver au même chemin par défaut et se parler.",
            "Si chaque étape passe seule mais pas celle-ci, vérifiez que les deux rôles utilisent le même chemin par défaut que le chapitre.",
        ],
    ),
];
