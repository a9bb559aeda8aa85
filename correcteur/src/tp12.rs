//! TP12 — serveur concurrent : les étapes du correcteur (en construction).
