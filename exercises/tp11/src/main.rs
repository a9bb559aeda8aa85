//! TP11 — UDP, mode symétrique (en construction).

fn main() {
    todo!("Étape 1 : TP11 en construction")
}
