correcteur::tp14!(env!("CARGO_BIN_EXE_tp14"));
