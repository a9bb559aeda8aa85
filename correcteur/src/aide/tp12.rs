//! Les indices du TP12.

pub const INDICES: super::Indices = &[];
