//! TP08 — socket locale (AF_UNIX) : les étapes du correcteur (en construction).
