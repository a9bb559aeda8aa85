//! Les indices du TP10 (UDP, mode asymétrique).

pub const INDICES: super::Indices = &[
    (
        "serveur_1_attache",
        &[
            "Le serveur attache sa socket UDP au port reçu en argument, sur la boucle locale, et l'annonce.",
            "En UDP, pas de listen ni d'accept : une socket de datagrammes, un bind, et c'est tout.",
            "API : Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)), bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)).into()), puis .into() pour une UdpSocket.",
        ],
    ),
    (
        "serveur_2_affichage",
        &[
            "Pour chaque datagramme reçu, le serveur affiche l'adresse de l'expéditeur et le texte reçu, au format du chapitre.",
            "Un recv_from rend un datagramme entier et son expéditeur ; n'affichez que les octets reçus (tampon[..taille]), pas tout le tampon.",
            "API : let (taille, client) = socket.recv_from(&mut tampon)? avec un tampon de 65 507 octets ; String::from_utf8_lossy(&tampon[..taille]).",
        ],
    ),
    (
        "serveur_2_caracteres_de_controle",
        &[
            "Les octets d'un datagramme viennent de n'importe qui : ESC, BEL, \\r ou \\n écrits tels quels sont des ordres pour le terminal (titre de la fenêtre, écran effacé, fausses lignes).",
            "Chaque caractère de contrôle s'affiche échappé, avec sa barre oblique inverse, ESC compris ; le texte qui l'entoure reste visible, sur la même ligne.",
            "API : la fonction affichable (fournie) : pour chaque c de texte.chars(), c.escape_default() si c.is_control(), sinon c lui-même.",
        ],
    ),
    (
        "serveur_3_reponse_gros_boutiste",
        &[
            "La réponse est le nombre d'octets reçus, sur 4 octets, poids fort en premier (l'ordre « réseau »).",
            "Ni texte, ni \\n : exactement 4 octets. 5 s'écrit 00 00 00 05, pas 05 00 00 00.",
            "API : u32::try_from(taille)?.to_be_bytes(), puis socket.send_to(&octets, client) vers l'adresse rendue par recv_from.",
        ],
    ),
    (
        "serveur_3_trois_clients",
        &[
            "Trois clients envoient chacun un datagramme avant de lire : chacun doit recevoir sa propre réponse.",
            "Répondez à l'expéditeur du datagramme qu'on vient de lire, pas à un client mémorisé plus tôt.",
            "API : utilisez l'adresse rendue par ce recv_from-là dans send_to ; la boucle du serveur ne s'arrête pas après un client.",
        ],
    ),
    (
        "serveur_4_datagramme_vide",
        &[
            "Un datagramme de 0 octet existe en UDP : le serveur doit y répondre, par 0.",
            "En UDP, recv_from qui rend 0 n'est pas une fin de flux (il n'y a pas de flux) : ne sortez pas de la boucle.",
            "API : traitez taille == 0 comme les autres : to_be_bytes() de 0 donne 00 00 00 00.",
        ],
    ),
    (
        "serveur_4_grands_datagrammes",
        &[
            "Des datagrammes de 2 000 et 65 507 octets doivent être comptés exactement.",
            "Un datagramme plus grand que le tampon est tronqué sans erreur : le tampon doit pouvoir contenir le plus grand datagramme UDP possible.",
            "API : un tampon de 65 507 octets (vec![0u8; 65_507]) passé à recv_from ; la taille rendue est celle du datagramme.",
        ],
    ),
    (
        "serveur_4_utf8_invalide",
        &[
            "Des octets qui ne sont pas de l'UTF-8 ne doivent pas arrêter le serveur : il répond, et continue.",
            "String::from_utf8(…)? ferait sortir le serveur sur une erreur : pour l'affichage, une conversion qui remplace les octets invalides suffit.",
            "API : String::from_utf8_lossy(&tampon[..taille]) pour afficher ; la réponse ne dépend que de la taille.",
        ],
    ),
    (
        "client_1_envoi",
        &[
            "Le client envoie le message tel quel, en un seul datagramme, au serveur donné.",
            "Sa socket est à lui, attachée au port 0 de la même famille d'adresses que le serveur ; pas de \\n ajouté : un datagramme a ses propres frontières.",
            "API : (hote, port).to_socket_addrs() (gardez une adresse IPv4), UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)), puis socket.send_to(message, serveur).",
        ],
    ),
    (
        "client_1_ipv6",
        &[
            "HÔTE peut être une adresse IPv6 (::1) : le client parle alors IPv6, avec une socket de la même famille que l'adresse du serveur.",
            "Une socket attachée à 0.0.0.0 ne sait écrire qu'à des adresses IPv4 : send_to vers ::1 échoue.",
            "API : selon serveur.is_ipv4(), UdpSocket::bind sur (Ipv4Addr::UNSPECIFIED, 0) ou sur (Ipv6Addr::UNSPECIFIED, 0).",
        ],
    ),
    (
        "client_2_reponse",
        &[
            "Le client attend la réponse (4 octets, poids fort en premier), l'affiche, puis se termine avec le code 0.",
            "Une réponse UDP peut se perdre : l'attente doit être bornée, sinon le client attendrait pour toujours.",
            "API : socket.set_read_timeout(Some(delai)), recv_from dans un tampon de 4 octets, u32::from_be_bytes(octets) (un [u8; 4] obtenu avec try_into()).",
        ],
    ),
    (
        "client_2_chaque_adresse",
        &[
            "HÔTE peut donner plusieurs adresses (localhost : ::1 puis 127.0.0.1) ; le serveur n'écoute peut-être que sur l'une d'elles. Le client les essaie toutes, dans l'ordre de la résolution.",
            "En UDP, personne ne dit « connexion refusée » : sans réponse dans le délai, passez à l'adresse suivante, avec une socket de sa famille. N'écartez ni ne triez les adresses.",
            "API : (hote, port).to_socket_addrs()?.collect::<Vec<_>>() ; pour chaque adresse, une UdpSocket de sa famille, send_to, puis recv_from borné par set_read_timeout ; sans réponse, l'adresse suivante.",
        ],
    ),
    (
        "client_3_relance",
        &[
            "La première requête est perdue : le client doit la renvoyer après son délai, et la seconde obtient la réponse.",
            "Une boucle d'essais : envoyer, attendre au plus le délai ; si rien n'est venu, le dire sur la sortie d'erreur et recommencer.",
            "API : recv_from après set_read_timeout rend une erreur de nature ErrorKind::WouldBlock ou TimedOut quand le délai passe : ce n'est pas une panne, c'est « pas de réponse ».",
        ],
    ),
    (
        "client_3_delai_respecte",
        &[
            "Chaque attente de réponse dure le délai donné par --delai, ni plus ni moins : le correcteur le règle à 2500 ms et guette une relance trop précoce.",
            "Le délai arrive en paramètre (delai) jusqu'à attendre_reponse : servez-vous de lui, pas d'une constante.",
            "API : set_read_timeout(Some(reste)), où reste = limite - maintenant et limite = Instant::now() + delai au début de l'attente.",
        ],
    ),
    (
        "client_3_sans_serveur",
        &[
            "Sans serveur, le client abandonne après ses essais, avec un message en français et un code non nul.",
            "Comptez les essais et, après le dernier, sortez avec une erreur plutôt que de boucler pour toujours ou de paniquer.",
            "API : après la boucle de ESSAIS essais, bail!(\"pas de réponse de … après … essais\") ; main rend alors le code 1.",
        ],
    ),
    (
        "client_4_datagramme_etranger",
        &[
            "Un datagramme venu d'un autre port arrive avant la vraie réponse : le client doit l'ignorer et attendre celle du serveur.",
            "Votre socket reçoit ce que n'importe qui lui envoie : comparez l'expéditeur à l'adresse du serveur (IP et port).",
            "API : l'adresse rendue par recv_from comparée à serveur ; si elle diffère, eprintln! puis reprenez l'attente avec le temps qui reste (Instant).",
        ],
    ),
    (
        "croise_client_et_serveur",
        &[
            "Votre client et votre serveur doivent se parler entre eux, sur le même port et la même famille d'adresses.",
            "Le serveur écoute sur 127.0.0.1 : si le client envoie vers ::1 (localhost résolu en IPv6), rien n'arrive. Gardez une adresse IPv4.",
        ],
    ),
];
