//! The `hhsync` command-line tool; everything lives in the engine's `cli` module.

fn main() -> std::process::ExitCode {
    hhsync_engine::cli::main()
}
