//! Puts the web view's diagram bundle (ui/dist-diagram/hhsync-diagram.js, built by `npm run
//! build` in ui/) where `topology::svg` includes it. Without it (the web view not built yet) the
//! file is empty and `--format svg` says how to get it, rather than the build failing: the engine
//! and the CLI are useful without the picture.
use std::path::Path;

fn main() {
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist-diagram/hhsync-diagram.js");
    println!("cargo:rerun-if-changed={}", bundle.display());
    let out = Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("hhsync-diagram.js");
    let text = std::fs::read_to_string(&bundle).unwrap_or_default();
    std::fs::write(&out, text).expect("writing the diagram bundle into OUT_DIR");
}
