//! Les indices du TP11 (UDP, mode symétrique).

pub const INDICES: super::Indices = &[
    (
        "pair_1_nom_du_pair",
        &[
            "HÔTE_DISTANT peut être un nom (localhost), pas seulement une adresse : le pair le résout avant tout échange.",
            "Un nom peut donner plusieurs adresses, ::1 avant 127.0.0.1 : gardez-les toutes, dans l'ordre rendu ; l'étape 2 choisira celle qui sert.",
            "API : (hote, port).to_socket_addrs()? rend un itérateur d'adresses ; .collect() dans un Vec, et bail!(\"…\") s'il est vide.",
        ],
    ),
    (
        "pair_2_port_pris",
        &[
            "Le port local est déjà pris par une autre socket : le pair ne peut pas converser, il doit le dire (sortie d'erreur) et se terminer avec le code 1.",
            "Le pair vous attend à ce port-là et pas ailleurs : une erreur de bind autre que « adresse indisponible » (AddrNotAvailable) arrête le programme, elle ne fait pas passer à l'adresse suivante.",
            "API : dans ouvrir, l'erreur de bind remonte avec ? et un contexte (with_context) qui cite l'adresse ; main l'affiche sur la sortie d'erreur et rend le code 1.",
        ],
    ),
    (
        "pair_2_attache",
        &[
            "Chaque pair attache sa socket UDP au port local reçu en argument, sur la boucle locale de la famille du pair : 127.0.0.1 pour un pair IPv4.",
            "Pas de SO_REUSEADDR ici : UDP n'a pas de TIME_WAIT, et l'option laisserait un autre programme prendre le même port.",
            "API : Socket::new(Domain::for_address(pair), Type::DGRAM, Some(Protocol::UDP)), bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, port_local)).into()), puis .into() pour une UdpSocket.",
        ],
    ),
    (
        "pair_2_ipv6",
        &[
            "HÔTE_DISTANT peut être une adresse IPv6 (::1) : une socket IPv4 ne sait pas lui écrire, il faut une socket IPv6.",
            "La socket prend la famille de l'adresse du pair, et s'attache à la boucle locale de cette famille : [::1]:PORT_LOCAL. Pour plusieurs adresses, essayez-les dans l'ordre et gardez la première qui s'attache.",
            "API : Domain::for_address(pair) pour Socket::new, SocketAddr::from((Ipv6Addr::LOCALHOST, port_local)) pour bind ; pas de filtre is_ipv4 sur les adresses résolues.",
        ],
    ),
    (
        "pair_2_ordre_des_adresses",
        &[
            "HÔTE_DISTANT peut donner plusieurs adresses, de deux familles (localhost : ::1 et 127.0.0.1). Le pair garde la première dont la famille s'attache sur la machine.",
            "L'ordre de to_socket_addrs est celui où essayer les adresses (getaddrinfo les trie) : ni tri, ni préférence pour IPv4 ou pour IPv6. Ne passez à la suivante que si socket ou bind échoue faute de famille.",
            "API : parcourez les adresses dans l'ordre ; pour chacune, Socket::new(Domain::for_address(pair), …) puis bind sur la boucle locale de sa famille ; le premier succès est gardé, AddrNotAvailable ou un échec de Socket::new fait passer à la suivante, toute autre erreur arrête.",
        ],
    ),
    (
        "pair_3_envoi",
        &[
            "Chaque ligne tapée part vers le pair en un datagramme exact, sans sa fin de ligne, depuis le port local attaché.",
            "Envoyez depuis la socket attachée au port local (pas une nouvelle socket) : le pair reconnaît l'expéditeur à son port.",
            "API : io::stdin().lock() et read_until(b'\\n', &mut ligne) dans une boucle, sans_fin_de_ligne(&ligne), puis socket.send_to(message, pair).",
        ],
    ),
    (
        "pair_3_fin_tapee",
        &[
            "« fin » tapée part vers le pair, puis le programme se termine avec le code 0.",
            "Envoyez d'abord « fin » (le pair doit s'arrêter aussi), ensuite seulement arrêtez la boucle du clavier.",
            "API : dans envoyer_les_lignes, après le send_to de la ligne fin, rendez Ok(Fin::Tapee) ; lancer fait le reste.",
        ],
    ),
    (
        "pair_3_fin_de_saisie",
        &[
            "La fin de l'entrée standard (Ctrl+D) termine le programme avec le code 0 : c'est une fin normale, pas une erreur.",
            "Quand la lecture du clavier ne rend plus rien, sortez de la boucle au lieu de boucler sur des lignes vides.",
            "API : dans envoyer_les_lignes, read_until rend Ok(0) à la fin de l'entrée : rendez Ok(Fin::EntreeEpuisee).",
        ],
    ),
    (
        "pair_4_reception_sans_saisie",
        &[
            "Un datagramme du pair doit s'afficher dès son arrivée, même si personne ne tape : c'est le travail de la fonction recevoir, dans son propre fil (lancer, fourni, s'en charge).",
            "recevoir attend les datagrammes dans une boucle, sans jamais lire le clavier, et affiche chacun au format « << MESSAGE ».",
            "API : socket.recv_from(&mut tampon) avec un tampon de TAILLE_MAX octets, puis affichable(&String::from_utf8_lossy(&tampon[..taille])) pour afficher.",
        ],
    ),
    (
        "pair_4_intrus",
        &[
            "Un datagramme d'un intrus (même machine, autre port) ne doit pas s'afficher comme un message du pair, mais être signalé sur la sortie d'erreur ; la conversation continue.",
            "Comparez l'expéditeur à l'adresse du pair : l'IP et le port, les deux.",
            "API : l'adresse rendue par recv_from comparée à pair ; si elle diffère, eprintln! avec cette adresse, puis continue.",
        ],
    ),
    (
        "pair_4_caracteres_de_controle",
        &[
            "Les octets d'un datagramme viennent du pair, ou de n'importe qui : ESC, BEL, \\r ou \\n écrits tels quels sont des ordres pour le terminal (titre de la fenêtre, écran effacé, fausses lignes « << »).",
            "Chaque caractère de contrôle s'affiche échappé, avec sa barre oblique inverse, ESC compris ; le texte qui l'entoure reste visible, sur la même ligne.",
            "API : la fonction affichable (fournie) : pour chaque c de texte.chars(), c.escape_default() si c.is_control(), sinon c lui-même.",
        ],
    ),
    (
        "pair_4_fin_recue",
        &[
            "« fin » reçue du pair termine le programme avec le code 0, même si personne ne tape rien.",
            "Le message reçu est comparé sans fin de ligne : le pair envoie « fin », nc -u envoie « fin » suivi de \n.",
            "API : dans recevoir, après avoir affiché le message, rendez Ok(Fin::Recue) s'il vaut FIN (sans_fin_de_ligne aide pour \n et \r\n).",
        ],
    ),
    (
        "croise_deux_pairs",
        &[
            "Deux exemplaires de votre programme se parlent : « fin » tapée chez l'un doit arrêter les deux.",
            "Si chaque étape passe seule mais pas celle-ci, vérifiez que « fin » part bien vers le pair avant que le programme ne se termine.",
        ],
    ),
];
