//! L'ordre des octets : celui de la machine, celui du réseau.
//!
//! Cet exemple accompagne le chapitre « Nommer une socket ». Un entier de
//! plusieurs octets peut être rangé en mémoire de deux façons : l'octet de
//! poids fort d'abord (gros-boutiste, *big-endian*) ou l'octet de poids
//! faible d'abord (petit-boutiste, *little-endian*). Les protocoles d'Internet
//! ont choisi le premier : c'est l'**ordre réseau**. Les processeurs x86 et la
//! plupart des ARM utilisent le second.
//!
//! En C, `htons` (*host to network short*) et `htonl` convertissent un entier
//! de 16 ou 32 bits de l'ordre de la machine vers l'ordre réseau ; `ntohs` et
//! `ntohl` font l'inverse. En Rust, ce sont `to_be` et `from_be`, ou, plus
//! lisibles, `to_be_bytes` et `from_be_bytes`.
//!
//! Aucune socket n'est créée : tout se passe en mémoire.
//!
//! Lancement : `cargo run -p exemples --bin exemple-ordre-des-octets`

use std::net::Ipv4Addr;

/// Le port du TP09, pris comme exemple.
const PORT: u16 = 65432;

fn main() {
    let machine = if cfg!(target_endian = "little") {
        "petit-boutiste (octet de poids faible d'abord)"
    } else {
        "gros-boutiste (octet de poids fort d'abord)"
    };
    println!("Cette machine est {machine}.");
    println!();

    println!("1. Le port {PORT} = 0x{PORT:04X}, en mémoire");
    // ANCHOR: octets_du_port
    // L'entier tel que le processeur le range (ordre de la machine)…
    println!("  ordre de la machine : {}", hexa(&PORT.to_ne_bytes()));
    // …et tel qu'il doit voyager : poids fort d'abord (ordre réseau).
    println!("  ordre réseau        : {}", hexa(&PORT.to_be_bytes()));

    // `to_be` est le htons du C : il rend un u16 dont les octets, en
    // mémoire, sont dans l'ordre réseau. Sur une machine petit-boutiste, il
    // inverse les deux octets ; sur une gros-boutiste, il ne fait rien.
    let port_reseau = PORT.to_be();
    println!(
        "  htons({PORT}) = to_be() = {port_reseau} (0x{port_reseau:04X}), en mémoire : {}",
        hexa(&port_reseau.to_ne_bytes())
    );
    // `from_be` est le ntohs : il retrouve la valeur de départ.
    println!(
        "  ntohs({port_reseau}) = from_be() = {}",
        u16::from_be(port_reseau)
    );
    // ANCHOR_END: octets_du_port
    println!();

    println!("2. L'adresse 127.0.0.1, un entier de 32 bits");
    // ANCHOR: octets_de_l_adresse
    let ip = Ipv4Addr::LOCALHOST;
    let entier = u32::from(ip);
    println!("  valeur              : 0x{entier:08X}");
    println!("  ordre de la machine : {}", hexa(&entier.to_ne_bytes()));
    // `octets()` rend déjà l'ordre réseau : 127 d'abord.
    println!("  ordre réseau        : {}", hexa(&ip.octets()));
    // ANCHOR_END: octets_de_l_adresse
    println!();

    println!("3. Une struct sockaddr_in remplie à la main, comme en C");
    // ANCHOR: sockaddr_in
    // Les champs port et adresse doivent être dans l'ordre réseau : c'est
    // le rôle de htons et htonl. socket2 et la bibliothèque standard font
    // cette conversion pour vous quand ils construisent la structure.
    // Comme le `memset(&adresse, 0, …)` du C : tout à zéro d'abord (les BSD
    // et macOS ont en plus un champ `sin_len`, que Linux n'a pas).
    // SAFETY: sockaddr_in est une structure C d'entiers ; zéro y est valide.
    let mut adresse: libc::sockaddr_in = unsafe { std::mem::zeroed() };
    adresse.sin_family = libc::AF_INET as libc::sa_family_t;
    adresse.sin_port = PORT.to_be();
    adresse.sin_addr.s_addr = u32::from(ip).to_be();
    #[cfg(any(target_os = "macos", target_os = "freebsd"))]
    {
        adresse.sin_len = std::mem::size_of::<libc::sockaddr_in>() as u8;
    }
    println!(
        "  taille : {} octets",
        std::mem::size_of::<libc::sockaddr_in>()
    );
    println!(
        "  sin_family : {} (AF_INET), en mémoire {}",
        adresse.sin_family,
        hexa(&adresse.sin_family.to_ne_bytes())
    );
    println!(
        "  sin_port   : en mémoire {}",
        hexa(&adresse.sin_port.to_ne_bytes())
    );
    println!(
        "  sin_addr   : en mémoire {}",
        hexa(&adresse.sin_addr.s_addr.to_ne_bytes())
    );
    println!(
        "  sin_zero   : {}",
        hexa(&adresse.sin_zero.map(|octet| octet.to_ne_bytes()[0]))
    );
    // ANCHOR_END: sockaddr_in
    println!();

    println!("4. L'erreur classique : oublier htons");
    // ANCHOR: oubli_htons
    // Le programme range 65432 tel quel, sans conversion. Le noyau lit le
    // champ comme un nombre en ordre réseau : il voit donc un autre port.
    let oubli = PORT; // au lieu de PORT.to_be()
    println!(
        "  sin_port = {PORT} sans htons : en mémoire {}, lu par le noyau comme le port {}",
        hexa(&oubli.to_ne_bytes()),
        u16::from_be(oubli)
    );
    // ANCHOR_END: oubli_htons
}

/// Les octets en hexadécimal, dans l'ordre où ils sont en mémoire.
fn hexa(octets: &[u8]) -> String {
    let texte: Vec<String> = octets.iter().map(|o| format!("{o:02X}")).collect();
    format!("[{}]", texte.join(" "))
}
