//! TP13 — un seul thread, plusieurs clients (en construction).

fn main() {
    todo!("Étape 1 : TP13 en construction")
}
