//! TP14 — projet : application de vote : les étapes du correcteur (en construction).
