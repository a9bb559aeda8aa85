correcteur::tp08!(env!("CARGO_BIN_EXE_tp08-corrige"));
