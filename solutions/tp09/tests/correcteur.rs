correcteur::tp09!(env!("CARGO_BIN_EXE_tp09-corrige"));
