//! Les indices du TP10.

pub const INDICES: super::Indices = &[];
