//! TP14 — projet : application de vote (en construction).

fn main() {
    todo!("Étape 1 : TP14 en construction")
}
