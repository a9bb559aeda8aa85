//! Outil de charge et banc de performances (en construction).
