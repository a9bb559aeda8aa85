//! TP13 — un seul thread, plusieurs clients : les étapes du correcteur (en construction).
