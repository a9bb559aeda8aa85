//! TP12 — serveur concurrent (en construction).

fn main() {
    todo!("Étape 1 : TP12 en construction")
}
