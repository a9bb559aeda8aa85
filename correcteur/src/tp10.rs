//! TP10 — UDP, mode asymétrique : les étapes du correcteur (en construction).
