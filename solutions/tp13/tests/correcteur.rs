correcteur::tp13!(env!("CARGO_BIN_EXE_tp13-corrige"));
