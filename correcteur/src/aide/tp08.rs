//! Les indices du TP08.

pub const INDICES: super::Indices = &[];
