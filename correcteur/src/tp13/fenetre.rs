//! La fenêtre de réception que le serveur annonce au client gourmand.
//!
//! Quand le client gourmand cesse d'écrire, aucun octet ne doit rester dans
//! **sa** file d'émission : il arriverait chez le serveur plus tard, dès que
//! celui-ci aurait lu assez pour rouvrir sa fenêtre, et cette arrivée
//! tardive réveillerait (epoll, mode front) un serveur fautif qui, sorti de
//! sa pause, attend un événement au lieu de reprendre sa lecture (R8). Le
//! client n'écrit donc jamais plus que ce que la fenêtre laisse partir tout
//! de suite : tout octet écrit est alors déjà dans la file de réception du
//! serveur.
//!
//! Linux (glibc) donne la fenêtre (`TCP_INFO`, `tcpi_snd_wnd`) et les octets
//! pas encore acquittés (`SIOCOUTQ`). Ailleurs, ou quand la connexion n'est
//! plus établie, `mesurer` rend `None` : le client écrit comme avant, jusqu'à
//! ce qu'une écriture n'avance plus, et la vérification de R8 peut alors,
//! rarement, laisser passer ce serveur fautif.

use std::net::TcpStream;

/// L'état de l'émission du client, vu par son noyau.
#[derive(Clone, Copy, Debug)]
pub struct Fenetre {
    /// Octets que la fenêtre annoncée laisse encore envoyer.
    pub libre: usize,
    /// Octets écrits que le noyau n'a pas encore fait partir.
    pub en_attente: usize,
}

/// Ce que le noyau dit de l'émission sur `flux`, s'il sait le dire.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn mesurer(flux: &TcpStream) -> Option<Fenetre> {
    use std::os::fd::AsRawFd;

    let fd = flux.as_raw_fd();
    // SAFETY : tcp_info est une structure C sans invariant ; le noyau en
    // remplit au plus `longueur` octets et dit combien.
    let mut info: libc::tcp_info = unsafe { std::mem::zeroed() };
    let mut longueur = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    let lu = unsafe {
        libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut info as *mut libc::tcp_info).cast(),
            &mut longueur,
        )
    };
    // Un noyau antérieur à 5.4 ne connaît pas tcpi_snd_wnd : il rend une
    // structure plus courte. Une connexion qui n'est plus établie (le
    // serveur l'a fermée) : c'est write() qui le dira, avec son erreur.
    const ETABLIE: u8 = 1;
    let fin_du_champ = std::mem::offset_of!(libc::tcp_info, tcpi_snd_wnd) + 4;
    if lu != 0 || (longueur as usize) < fin_du_champ || info.tcpi_state != ETABLIE {
        return None;
    }
    // SIOCOUTQ (TIOCOUTQ sur une socket TCP) : octets écrits et pas encore
    // acquittés, qu'ils soient partis ou non.
    let mut non_acquittes: libc::c_int = 0;
    if unsafe { libc::ioctl(fd, libc::TIOCOUTQ, &mut non_acquittes) } != 0 {
        return None;
    }
    let non_acquittes = usize::try_from(non_acquittes).ok()?;
    Some(Fenetre {
        libre: (info.tcpi_snd_wnd as usize).saturating_sub(non_acquittes),
        en_attente: info.tcpi_notsent_bytes as usize,
    })
}

/// Ce que le noyau dit de l'émission sur `flux` : rien, hors de Linux.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn mesurer(_flux: &TcpStream) -> Option<Fenetre> {
    None
}
