correcteur::tp12!(env!("CARGO_BIN_EXE_tp12"));
