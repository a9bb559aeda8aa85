//! TP10 — UDP, mode asymétrique (en construction).

fn main() {
    todo!("Étape 1 : TP10 en construction")
}
