//! TP08 — socket locale (AF_UNIX) (en construction).

fn main() {
    todo!("Étape 1 : TP08 en construction")
}
