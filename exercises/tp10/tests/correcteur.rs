correcteur::tp10!(env!("CARGO_BIN_EXE_tp10"));
