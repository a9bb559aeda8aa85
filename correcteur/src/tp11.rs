//! TP11 — UDP, mode symétrique : les étapes du correcteur (en construction).
