//! L'outil de charge (en construction).

fn main() {}
