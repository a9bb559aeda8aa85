//! Les indices du TP14.

pub const INDICES: super::Indices = &[];
