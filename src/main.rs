//! The `complaints` binary: parse the command line, run it, map failures to exit codes
//! (0 ok, 1 data problem, 2 usage or config problem).

use clap::Parser;

fn main() {
    let cli = complaints::cli::Cli::parse();
    match complaints::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::exit(complaints::error::exit_code(&err));
        }
    }
}
