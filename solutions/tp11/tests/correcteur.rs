correcteur::tp11!(env!("CARGO_BIN_EXE_tp11-corrige"));
