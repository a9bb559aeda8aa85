//! Les indices du TP11.

pub const INDICES: super::Indices = &[];
