//! Les indices du TP13.

pub const INDICES: super::Indices = &[];
