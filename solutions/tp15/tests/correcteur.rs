correcteur::tp15!(env!("CARGO_BIN_EXE_tp15-corrige"));
