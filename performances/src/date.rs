//! La date du tampon des résultats, en temps universel, sans dépendance :
//! le calendrier civil calculé à partir du nombre de jours depuis 1970.

use std::time::{SystemTime, UNIX_EPOCH};

/// « 2026-11-20 23:05 UTC » pour un instant donné en secondes depuis 1970.
pub fn date_utc(secondes: u64) -> String {
    let (jours, reste) = (secondes / 86_400, secondes % 86_400);
    let (annee, mois, jour) = civil(jours as i64);
    format!(
        "{annee:04}-{mois:02}-{jour:02} {:02}:{:02} UTC",
        reste / 3600,
        (reste % 3600) / 60
    )
}

/// La date de maintenant.
pub fn maintenant() -> String {
    let secondes = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_utc(secondes)
}

/// (année, mois, jour) du jour numéro `jours` (0 = 1970-01-01), calendrier
/// grégorien. Les années sont comptées de mars à février, pour que le jour
/// bissextile tombe en fin d'année : un « ère » fait 400 ans, 146 097 jours.
fn civil(jours: i64) -> (i64, u32, u32) {
    let z = jours + 719_468; // jours depuis le 0000-03-01
    let ere = z.div_euclid(146_097);
    let jour_de_l_ere = z.rem_euclid(146_097);
    let annee_de_l_ere = (jour_de_l_ere - jour_de_l_ere / 1460 + jour_de_l_ere / 36_524
        - jour_de_l_ere / 146_096)
        / 365;
    let jour_de_l_annee =
        jour_de_l_ere - (365 * annee_de_l_ere + annee_de_l_ere / 4 - annee_de_l_ere / 100);
    let mois_depuis_mars = (5 * jour_de_l_annee + 2) / 153;
    let jour = (jour_de_l_annee - (153 * mois_depuis_mars + 2) / 5 + 1) as u32;
    let mois = if mois_depuis_mars < 10 {
        mois_depuis_mars + 3
    } else {
        mois_depuis_mars - 9
    } as u32;
    let annee = annee_de_l_ere + ere * 400 + i64::from(mois <= 2);
    (annee, mois, jour)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_connues() {
        assert_eq!(date_utc(0), "1970-01-01 00:00 UTC");
        // 29 février d'une année bissextile.
        assert_eq!(date_utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(date_utc(1_795_215_900), "2026-11-20 23:05 UTC");
        assert_eq!(date_utc(4_102_444_799), "2099-12-31 23:59 UTC");
    }
}
